#pragma once
// The denylist service: lists an account (with its tokens) whose debt passes its limit, that
// has a cloned token or whose phone was reported lost, lifts a debt listing once the debt is
// cleared (clone and lost listings stay), and
// numbers every change with a new version for the validators' authenticated updates.
#include "hce/cloud/fare_settlement.h"
#include "hce/cloud/journal.h"
#include "hce/cloud/ledger.h"
#include "hce/token/denylist.h"

#include <map>
#include <vector>

namespace hcesim::cloud {

class DenylistService {
public:
  struct Listing {
    uint8_t reasons = kDenyNone; //!< DenylistReason bits (never none while listed)
    std::vector<TokenId> tokens;
    bool operator==(const Listing&) const = default;
  };
  struct State {
    uint64_t version = 0;
    std::map<AccountId, Listing> listed;
    std::vector<DenylistChanged> recent; //!< the last changes, oldest first (for deltas)
  };
  //! How many recent changes are kept to build deltas; a validator further behind gets a full list.
  static constexpr size_t kRecentChanges = 4096;

  DenylistService(ChangeLog& log, const Ledger& ledger, const FareSettlement& settlement)
      : log_(&log), ledger_(&ledger), settlement_(&settlement) {}

  //! Lists or lifts the account as its debt and clone flags now say; true when it changed.
  bool review(AccountId account, Time now);
  //! Lists the account for good as its owner reported the phone lost; false when the account is
  //! unknown or was reported already (nothing changes).
  bool report_lost(AccountId account, Time now);
  //! The reasons that ought to hold now: debt past the limit (kept until the balance is back to
  //! zero or above), any cloned token and a lost report (kept for good).
  uint8_t reasons_due(AccountId account) const;

  void apply(const DenylistChanged& change);

  //! The authenticated update (token code's format and MAC) that takes a validator at
  //! `validator_version` to the current version: a delta while the recent changes reach back
  //! that far, else the full list (base version 0). A validator accepts no step of more than
  //! `max_step` versions (hce::Denylist): one further behind gets the full list as it is now,
  //! numbered validator_version + max_step, and catches up in steps (a delta from there lists
  //! each account changed since as it is now, so replaying changes already in it is harmless).
  hce::DenylistUpdate update_for(uint64_t validator_version, hce::AesCmac& cloud_key,
                                 uint64_t max_step = UINT64_MAX) const;
  //! The full list as it is now, numbered the current version, authenticated.
  hce::DenylistUpdate full_update(hce::AesCmac& cloud_key) const;

  uint64_t version() const { return state_.version; }
  uint8_t reasons(AccountId account) const;
  bool listed(AccountId account) const { return reasons(account) != kDenyNone; }
  const State& state() const { return state_; }
  void restore(State state) { state_ = std::move(state); }

private:
  //! The full list as it is now, numbered `version`, authenticated.
  hce::DenylistUpdate full_update(hce::AesCmac& cloud_key, uint64_t version) const;
  uint8_t reasons(const Ledger::Account& a) const;
  uint8_t reasons_due(const Ledger::Account& a, uint8_t current) const;

  ChangeLog* log_;
  const Ledger* ledger_;
  const FareSettlement* settlement_;
  State state_;
};

} // namespace hcesim::cloud
