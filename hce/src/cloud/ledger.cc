#include "hce/cloud/ledger.h"

#include <algorithm>
#include <cassert>

namespace hcesim::cloud {

std::string_view to_string(EntryReason reason) {
  switch (reason) {
  case EntryReason::kFare:
    return "fare";
  case EntryReason::kFareCorrection:
    return "fare correction";
  case EntryReason::kTopUp:
    return "top-up";
  case EntryReason::kRefund:
    return "refund";
  case EntryReason::kAdjustment:
    return "adjustment";
  case EntryReason::kFraudLoss:
    return "fraud loss";
  }
  return "?";
}

namespace {
int64_t debt_of(const Ledger::Account& a) {
  return a.fraud_loss || a.balance_minor >= 0 ? 0 : -a.balance_minor;
}
} // namespace

bool Ledger::within_amount_bound(int64_t minor) {
  return minor >= -kMaxAmountMinor && minor <= kMaxAmountMinor;
}

bool Ledger::within_balance_bound(int64_t balance_minor, int64_t amount_minor) {
  int64_t after = 0;
  return !__builtin_add_overflow(balance_minor, amount_minor, &after) &&
         after >= -kMaxBalanceMinor && after <= kMaxBalanceMinor;
}

std::string Ledger::bound_text() const {
  return "+/-" + Money(kMaxAmountMinor, currency_).to_string();
}

Result<void> Ledger::open(AccountId account, Money debt_limit, Money opening_balance, Time now,
                          bool fraud_loss) {
  const std::string where = "account " + account.to_string();
  if (has_account(account)) {
    return Error{where, "already open"};
  }
  if (debt_limit.currency() != currency_ || opening_balance.currency() != currency_) {
    return Error{where, "amounts must be in " + std::string(currency_.code())};
  }
  if (debt_limit.is_negative() || debt_limit.minor() > kMaxAmountMinor) {
    return Error{where, "debt limit must be >= 0 and at most " +
                            Money(kMaxAmountMinor, currency_).to_string() + ", got " +
                            debt_limit.to_string()};
  }
  if (!within_amount_bound(opening_balance.minor())) {
    return Error{where, "opening balance must be within " + bound_text() + ", got " +
                            opening_balance.to_string()};
  }
  log_->commit(AccountOpened{account, currency_, debt_limit, fraud_loss});
  if (opening_balance.minor() != 0) {
    // The account id fills the key's 64-bit half: two accounts' openings never share a key.
    auto posted = post(account, opening_balance, EntryReason::kAdjustment,
                       IdempotencyKey::make(KeyScope::kAdjustment, 0, account.value()), now);
    assert(posted.ok());
  }
  return {};
}

Result<void> Ledger::enrol_device(AccountId account, DeviceId device) {
  if (!has_account(account)) {
    return Error{"account " + account.to_string(), "no such account"};
  }
  if (!is_known_device(account, device)) {
    log_->commit(DeviceEnrolled{account, device});
  }
  return {};
}

Result<Ledger::PostOutcome> Ledger::post(AccountId account, Money amount, EntryReason reason,
                                         IdempotencyKey key, Time now) {
  const std::string where = "account " + account.to_string();
  const Account* a = find(account);
  if (a == nullptr) {
    return Error{where, "no such account"};
  }
  if (amount.currency() != currency_) {
    return Error{where,
                 "amount " + amount.to_string() + " is not in " + std::string(currency_.code())};
  }
  if (has_key(key)) {
    return PostOutcome::kDuplicate;
  }
  if (!within_amount_bound(amount.minor())) {
    return Error{where, "amount must be within " + bound_text() + ", got " + amount.to_string()};
  }
  if (!within_balance_bound(a->balance_minor, amount.minor())) {
    return Error{where, "amount " + amount.to_string() + " would take the balance past " +
                            Money(kMaxBalanceMinor, currency_).to_string()};
  }
  log_->commit(EntryPosted{LedgerEntry{next_sequence(), account, amount, reason, key, now}});
  return PostOutcome::kPosted;
}

void Ledger::apply(const AccountOpened& opened) {
  assert(!has_account(opened.account));
  state_.index.emplace(opened.account, static_cast<uint32_t>(state_.accounts.size()));
  // open() checked the currency; the record carries the ledger's.
  state_.accounts.push_back(
      Account{opened.account, 0, opened.debt_limit.minor(), 0, {}, opened.fraud_loss, false});
}

void Ledger::apply(const DeviceEnrolled& enrolled) {
  at(enrolled.account).devices.push_back(enrolled.device);
}

void Ledger::apply(const LedgerEntry& entry) {
  assert(entry.sequence == next_sequence());
  Account& a = at(entry.account);
  // Overflow-checked before anything changes: a throw leaves the ledger as it was.
  const int64_t balance = (Money(a.balance_minor, currency_) + entry.amount).minor();
  // Journey keys are unique by construction (settlement posts each journey revision once) and
  // are not indexed: that keeps a hash insert off the per-tap path.
  if (!is_journey_key(entry.key)) {
    const bool fresh = state_.keys.insert(entry.key).second;
    assert(fresh && "an idempotency key is posted once");
    (void)fresh;
  }
  state_.unpaid_debt_minor -= debt_of(a);
  a.balance_minor = balance;
  state_.unpaid_debt_minor += debt_of(a);
  state_.entries.push_back(entry);
}

void Ledger::apply_denylisted(AccountId account, bool denylisted) {
  at(account).denylisted = denylisted;
}

void Ledger::reserve(size_t accounts) {
  state_.accounts.reserve(accounts);
  state_.index.reserve(accounts);
}

const Ledger::Account* Ledger::find(AccountId account) const {
  const uint32_t row = state_.index.find(account);
  return row == AccountIndex::kNone ? nullptr : &state_.accounts[row];
}

Ledger::Account& Ledger::at(AccountId account) {
  const uint32_t row = state_.index.find(account);
  assert(row != AccountIndex::kNone);
  return state_.accounts[row];
}

Money Ledger::balance(AccountId account) const {
  const Account* a = find(account);
  return Money(a == nullptr ? 0 : a->balance_minor, currency_);
}

bool Ledger::is_denylisted(AccountId account) const {
  const Account* a = find(account);
  return a != nullptr && a->denylisted;
}

bool Ledger::is_known_device(AccountId account, DeviceId device) const {
  const Account* a = find(account);
  return a != nullptr &&
         std::find(a->devices.begin(), a->devices.end(), device) != a->devices.end();
}

bool Ledger::over_debt_limit(AccountId account) const {
  const Account* a = find(account);
  return a != nullptr && !a->fraud_loss && a->balance_minor < -a->debt_limit_minor;
}

void Ledger::archive_before(uint64_t sequence) {
  sequence = std::min(sequence, next_sequence());
  if (sequence <= state_.archived) {
    return;
  }
  const auto n = static_cast<size_t>(sequence - state_.archived);
  for (size_t i = 0; i < n; ++i) {
    const LedgerEntry& e = state_.entries[i];
    at(e.account).archived_minor += e.amount.minor();
  }
  state_.entries.erase(state_.entries.begin(), state_.entries.begin() + static_cast<ptrdiff_t>(n));
  state_.entries.shrink_to_fit(); // archiving is for memory
  state_.archived = sequence;
}

Money Ledger::sum_of_entries(AccountId account) const {
  const Account* a = find(account);
  Money sum(a == nullptr ? 0 : a->archived_minor, currency_);
  for (const LedgerEntry& e : state_.entries) {
    if (e.account == account) {
      sum += e.amount;
    }
  }
  return sum;
}

} // namespace hcesim::cloud
