#include "hce/cloud/account_services.h"

#include <algorithm>
#include <cassert>

namespace hcesim::cloud {

AccountServices::AccountServices(Journal& journal, const JourneyPricer& pricer, BankPort& bank,
                                 AccountServicesConfig config,
                                 const AccountServicesSnapshot* snapshot,
                                 hce::SettlementChecker* checks)
    : journal_(&journal), config_(config), ledger_(*this, config.currency),
      settlement_(*this, ledger_, pricer, config.settlement),
      top_up_(*this, ledger_, bank, config.top_up), denylist_(*this, ledger_, settlement_),
      checks_(checks) {
  uint64_t after = 0;
  if (snapshot != nullptr) {
    ledger_.restore(snapshot->ledger);
    settlement_.restore(snapshot->settlement);
    top_up_.restore(snapshot->top_up);
    denylist_.restore(snapshot->denylist);
    if (checks_ != nullptr) {
      checks_->restore(snapshot->checks);
    }
    after = snapshot->journal_sequence;
  }
  // Only complete operations are replayed: the tail after the last commit point is dropped.
  uint64_t seen = after;
  uint64_t complete = after;
  journal_->replay(after, [&](const JournalRecord& r) {
    ++seen;
    if (std::holds_alternative<CommitPoint>(r)) {
      complete = seen;
    }
  });
  journal_->discard_after(complete);
  journal_->replay(after, [this](const JournalRecord& r) { apply(r); });
  // Changes replayed were published before the restart (validators take a version once).
  denylist_outbox_.clear();
  if (!ledger_.has_account(fraud_loss_account())) {
    auto opened = ledger_.open(fraud_loss_account(), Money(0, config_.currency),
                               Money(0, config_.currency), Time::epoch(), true);
    assert(opened.ok());
    (void)opened;
  }
  sync();
}

void AccountServices::commit(const JournalRecord& record) {
  journal_->append(record);
  apply(record);
  unsynced_ = true;
}

void AccountServices::sync() {
  if (unsynced_) {
    journal_->append(CommitPoint{});
    unsynced_ = false;
  }
}

void AccountServices::apply(const JournalRecord& record) {
  std::visit(
      [this](const auto& r) {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, AccountOpened> || std::is_same_v<T, DeviceEnrolled>) {
          ledger_.apply(r);
        } else if constexpr (std::is_same_v<T, EntryPosted>) {
          ledger_.apply(r.entry);
        } else if constexpr (std::is_same_v<T, JourneyCharged>) {
          ledger_.apply(r.entry);
          settlement_.apply(r);
        } else if constexpr (std::is_same_v<T, TapReceived> || std::is_same_v<T, DeadlinesPassed>) {
          settlement_.apply(r);
        } else if constexpr (std::is_same_v<T, TopUpAnswered>) {
          top_up_.apply(r);
          if (r.credit) {
            ledger_.apply(*r.credit);
          }
        } else if constexpr (std::is_same_v<T, BatchReceived>) {
          checked_.clear();
          if (checks_ != nullptr) {
            checked_ = checks_->check(r.batch, r.at);
          }
        } else if constexpr (std::is_same_v<T, CommitPoint>) {
          // nothing to apply
        } else if constexpr (std::is_same_v<T, DenylistChanged>) {
          denylist_.apply(r);
          settlement_.apply(r);
          ledger_.apply_denylisted(r.account, r.reasons != kDenyNone);
          denylist_outbox_.push_back(r);
        } else {
          top_up_.apply(r);
        }
      },
      record);
}

Result<void> AccountServices::open_account(AccountId account, Money debt_limit,
                                           Money opening_balance, Time now) {
  auto done = ledger_.open(account, debt_limit, opening_balance, now);
  sync();
  return done;
}

Result<void> AccountServices::enrol_device(AccountId account, DeviceId device) {
  auto done = ledger_.enrol_device(account, device);
  sync();
  return done;
}

Result<void> AccountServices::bind_card(AccountId account, BankCardRef card) {
  auto done = top_up_.bind_card(account, card);
  sync();
  return done;
}

Result<void> AccountServices::set_top_up_rule(AccountId account, bool automatic, Money threshold,
                                              Money amount) {
  auto done = top_up_.set_rule(account, automatic, threshold, amount);
  sync();
  return done;
}

Result<TopUpId> AccountServices::top_up(AccountId account, Money amount, Time now,
                                        uint64_t client_ref) {
  auto id = top_up_.request_manual(account, amount, now, client_ref);
  if (id.ok()) {
    touched_.assign(1, account);
    review(touched_, now);
  }
  sync();
  return id;
}

Result<void> AccountServices::bank_notice(TopUpId id, BankAnswer answer, Time now) {
  auto done = top_up_.bank_notice(id, answer, now);
  if (done.ok()) {
    touched_.assign(1, id.account);
    review(touched_, now);
  }
  sync();
  return done;
}

Result<void> AccountServices::bank_answer(TopUpId id, uint32_t attempt, BankAnswer answer,
                                          Time now) {
  auto done = top_up_.bank_answer(id, attempt, answer, now);
  if (done.ok()) {
    touched_.assign(1, id.account);
    review(touched_, now);
  }
  sync();
  return done;
}

Result<void> AccountServices::report_lost(AccountId account, Time now) {
  if (!ledger_.has_account(account) || account == fraud_loss_account()) {
    return Error{"account " + account.to_string(), "no such account"};
  }
  if (denylist_.report_lost(account, now)) {
    touched_.clear();
    settlement_.reprice_lost(account, now, touched_);
    review(touched_, now);
  }
  sync();
  return {};
}

void AccountServices::receive(const SettlementTap& tap, Time now, BatchReceipt& receipt) {
  switch (settlement_.receive(tap, now, touched_)) {
  case FareSettlement::Receipt::kAccepted:
    ++receipt.accepted;
    break;
  case FareSettlement::Receipt::kDuplicate:
    ++receipt.duplicates;
    break;
  case FareSettlement::Receipt::kUnknownAccount:
    ++receipt.unknown_account;
    break;
  case FareSettlement::Receipt::kDayClosed:
    ++receipt.day_closed;
    break;
  }
}

AccountServices::BatchReceipt AccountServices::settle(std::span<const SettlementTap> taps,
                                                      Time now) {
  BatchReceipt receipt;
  touched_.clear();
  for (const SettlementTap& tap : taps) {
    receive(tap, now, receipt);
  }
  review(touched_, now);
  sync();
  return receipt;
}

AccountServices::BatchReceipt AccountServices::settle_batch(const hce::TapBatch& batch, Time now) {
  assert(checks_ != nullptr && "settle_batch needs the settlement checks");
  BatchReceipt receipt;
  touched_.clear();
  commit(BatchReceived{batch, now}); // the checks run as the record is applied
  const std::vector<hce::CheckedTap> checked = std::move(checked_);
  checked_.clear();
  for (const hce::CheckedTap& c : checked) {
    if (c.has(hce::kFlagDuplicate)) {
      ++receipt.duplicates;
      continue;
    }
    if ((c.flags & hce::kFlagsNotGenuine) != 0) {
      ++receipt.not_genuine;
      continue;
    }
    if (c.flags != 0) {
      ++receipt.flagged;
    }
    receive(SettlementTap{.record = TapRecordId{c.record.validator, c.record.sequence},
                          .account = c.account,
                          .token = c.token,
                          .tapped_at = c.tap_time,
                          .counter = c.counter,
                          .flags = c.flags,
                          .stop = c.stop,
                          .kind = c.kind,
                          .clone_flagged = c.has(hce::kFlagClone)},
            now, receipt);
  }
  review(touched_, now);
  sync();
  return receipt;
}

void AccountServices::advance(Time now) {
  touched_.clear();
  settlement_.advance(now, touched_);
  // Retries may credit: every open request's account is reviewed after.
  for (TopUpId id : top_up_.state().open) {
    touched_.push_back(id.account);
  }
  top_up_.advance(now);
  review(touched_, now);
  sync();
}

void AccountServices::review(std::vector<AccountId>& touched, Time now) {
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  for (AccountId a : touched) {
    if (a == fraud_loss_account()) {
      continue;
    }
    top_up_.review(a, now); // a top-up may clear the debt before the denylist looks
    denylist_.review(a, now);
  }
}

AccountServicesSnapshot AccountServices::snapshot() const {
  return AccountServicesSnapshot{
      journal_->last_sequence(), ledger_.state(),
      settlement_.state(),       top_up_.state(),
      denylist_.state(),         checks_ != nullptr ? checks_->state() : hce::SettlementState{}};
}

CloudFigures AccountServices::figures(Time now) const {
  const Currency c = config_.currency;
  const FareSettlement::Pending pending = settlement_.pending(now);
  const FareSettlement::Figures& f = settlement_.figures();
  CloudFigures out{ledger_.unpaid_debt(),
                   pending.taps,
                   pending.max_fares,
                   Money(f.fraud_loss_minor, c),
                   Money(0, c),
                   f.journeys_charged,
                   f.journeys_charged == 0
                       ? Duration::zero()
                       : Duration::micros(f.lag_sum_us / static_cast<int64_t>(f.journeys_charged)),
                   f.lag_max};
  out.revenue_at_risk = out.unpaid_debt + out.pending_fares + out.fraud_loss;
  return out;
}

std::vector<DenylistChanged> AccountServices::take_denylist_changes() {
  std::vector<DenylistChanged> out;
  out.swap(denylist_outbox_);
  return out;
}

} // namespace hcesim::cloud
