#pragma once
// The end-of-run invariants of a city run (issue 16): whatever faults or attackers did, every bank
// approval is credited exactly once, each account's money is conserved, every tap a validator
// accepted settles exactly once (or is still held by its validator), and no honest rider is
// denylisted without cause. The witness is fed as the run goes — the cloud's journal, the taps
// validators accepted, the bank's approvals — into dense tables (a few tens of bytes per account,
// one byte per accepted record), and checked once at the end.
#include "base/ids.h"
#include "hce/cloud/account_services.h"
#include "hce/cloud/journal_record.h"
#include "hce/token/validator.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hcesim::models {

//! The first entity that breaks an invariant.
struct InvariantViolation {
  std::string invariant; //!< top_up_applied_once, money_conserved, tap_settled_once, …
  std::string entity;    //!< "account 12", "record 3/45" (validator id / sequence)
  std::string detail;
  //! "<invariant>: <entity>: <detail>"
  std::string to_string() const { return invariant + ": " + entity + ": " + detail; }
};

//! What the witness saw of the records, for the run's figures.
struct RecordTally {
  uint64_t accepted = 0;          //!< taps validators accepted
  uint64_t settled = 0;           //!< of those, in the settlement books once
  uint64_t held = 0;              //!< of those, still unacknowledged in their validator at the end
  uint64_t forged = 0;            //!< records a forging validator made (never accepted at a tap)
  uint64_t refused_by_checks = 0; //!< records settlement's checks refused (not genuine)
};

class InvariantWitness {
public:
  //! Rider r's account is AccountId(r + 1); validator v's id is ValidatorId(v + 1).
  InvariantWitness(uint32_t riders, uint32_t validators, AccountId fraud_loss_account);

  // ---- fed as the run goes ----
  //! Every cloud journal record, in order.
  void journal(const cloud::JournalRecord& record);
  //! Validator v accepted a tap and stored its record under `sequence`.
  void tap_accepted(uint32_t validator, uint64_t sequence);
  //! Validator v stored a record no tap made (a forging validator's): it must never settle.
  void record_forged(uint32_t validator, uint64_t sequence);
  //! The bank approved a charge of this top-up request (one request may be approved more than
  //! once: a late approval and a retry's; the bank honours the id, so it is one approval).
  void bank_approved(const cloud::TopUpId& id);
  //! Records settlement's checks refused (cryptogram or key): counted, never settled.
  void refused_by_checks(uint32_t records) { records_.refused_by_checks += records; }
  //! The account belongs to an attacker (or an attacker's victim): it may be denylisted.
  void set_not_honest(AccountId account);
  //! An attacker's account opened after the riders' (ids in order from riders + 1; call before
  //! the cloud opens it, so its opening entry is seen). Not honest.
  void open_account(AccountId account);
  //! Room for this many accounts (riders with HCE): one allocation instead of doubling.
  void reserve_accounts(size_t accounts) { accounts_.reserve(accounts); }

  // ---- at the end ----
  //! The first violation found (in the order above the class), or none. `validators[v]` is
  //! validator v. Cheap: one pass over accounts and records.
  std::optional<InvariantViolation>
  check(const cloud::AccountServices& services,
        const std::vector<std::unique_ptr<hce::Validator>>& validators);
  const RecordTally& records() const { return records_; }

private:
  struct Account {
    int64_t opening = 0; //!< adjustments (the opening balance)
    int64_t top_ups = 0; //!< Σ top-up credits
    int64_t fares = 0;   //!< Σ fares and corrections (negative: paid)
    int64_t other = 0;   //!< refunds, fraud losses
    uint32_t credits = 0;
    uint32_t approvals = 0;
    uint8_t deny = 0; //!< the denylist reasons of its last change
    bool not_honest = false;
  };
  static constexpr uint8_t kAccepted = 1;
  static constexpr uint8_t kForged = 2;
  static constexpr uint8_t kHeld = 4;
  static constexpr uint8_t kSettledShift = 4; //!< settles counted in the top bits, saturating

  //! The account's tally, made on first use (nullptr: an id the run never had).
  Account* account(AccountId id);
  //! The tally of riders' account id `i + 1`, all zero when never used.
  const Account& rider_account(size_t i) const;
  void entry(const cloud::LedgerEntry& e, bool fraud_journey);
  uint8_t* record(const cloud::TapRecordId& id);
  void mark(uint32_t validator, uint64_t sequence, uint8_t bit);
  void fail(const char* invariant, std::string entity, std::string detail);
  static int64_t sum(const Account& a) { return a.opening + a.top_ups + a.fares + a.other; }

  AccountId fraud_loss_;
  // Tallies only for accounts in use (riders without HCE have none): a million riders.
  static constexpr uint32_t kNoSlot = UINT32_MAX;
  std::vector<uint32_t> slot_of_; //!< by account id − 1 (riders, then attackers): into accounts_
  std::vector<Account> accounts_;
  Account fraud_account_;
  std::vector<std::vector<uint8_t>> records_of_; //!< per validator, by sequence − 1
  std::vector<uint64_t> approved_; //!< (account << 32 | serial), deduplicated at the end
  RecordTally records_;
  std::optional<InvariantViolation> first_; //!< a violation seen while the run went on
};

} // namespace hcesim::models
