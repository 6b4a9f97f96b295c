#include "models/run/invariants.h"

#include <algorithm>
#include <cassert>
#include <variant>

namespace hcesim::models {
namespace {

std::string account_name(AccountId a) {
  return "account " + a.to_string();
}

std::string record_name(uint64_t validator_id, uint64_t sequence) {
  return "record " + std::to_string(validator_id) + "/" + std::to_string(sequence);
}

std::string minor_text(int64_t minor) {
  return std::to_string(minor);
}

} // namespace

InvariantWitness::InvariantWitness(uint32_t riders, uint32_t validators,
                                   AccountId fraud_loss_account)
    : fraud_loss_(fraud_loss_account), slot_of_(riders, kNoSlot), records_of_(validators) {}

InvariantWitness::Account* InvariantWitness::account(AccountId id) {
  if (id == fraud_loss_) {
    return &fraud_account_;
  }
  const uint64_t v = id.value();
  if (v == 0 || v > slot_of_.size()) {
    return nullptr;
  }
  uint32_t& slot = slot_of_[v - 1];
  if (slot == kNoSlot) {
    slot = static_cast<uint32_t>(accounts_.size());
    accounts_.emplace_back();
  }
  return &accounts_[slot];
}

const InvariantWitness::Account& InvariantWitness::rider_account(size_t i) const {
  static const Account kUnused;
  return slot_of_[i] == kNoSlot ? kUnused : accounts_[slot_of_[i]];
}

void InvariantWitness::fail(const char* invariant, std::string entity, std::string detail) {
  if (!first_) {
    first_ = InvariantViolation{invariant, std::move(entity), std::move(detail)};
  }
}

void InvariantWitness::open_account(AccountId id) {
  // Riders' accounts and attackers' are indexed by id − 1; the fraud-loss account stays last.
  assert(id.value() == slot_of_.size() + 1);
  slot_of_.push_back(kNoSlot);
  account(id)->not_honest = true;
}

void InvariantWitness::set_not_honest(AccountId id) {
  if (Account* a = account(id)) {
    a->not_honest = true;
  }
}

void InvariantWitness::entry(const cloud::LedgerEntry& e, bool fraud_journey) {
  Account* a = account(e.account);
  if (a == nullptr) {
    fail("money_conserved", account_name(e.account), "an entry on an account the run never opened");
    return;
  }
  const int64_t m = e.amount.minor();
  if (e.account == fraud_loss_) {
    if (!fraud_journey || e.reason != cloud::EntryReason::kFraudLoss) {
      fail("money_conserved", account_name(e.account),
           std::string("the fraud-loss account got a ") + std::string(cloud::to_string(e.reason)) +
               " entry of " + minor_text(m) + " (it holds only fraud losses)");
    }
    a->other += m;
    return;
  }
  switch (e.reason) {
  case cloud::EntryReason::kFare:
  case cloud::EntryReason::kFareCorrection:
    a->fares += m;
    break;
  case cloud::EntryReason::kTopUp:
    a->top_ups += m;
    ++a->credits;
    break;
  case cloud::EntryReason::kAdjustment:
    a->opening += m;
    break;
  case cloud::EntryReason::kRefund:
    a->other += m;
    break;
  case cloud::EntryReason::kFraudLoss:
    fail("money_conserved", account_name(e.account),
         "a rider's account got a fraud_loss entry of " + minor_text(m));
    a->other += m;
    break;
  }
}

void InvariantWitness::journal(const cloud::JournalRecord& r) {
  if (const auto* c = std::get_if<cloud::JourneyCharged>(&r)) {
    entry(c->entry, c->journey.fraud);
  } else if (const auto* ans = std::get_if<cloud::TopUpAnswered>(&r)) {
    if (ans->credit) {
      entry(*ans->credit, false);
    }
  } else if (const auto* p = std::get_if<cloud::EntryPosted>(&r)) {
    entry(p->entry, false);
  } else if (const auto* t = std::get_if<cloud::TapReceived>(&r)) {
    uint8_t* b = record(t->tap.record);
    const std::string name = record_name(t->tap.record.validator.value(), t->tap.record.sequence);
    if (b == nullptr || (*b & (kAccepted | kForged)) == 0) {
      fail("tap_settled_once", name, "settled, but no validator stored it");
      return;
    }
    if ((*b & kForged) != 0) {
      fail("tap_settled_once", name, "a forged record settled");
    }
    if ((*b >> kSettledShift) < 15) {
      *b = static_cast<uint8_t>(*b + (1U << kSettledShift));
    }
  } else if (const auto* d = std::get_if<cloud::DenylistChanged>(&r)) {
    Account* a = account(d->account);
    if (a == nullptr || d->account == fraud_loss_) {
      return;
    }
    if (!a->not_honest && (d->reasons & cloud::kDenyClone) != 0) {
      fail("honest_rider_not_denylisted", account_name(d->account),
           "denylisted as a clone at " + format_time(d->at));
    }
    if (!a->not_honest && (d->reasons & cloud::kDenyDebt) != 0 && sum(*a) >= 0) {
      fail("honest_rider_not_denylisted", account_name(d->account),
           "denylisted for debt at " + format_time(d->at) + " with a balance of " +
               minor_text(sum(*a)));
    }
    a->deny = d->reasons;
  }
}

uint8_t* InvariantWitness::record(const cloud::TapRecordId& id) {
  const uint64_t v = id.validator.value();
  if (v == 0 || v > records_of_.size()) {
    return nullptr;
  }
  std::vector<uint8_t>& seqs = records_of_[v - 1];
  if (id.sequence == 0 || id.sequence > seqs.size()) {
    return nullptr;
  }
  return &seqs[id.sequence - 1];
}

void InvariantWitness::mark(uint32_t validator, uint64_t sequence, uint8_t bit) {
  std::vector<uint8_t>& seqs = records_of_[validator];
  if (sequence > seqs.size()) {
    seqs.resize(sequence, 0);
  }
  seqs[sequence - 1] |= bit;
}

void InvariantWitness::tap_accepted(uint32_t validator, uint64_t sequence) {
  mark(validator, sequence, kAccepted);
}

void InvariantWitness::record_forged(uint32_t validator, uint64_t sequence) {
  mark(validator, sequence, kForged);
}

void InvariantWitness::bank_approved(const cloud::TopUpId& id) {
  approved_.push_back(id.account.value() << 32 | id.serial);
}

std::optional<InvariantViolation>
InvariantWitness::check(const cloud::AccountServices& services,
                        const std::vector<std::unique_ptr<hce::Validator>>& validators) {
  // top_up_applied_once: credits per account = distinct top-up requests the bank approved.
  std::sort(approved_.begin(), approved_.end());
  approved_.erase(std::unique(approved_.begin(), approved_.end()), approved_.end());
  for (Account& a : accounts_) {
    a.approvals = 0;
  }
  fraud_account_.approvals = 0;
  for (const uint64_t key : approved_) {
    if (Account* a = account(AccountId(key >> 32))) {
      ++a->approvals;
    }
  }
  for (size_t i = 0; i < slot_of_.size(); ++i) {
    const Account& a = rider_account(i);
    if (a.credits != a.approvals) {
      fail("top_up_applied_once", account_name(AccountId(i + 1)),
           std::to_string(a.credits) + " credit(s) for " + std::to_string(a.approvals) +
               " approved top-up request(s)");
    }
  }

  // money_conserved: balance = Σ entries = opening + top-ups − fares (+ refunds).
  const cloud::Ledger& ledger = services.ledger();
  for (size_t i = 0; i <= slot_of_.size(); ++i) {
    const bool fraud = i == slot_of_.size(); // the fraud-loss account last
    const AccountId id = fraud ? fraud_loss_ : AccountId(i + 1);
    if (!ledger.has_account(id)) {
      continue; // a rider without HCE has no account
    }
    const int64_t balance = ledger.balance(id).minor();
    const Account& a = fraud ? fraud_account_ : rider_account(i);
    if (balance != sum(a)) {
      fail("money_conserved", account_name(id),
           "balance " + minor_text(balance) + " != opening " + minor_text(a.opening) +
               " + top-ups " + minor_text(a.top_ups) + " + fares " + minor_text(a.fares) +
               " + other " + minor_text(a.other));
    }
  }

  // tap_settled_once: every accepted record in the books once, or still held by its validator.
  for (uint32_t v = 0; v < validators.size() && v < records_of_.size(); ++v) {
    const hce::RecordStore& store = validators[v]->store();
    for (const hce::TapRecord& r : store.oldest_unacknowledged(store.unacknowledged())) {
      if (r.sequence >= 1 && r.sequence <= records_of_[v].size()) {
        records_of_[v][r.sequence - 1] |= kHeld;
      }
    }
  }
  records_.accepted = records_.settled = records_.held = records_.forged = 0;
  for (uint32_t v = 0; v < records_of_.size(); ++v) {
    const std::vector<uint8_t>& seqs = records_of_[v];
    for (size_t s = 0; s < seqs.size(); ++s) {
      const uint8_t b = seqs[s];
      const uint32_t settles = b >> kSettledShift;
      if ((b & kForged) != 0) {
        ++records_.forged;
        continue; // a forged record that settled was reported when it did
      }
      if ((b & kAccepted) == 0) {
        continue;
      }
      ++records_.accepted;
      if (settles == 1) {
        ++records_.settled;
      } else if (settles > 1) {
        fail("tap_settled_once", record_name(v + 1, s + 1),
             "settled " + std::to_string(settles) + " times");
      } else if ((b & kHeld) != 0) {
        ++records_.held;
      } else {
        fail("tap_settled_once", record_name(v + 1, s + 1),
             "accepted at the gate, never settled and no longer held by its validator");
      }
    }
  }

  // honest_rider_not_denylisted (debt): at the end, listed for debt only with a negative balance.
  for (size_t i = 0; i < slot_of_.size(); ++i) {
    const Account& a = rider_account(i);
    const AccountId id(i + 1);
    if (!a.not_honest && (a.deny & cloud::kDenyDebt) != 0 && ledger.has_account(id) &&
        !ledger.balance(id).is_negative()) {
      fail("honest_rider_not_denylisted", account_name(id),
           "still denylisted for debt with a balance of " + minor_text(ledger.balance(id).minor()));
    }
  }
  return first_;
}

} // namespace hcesim::models
