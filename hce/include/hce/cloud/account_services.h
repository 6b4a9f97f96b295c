#pragma once
// The cloud account services as one unit: ledger, fare settlement, top-up and denylist over one
// journal. Every state change is journaled before it is applied or acknowledged; a restart
// restores from a snapshot and replays the journal's tail to the same state.
#include "hce/cloud/denylist_service.h"
#include "hce/cloud/fare_settlement.h"
#include "hce/cloud/journal.h"
#include "hce/cloud/ledger.h"
#include "hce/cloud/top_up.h"
#include "hce/token/settlement_check.h"

#include <span>
#include <vector>

namespace hcesim::cloud {

struct AccountServicesConfig {
  Currency currency;
  SettlementPolicy settlement;
  TopUpPolicy top_up;
};

//! A copy of every service's state as of a journal sequence.
struct AccountServicesSnapshot {
  uint64_t journal_sequence = 0;
  Ledger::State ledger;
  FareSettlement::State settlement;
  TopUp::State top_up;
  DenylistService::State denylist;
  hce::SettlementState checks; //!< the settlement checks' memory (empty without a checker)
};

//! What the world model reports from (revenue at risk, DESIGN §6; settlement lag).
struct CloudFigures {
  Money unpaid_debt;         //!< Σ of riders' negative balances, as a positive amount
  uint64_t pending_taps = 0; //!< taps received but waiting for their other end
  Money pending_fares;       //!< those taps at the maximum fare
  Money fraud_loss;          //!< clones' fares booked to the fraud-loss account
  Money revenue_at_risk;     //!< the sum of the three
  uint64_t journeys_charged = 0;
  Duration mean_lag; //!< first charge − last tap, averaged over charged journeys
  Duration max_lag;
};

class AccountServices final : public ChangeLog {
public:
  //! Services over `journal`: restored from `snapshot` (null: from the journal's start) plus the
  //! journal's tail. A new journal gets the fraud-loss account opened. `checks` (the token code's
  //! settlement checks) is needed only by settle_batch.
  AccountServices(Journal& journal, const JourneyPricer& pricer, BankPort& bank,
                  AccountServicesConfig config, const AccountServicesSnapshot* snapshot = nullptr,
                  hce::SettlementChecker* checks = nullptr);
  AccountServices(const AccountServices&) = delete;
  AccountServices& operator=(const AccountServices&) = delete;

  // Every operation below is journaled up to a commit point before it returns: its result may
  // be acknowledged to the caller then.

  Result<void> open_account(AccountId account, Money debt_limit, Money opening_balance, Time now);
  //! Room for `accounts` accounts in all (the fraud-loss one included): a capacity hint before
  //! opening many at once, so a city's accounts, rules and indexes are each allocated once
  //! rather than doubled past their size. Changes nothing else.
  void reserve_accounts(size_t accounts) {
    ledger_.reserve(accounts);
    top_up_.reserve(accounts);
  }
  Result<void> enrol_device(AccountId account, DeviceId device);
  Result<void> bind_card(AccountId account, BankCardRef card);
  Result<void> set_top_up_rule(AccountId account, bool automatic, Money threshold, Money amount);
  //! A manual top-up; reviews the denylist (a cleared debt lifts a listing).
  //! `client_ref`: see TopUp::request_manual.
  Result<TopUpId> top_up(AccountId account, Money amount, Time now, uint64_t client_ref = 0);
  Result<void> bank_notice(TopUpId id, BankAnswer answer, Time now);
  //! An asynchronous bank's answer to one attempt (TopUp::bank_answer); reviews the account.
  Result<void> bank_answer(TopUpId id, uint32_t attempt, BankAnswer answer, Time now);
  //! The owner reports the account's phone lost: the account and its tokens are denylisted for
  //! good, and its taps from `now` on are booked to the fraud-loss account (clone_policy.h).
  //! Reporting again changes nothing; an unknown account is an error.
  Result<void> report_lost(AccountId account, Time now);

  struct BatchReceipt {
    uint32_t accepted = 0;
    uint32_t duplicates = 0;
    uint32_t unknown_account = 0;
    uint32_t not_genuine = 0; //!< failed a cryptogram or key check: charged to nobody
    uint32_t flagged = 0;     //!< accepted with a clone, limit, travel or time flag
    uint32_t day_closed = 0;  //!< of a closed service day: journaled, charged nobody
  };
  //! Settles a batch of checked taps, then fires automatic top-ups and reviews the denylist of
  //! every account whose balance moved.
  BatchReceipt settle(std::span<const SettlementTap> taps, Time now);
  //! The whole path of a validator's upload: journaled as it came, checked by the token code's
  //! settlement checks (both cryptograms re-verified, duplicates and clones flagged), then settled.
  //! Every record of the batch is journaled when this returns: acknowledge them all.
  BatchReceipt settle_batch(const hce::TapBatch& batch, Time now);
  //! Charges journeys whose exit window ran out, retries due top-ups, reviews what moved.
  void advance(Time now);

  //! Stops holding ledger entries before `sequence` (see Ledger::archive_before).
  void archive_ledger_before(uint64_t sequence) { ledger_.archive_before(sequence); }

  AccountServicesSnapshot snapshot() const;
  CloudFigures figures(Time now) const;
  //! Denylist changes since the last call, in version order, for the validators' updates.
  std::vector<DenylistChanged> take_denylist_changes();

  const Ledger& ledger() const { return ledger_; }
  const FareSettlement& settlement() const { return settlement_; }
  const TopUp& top_ups() const { return top_up_; }
  const DenylistService& denylist() const { return denylist_; }
  AccountId fraud_loss_account() const { return config_.settlement.fraud_loss_account; }

  //! Journals the record, then applies it.
  void commit(const JournalRecord& record) override;
  //! Journals a commit point (when anything was committed since the last one).
  void sync() override;

private:
  void apply(const JournalRecord& record);
  void review(std::vector<AccountId>& touched, Time now);
  void receive(const SettlementTap& tap, Time now, BatchReceipt& receipt);

  Journal* journal_;
  AccountServicesConfig config_;
  Ledger ledger_;
  FareSettlement settlement_;
  TopUp top_up_;
  DenylistService denylist_;
  hce::SettlementChecker* checks_;
  std::vector<hce::CheckedTap> checked_; //!< the checks' output for the batch being applied
  std::vector<DenylistChanged> denylist_outbox_;
  std::vector<AccountId> touched_;
  bool unsynced_ = false;
};

} // namespace hcesim::cloud
