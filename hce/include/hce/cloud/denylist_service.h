#pragma once
// The denylist service: lists an account (with its tokens) whose debt passes its limit or that
// has a cloned token, lifts a debt listing once the debt is cleared (a clone listing stays), and
// numbers every change with a new version for the validators' authenticated updates.
#include "hce/cloud/fare_settlement.h"
#include "hce/cloud/journal.h"
#include "hce/cloud/ledger.h"

#include <map>

namespace hcesim::cloud {

class DenylistService {
public:
  struct State {
    uint64_t version = 0;
    std::map<AccountId, uint8_t> listed; //!< account → DenylistReason bits (never 0)
  };

  DenylistService(ChangeLog& log, const Ledger& ledger, const FareSettlement& settlement)
      : log_(&log), ledger_(&ledger), settlement_(&settlement) {}

  //! Lists or lifts the account as its debt and clone flags now say; true when it changed.
  bool review(AccountId account, Time now);
  //! The reasons that ought to hold now: debt past the limit (kept until the balance is back to
  //! zero or above), any cloned token (kept for good).
  uint8_t reasons_due(AccountId account) const;

  void apply(const DenylistChanged& change);

  uint64_t version() const { return state_.version; }
  uint8_t reasons(AccountId account) const;
  bool listed(AccountId account) const { return reasons(account) != kDenyNone; }
  const State& state() const { return state_; }
  void restore(State state) { state_ = std::move(state); }

private:
  ChangeLog* log_;
  const Ledger* ledger_;
  const FareSettlement* settlement_;
  State state_;
};

} // namespace hcesim::cloud
