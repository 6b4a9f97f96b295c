#pragma once
// The ledger: accounts with exact integer balances that move only by entries (fare, fare
// correction, top-up, refund, adjustment, fraud loss), each posted once under its idempotency key.
// A balance may go negative (offline taps are credit); each account has a debt limit. It is the
// account status the token issuer reads (balance, denylisted, enrolled devices).
#include "base/error.h"
#include "hce/cloud/account_index.h"
#include "hce/cloud/journal.h"
#include "hce/cloud/ledger_entry.h"
#include "hce/token/account_status.h"

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace hcesim::cloud {

class Ledger final : public hce::AccountStatus {
public:
  //! One per account (a million riders): amounts in the ledger's currency, as minor units.
  struct Account {
    AccountId id;
    int64_t balance_minor = 0;
    int64_t debt_limit_minor = 0;
    int64_t archived_minor = 0; //!< Σ of the account's entries archived (no longer held)
    std::vector<DeviceId> devices;
    bool fraud_loss = false;
    bool denylisted = false;
  };
  //! Everything the ledger holds; a snapshot copies it.
  struct State {
    std::vector<Account> accounts;
    AccountIndex index;
    std::vector<LedgerEntry> entries; //!< the entries from sequence `archived` on
    uint64_t archived = 0;            //!< entries before this sequence were archived
    std::unordered_set<IdempotencyKey> keys;
    int64_t unpaid_debt_minor = 0; //!< Σ of negative balances of riders' accounts, as a positive
  };
  enum class PostOutcome : uint8_t { kPosted, kDuplicate };

  //! The largest magnitude, in minor units, of an amount from outside: an opening balance, a
  //! debt limit, a posting, a top-up (10^15: ten trillion units). Refused above it, so a balance
  //! stays far inside int64 and no credit the bank has already taken can fail to apply.
  static constexpr int64_t kMaxAmountMinor = 1'000'000'000'000'000;
  //! The largest magnitude a balance may reach by a posting or top-up decided here.
  static constexpr int64_t kMaxBalanceMinor = 4'000'000'000'000'000'000;

  //! True when |minor| <= kMaxAmountMinor.
  static bool within_amount_bound(int64_t minor);
  //! True when balance + amount stays within ±kMaxBalanceMinor (never overflowing on the way).
  static bool within_balance_bound(int64_t balance_minor, int64_t amount_minor);

  Ledger(ChangeLog& log, Currency currency) : log_(&log), currency_(currency) {}

  // Decisions: validate, then commit records through the change log.

  //! Opens an account with a debt limit (0..kMaxAmountMinor) and an opening balance (an
  //! adjustment entry, at most kMaxAmountMinor either way).
  Result<void> open(AccountId account, Money debt_limit, Money opening_balance, Time now,
                    bool fraud_loss = false);
  //! Room for `accounts` accounts in all (a capacity hint; changes nothing else).
  void reserve(size_t accounts);
  //! Enrols a phone for the account (idempotent).
  Result<void> enrol_device(AccountId account, DeviceId device);
  //! Posts a non-fare entry once per key; a key seen before changes nothing (kDuplicate). The
  //! amount is at most kMaxAmountMinor either way and the balance must stay within
  //! kMaxBalanceMinor.
  Result<PostOutcome> post(AccountId account, Money amount, EntryReason reason, IdempotencyKey key,
                           Time now);

  // State changes, applied from records (never called directly by clients).
  void apply(const AccountOpened& opened);
  void apply(const DeviceEnrolled& enrolled);
  void apply(const LedgerEntry& entry);
  void apply_denylisted(AccountId account, bool denylisted);

  // Queries.
  Currency currency() const { return currency_; }
  const Account* find(AccountId account) const;
  bool has_account(AccountId account) const { return find(account) != nullptr; }
  //! The account's row in accounts() (AccountIndex::kNone: no such account): other services
  //! keep per-account state by it instead of an index of their own.
  uint32_t row(AccountId account) const { return state_.index.find(account); }
  Money balance(AccountId account) const override;
  bool is_denylisted(AccountId account) const override;
  bool is_known_device(AccountId account, DeviceId device) const override;
  //! True when the balance has passed below minus the debt limit.
  bool over_debt_limit(AccountId account) const;
  //! Whether a non-journey key was posted (journey keys are settlement's to keep unique).
  bool has_key(IdempotencyKey key) const { return state_.keys.count(key) != 0; }
  uint64_t next_sequence() const { return state_.archived + state_.entries.size(); }
  //! The entries held: every entry from sequence archived_through() on.
  std::span<const LedgerEntry> entries() const { return state_.entries; }
  uint64_t archived_through() const { return state_.archived; }
  //! Stops holding the entries before `sequence` (the journal holds them, or an archive the
  //! journal fed): each account keeps their sum, so balances still audit against entries.
  //! Keeps a long run's memory bounded; idempotency keys are kept.
  void archive_before(uint64_t sequence);
  std::span<const Account> accounts() const { return state_.accounts; }
  //! The account's balance recomputed from its entries, the archived ones as their sum (an audit:
  //! equals balance()).
  Money sum_of_entries(AccountId account) const;
  //! Σ of riders' negative balances, as a positive amount (revenue at risk, DESIGN §6).
  Money unpaid_debt() const { return Money(state_.unpaid_debt_minor, currency_); }

  const State& state() const { return state_; }
  void restore(State state) { state_ = std::move(state); }

private:
  Account& at(AccountId account);
  std::string bound_text() const; //!< "+/-1000000000000000.00 CNY" style, for errors
  ChangeLog* log_;
  Currency currency_;
  State state_;
};

} // namespace hcesim::cloud
