#include "hce/cloud/top_up.h"

#include <cassert>

namespace hcesim::cloud {

std::string_view to_string(BankOutcome outcome) {
  switch (outcome) {
  case BankOutcome::kApproved:
    return "approved";
  case BankOutcome::kDeclined:
    return "declined";
  case BankOutcome::kTimedOut:
    return "timed out";
  case BankOutcome::kPending:
    return "pending";
  }
  return "?";
}

std::string_view to_string(DeclineReason reason) {
  switch (reason) {
  case DeclineReason::kNone:
    return "none";
  case DeclineReason::kInsufficientFunds:
    return "insufficient funds";
  case DeclineReason::kCardExpired:
    return "card expired";
  case DeclineReason::kCardBlocked:
    return "card blocked";
  case DeclineReason::kOther:
    return "other";
  }
  return "?";
}

namespace {
IdempotencyKey key_of(TopUpId id) {
  return IdempotencyKey::make(KeyScope::kTopUp, id.serial, id.account.value());
}
std::string where(AccountId account) {
  return "account " + account.to_string();
}
} // namespace

Result<void> TopUp::bind_card(AccountId account, BankCardRef card) {
  if (!ledger_->has_account(account)) {
    return Error{where(account), "no such account"};
  }
  log_->commit(CardBound{account, card});
  return {};
}

Result<void> TopUp::set_rule(AccountId account, bool automatic, Money threshold, Money amount) {
  if (!ledger_->has_account(account)) {
    return Error{where(account), "no such account"};
  }
  if (threshold.currency() != ledger_->currency() || amount.currency() != ledger_->currency()) {
    return Error{where(account),
                 "top-up amounts must be in " + std::string(ledger_->currency().code())};
  }
  if (automatic && amount.minor() <= 0) {
    return Error{where(account), "automatic top-up amount must be > 0, got " + amount.to_string()};
  }
  if (!Ledger::within_amount_bound(amount.minor()) ||
      !Ledger::within_amount_bound(threshold.minor())) {
    return Error{where(account), "top-up threshold and amount must be within +/-" +
                                     Money(Ledger::kMaxAmountMinor, amount.currency()).to_string()};
  }
  log_->commit(TopUpRuleSet{account, automatic, threshold, amount});
  return {};
}

Result<TopUpId> TopUp::request_manual(AccountId account, Money amount, Time now,
                                      uint64_t client_ref) {
  if (client_ref != 0) {
    auto seen = state_.by_client_ref.find({account, client_ref});
    if (seen != state_.by_client_ref.end()) {
      return seen->second;
    }
  }
  const Rule* r = rule(account);
  if (r == nullptr || !r->card_bound) {
    return Error{where(account), "no bank card bound"};
  }
  if (amount.currency() != ledger_->currency() || amount.minor() <= 0 ||
      amount.minor() > Ledger::kMaxAmountMinor) {
    return Error{where(account),
                 "top-up amount must be > 0 and at most " +
                     Money(Ledger::kMaxAmountMinor, ledger_->currency()).to_string() + ", got " +
                     amount.to_string()};
  }
  if (!fits_balance(account, amount)) {
    return Error{where(account),
                 "a top-up of " + amount.to_string() +
                     " with those in flight would take the balance past " +
                     Money(Ledger::kMaxBalanceMinor, amount.currency()).to_string()};
  }
  return start(account, *r, amount, TopUpKind::kManual, now, client_ref);
}

bool TopUp::fits_balance(AccountId account, Money amount) const {
  // Every request not yet credited may still be (a late approval credits one given up or declined
  // too): their sum and this one must all fit, so a credit the bank has taken always applies.
  int64_t total = ledger_->balance(account).minor();
  for (auto it = state_.requests.lower_bound(TopUpId{account, 0});
       it != state_.requests.end() && it->first.account == account; ++it) {
    if (it->second.status == Status::kCredited) {
      continue;
    }
    if (!Ledger::within_balance_bound(total, it->second.amount.minor())) {
      return false;
    }
    total += it->second.amount.minor();
  }
  return Ledger::within_balance_bound(total, amount.minor());
}

void TopUp::review(AccountId account, Time now) {
  const Rule* r = rule(account);
  if (r == nullptr || !r->automatic || !r->card_bound || now < r->quiet_until ||
      ledger_->balance(account).minor() >= r->threshold_minor) {
    return;
  }
  // One automatic request open at a time per account.
  for (auto it = state_.open.lower_bound(TopUpId{account, 0});
       it != state_.open.end() && it->account == account; ++it) {
    if (state_.requests.at(*it).kind == TopUpKind::kAutomatic) {
      return;
    }
  }
  const Money amount(r->amount_minor, ledger_->currency());
  if (fits_balance(account, amount)) {
    start(account, *r, amount, TopUpKind::kAutomatic, now, 0);
  }
}

TopUpId TopUp::start(AccountId account, const Rule& r, Money amount, TopUpKind kind, Time now,
                     uint64_t client_ref) {
  const TopUpId id{account, r.serials};
  // Journaled before the bank hears of it: after a restart the request is retried, never lost.
  log_->commit(TopUpRequested{id, amount, kind, r.card, now, client_ref});
  attempt(state_.requests.at(id), now);
  return id;
}

void TopUp::attempt(const Request& request, Time now) {
  const TopUpId id = request.id;
  const uint32_t n = request.attempts + 1;
  log_->sync(); // the request is durable before the bank hears of it
  const BankAnswer a = bank_->charge(BankCharge{id, request.card, request.amount, n}, now);
  if (a.outcome == BankOutcome::kPending) {
    awaiting_.insert(id); // bank_answer brings it
    return;
  }
  answer(id, n, a, now);
}

void TopUp::answer(TopUpId id, uint32_t attempt, BankAnswer a, Time now) {
  TopUpAnswered record{id, attempt, a, now, std::nullopt};
  const Request& request = state_.requests.at(id);
  if (a.outcome == BankOutcome::kApproved && !ledger_->has_key(key_of(id))) {
    record.credit = LedgerEntry{ledger_->next_sequence(), id.account, request.amount,
                                EntryReason::kTopUp,      key_of(id), now};
  }
  log_->commit(record);
}

void TopUp::advance(Time now) {
  std::vector<TopUpId> due;
  for (TopUpId id : state_.open) {
    const Request& r = state_.requests.at(id);
    if ((r.status == Status::kInFlight && awaiting_.count(id) == 0) ||
        (r.status == Status::kAwaitingRetry && r.next_attempt_at <= now)) {
      due.push_back(id);
    }
  }
  for (TopUpId id : due) {
    attempt(state_.requests.at(id), now);
  }
}

Result<void> TopUp::bank_notice(TopUpId id, BankAnswer a, Time now) {
  if (find(id) == nullptr) {
    return Error{"top-up " + id.account.to_string() + "/" + std::to_string(id.serial),
                 "no such request"};
  }
  if (a.outcome == BankOutcome::kTimedOut || a.outcome == BankOutcome::kPending) {
    return Error{"top-up " + id.account.to_string() + "/" + std::to_string(id.serial),
                 "a bank notice must approve or decline, got " + std::string(to_string(a.outcome))};
  }
  answer(id, 0, a, now);
  return {};
}

Result<void> TopUp::bank_answer(TopUpId id, uint32_t attempt, BankAnswer a, Time now) {
  const Request* r = find(id);
  const std::string where = "top-up " + id.account.to_string() + "/" + std::to_string(id.serial);
  if (r == nullptr) {
    return Error{where, "no such request"};
  }
  if (a.outcome == BankOutcome::kPending || attempt == 0) {
    return Error{where, "a bank answer needs an outcome and its attempt"};
  }
  if (awaiting_.count(id) != 0 && attempt == r->attempts + 1) {
    awaiting_.erase(id);
    answer(id, attempt, a, now);
  } else if (a.outcome != BankOutcome::kTimedOut) {
    answer(id, 0, a, now); // an earlier attempt's late answer: a notice
  }
  return {};
}

void TopUp::apply(const CardBound& bound) {
  Rule& r = rule_at(bound.account);
  r.card_bound = true;
  r.card = bound.card;
}

void TopUp::apply(const TopUpRuleSet& set) {
  Rule& r = rule_at(set.account);
  r.automatic = set.automatic;
  // set_rule checked the currency; a journal's record is the ledger's (the rule is per account).
  r.threshold_minor = set.threshold.minor();
  r.amount_minor = set.amount.minor();
}

void TopUp::apply(const TopUpRequested& requested) {
  Rule& r = rule_at(requested.id.account);
  assert(requested.id.serial == r.serials);
  ++r.serials;
  state_.requests.emplace(requested.id, Request{requested.id, requested.amount, requested.kind,
                                                requested.card, requested.at, 0, requested.at,
                                                Status::kInFlight, DeclineReason::kNone});
  state_.open.insert(requested.id);
  if (requested.client_ref != 0) {
    state_.by_client_ref.emplace(std::make_pair(requested.id.account, requested.client_ref),
                                 requested.id);
  }
}

void TopUp::apply(const TopUpAnswered& answered) {
  Request& q = state_.requests.at(answered.id);
  Rule& r = rule_at(answered.id.account);
  if (answered.attempt > 0) {
    q.attempts = answered.attempt;
  }
  const bool open = state_.open.count(answered.id) != 0;
  switch (answered.answer.outcome) {
  case BankOutcome::kApproved:
    // The bank charged the card: credited whatever we thought before (declined, given up).
    q.status = Status::kCredited;
    state_.open.erase(answered.id);
    break;
  case BankOutcome::kDeclined:
    if (q.status != Status::kCredited) {
      q.status = Status::kDeclined;
      q.decline = answered.answer.reason;
      state_.open.erase(answered.id);
      r.quiet_until = answered.at + policy_.quiet_after_failure;
    }
    break;
  case BankOutcome::kTimedOut:
    if (!open) {
      break;
    }
    if (q.attempts < policy_.max_attempts) {
      Duration wait = policy_.first_retry_after;
      for (uint32_t i = 1; i < q.attempts; ++i) {
        wait = wait * policy_.backoff_factor;
      }
      q.status = Status::kAwaitingRetry;
      q.next_attempt_at = answered.at + wait;
    } else {
      q.status = Status::kGaveUp;
      state_.open.erase(answered.id);
      r.quiet_until = answered.at + policy_.quiet_after_failure;
    }
    break;
  case BankOutcome::kPending:
    assert(false && "a pending answer is never journaled");
    break;
  }
}

const TopUp::Request* TopUp::find(TopUpId id) const {
  auto it = state_.requests.find(id);
  return it == state_.requests.end() ? nullptr : &it->second;
}

TopUp::Rule& TopUp::rule_at(AccountId account) {
  // Records are applied in order: the account was opened (a ledger row) before its set-up.
  const uint32_t row = ledger_->row(account);
  assert(row != AccountIndex::kNone);
  if (row >= state_.rules.size()) {
    state_.rules.resize(row + 1);
  }
  return state_.rules[row];
}

const TopUp::Rule* TopUp::rule(AccountId account) const {
  const uint32_t row = ledger_->row(account);
  return row < state_.rules.size() ? &state_.rules[row] : nullptr; // kNone is past the end
}

} // namespace hcesim::cloud
