#pragma once
// Top-up: moves money from the account's bound bank card into its balance, by hand or
// automatically when the balance falls below the rider's threshold. Bank answers may be late,
// repeated or lost; retries follow a policy and reuse the request's id, and the ledger credits a
// request once, so no top-up is ever applied twice.
#include "hce/cloud/bank_port.h"
#include "hce/cloud/journal.h"
#include "hce/cloud/ledger.h"

#include <map>
#include <set>
#include <unordered_map>
#include <vector>

namespace hcesim::cloud {

struct TopUpPolicy {
  uint32_t max_attempts = 3;                          //!< tries of one request before giving up
  Duration first_retry_after = Duration::seconds(30); //!< wait after the first time-out
  uint32_t backoff_factor = 2;                        //!< each later wait is this many times longer
  //! No automatic top-up for this long after one was declined or given up.
  Duration quiet_after_failure = Duration::hours(1);
};

class TopUp {
public:
  enum class Status : uint8_t { kInFlight, kAwaitingRetry, kCredited, kDeclined, kGaveUp };
  struct Request {
    TopUpId id;
    Money amount;
    TopUpKind kind = TopUpKind::kManual;
    BankCardRef card;
    Time requested_at;
    uint32_t attempts = 0; //!< attempts answered so far
    Time next_attempt_at;
    Status status = Status::kInFlight;
    DeclineReason decline = DeclineReason::kNone;
  };
  //! The rider's top-up set-up for one account.
  struct Rule { // widest fields first, amounts in the ledger's currency: 40 bytes (one per account)
    BankCardRef card;
    int64_t threshold_minor = 0;
    int64_t amount_minor = 0;
    Time quiet_until;
    uint32_t serials = 0; //!< requests made so far (the next request's serial)
    bool card_bound = false;
    bool automatic = false;
  };
  struct State {
    //! By the account's ledger row (no index of its own: one lookup, and 16 bytes, less per
    //! account); a row past the end, or a default rule, is an account with no set-up.
    std::vector<Rule> rules;
    std::map<TopUpId, Request> requests;
    std::set<TopUpId> open; //!< in flight or awaiting a retry
    std::map<std::pair<AccountId, uint64_t>, TopUpId> by_client_ref;
  };

  TopUp(ChangeLog& log, const Ledger& ledger, BankPort& bank, TopUpPolicy policy)
      : log_(&log), ledger_(&ledger), bank_(&bank), policy_(policy) {}

  Result<void> bind_card(AccountId account, BankCardRef card);
  //! Sets the rider's automatic top-up (off, or threshold and amount > 0), both within
  //! Ledger::kMaxAmountMinor.
  Result<void> set_rule(AccountId account, bool automatic, Money threshold, Money amount);
  //! A top-up the rider asked for now. `client_ref` (≠ 0) is the app's key for the request: the
  //! same request sent again (its acknowledgement was lost) returns the first one's id.
  Result<TopUpId> request_manual(AccountId account, Money amount, Time now,
                                 uint64_t client_ref = 0);
  //! Fires an automatic top-up if the account's balance is below its threshold and none is open.
  void review(AccountId account, Time now);
  //! Retries timed-out requests whose wait has passed (and requests a restart left unanswered).
  void advance(Time now);
  //! An answer the bank sends on its own, later (e.g. the approval of a timed-out request).
  Result<void> bank_notice(TopUpId id, BankAnswer answer, Time now);
  //! The answer to `attempt` of a request the bank port took as kPending (a time-out when the
  //! bank took too long). A late answer to an earlier attempt counts as a notice (a late
  //! time-out is ignored). Errors: no such request, kPending, attempt 0.
  Result<void> bank_answer(TopUpId id, uint32_t attempt, BankAnswer answer, Time now);
  //! Requests whose attempt waits for a bank_answer.
  size_t awaiting_bank() const { return awaiting_.size(); }

  void apply(const CardBound& bound);
  void apply(const TopUpRuleSet& rule);
  void apply(const TopUpRequested& requested);
  void apply(const TopUpAnswered& answered);

  const Request* find(TopUpId id) const;
  const Rule* rule(AccountId account) const;
  //! Room for `accounts` accounts' rules in all (a capacity hint; changes nothing else).
  void reserve(size_t accounts) { state_.rules.reserve(accounts); }
  const State& state() const { return state_; }
  void restore(State state) {
    state_ = std::move(state);
    awaiting_.clear(); // after a restart, advance() retries them under the same id
  }

private:
  //! True when the account's balance plus every request not yet credited and `amount` stays
  //! within Ledger::kMaxBalanceMinor.
  bool fits_balance(AccountId account, Money amount) const;
  //! The account's rule, added (empty) when it has none (apply only).
  Rule& rule_at(AccountId account);
  TopUpId start(AccountId account, const Rule& rule, Money amount, TopUpKind kind, Time now,
                uint64_t client_ref);
  void attempt(const Request& request, Time now);
  void answer(TopUpId id, uint32_t attempt, BankAnswer answer, Time now);

  ChangeLog* log_;
  const Ledger* ledger_;
  BankPort* bank_;
  TopUpPolicy policy_;
  State state_;
  std::set<TopUpId> awaiting_; //!< sent to an asynchronous bank, answer not in yet
};

} // namespace hcesim::cloud
