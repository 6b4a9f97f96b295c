#pragma once
// Every state change of the cloud account services, as the journal stores it. The services change
// state only by applying these records, so replaying a journal's tail over a snapshot rebuilds the
// very state that wrote it (DESIGN §3 rule 1).
#include "base/ids.h"
#include "base/money.h"
#include "base/time.h"
#include "hce/cloud/bank_port.h"
#include "hce/cloud/ledger_entry.h"
#include "hce/cloud/settlement_tap.h"
#include "hce/token/tap_batch.h"

#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

namespace hcesim::cloud {

//! A journey's identity in settlement: its first tap, and who pays (the account, or the
//! fraud-loss account for a clone's taps).
struct JourneyKey {
  TapRecordId first;
  bool fraud = false;
  constexpr auto operator<=>(const JourneyKey&) const = default;
};

struct AccountOpened {
  AccountId account;
  Currency currency;
  Money debt_limit; //!< how far below zero the balance may go before the account is denylisted
  bool fraud_loss = false; //!< the account clones' fares are booked to
};

//! A phone enrolled for the account (the token issuer grants only to known devices).
struct DeviceEnrolled {
  AccountId account;
  DeviceId device;
};

//! A ledger entry that is not a fare (top-up, refund, adjustment).
struct EntryPosted {
  LedgerEntry entry;
};

//! A fare or fare correction of one journey: the ledger entry and settlement's running charge.
struct JourneyCharged {
  LedgerEntry entry; //!< on the rider's account, or on the fraud-loss account for a clone's taps
  AccountId rider;   //!< whose taps the journey is made of
  JourneyKey journey;
  int64_t day = 0;       //!< service day of the journey's first tap
  uint32_t revision = 0; //!< 0 for the first charge, then each correction
  uint32_t taps = 0;     //!< taps in the journey when first charged (settlement figures)
  Duration lag;          //!< posting time minus the journey's last tap time, when first charged
};

//! A validator's upload as it arrived: replaying it through the settlement checks rebuilds their
//! memory (seen records, counter uses, sightings) after a restart.
struct BatchReceived {
  hce::TapBatch batch;
  Time at;
};

//! A checked tap settlement accepted (duplicates never get here).
struct TapReceived {
  SettlementTap tap;
  Time at;
};

//! Settlement's exit windows up to `now` ran out: the deadlines due are taken off its queue (the
//! repricing they cause is journaled as charges).
struct DeadlinesPassed {
  Time now;
};

struct CardBound {
  AccountId account;
  BankCardRef card;
};

struct TopUpRuleSet {
  AccountId account;
  bool automatic = false;
  Money threshold; //!< an automatic top-up fires when the balance falls below this
  Money amount;
};

enum class TopUpKind : uint8_t { kAutomatic, kManual };

struct TopUpRequested {
  TopUpId id;
  Money amount;
  TopUpKind kind = TopUpKind::kManual;
  BankCardRef card;
  Time at;
  uint64_t client_ref = 0; //!< the rider app's key for a manual request (0: none)
};

//! The bank's answer to one attempt (attempt 0: a notice the bank sent later on its own), with
//! the ledger credit it makes when it is the request's first approval (one record, so a restart
//! never finds an approval without its credit).
struct TopUpAnswered {
  TopUpId id;
  uint32_t attempt = 0;
  BankAnswer answer;
  Time at;
  std::optional<LedgerEntry> credit;
};

//! Why an account is denylisted (bits: several may hold). kDenyLost: its owner reported the phone
//! lost (kept for good: the phone is in somebody else's hands).
enum DenylistReason : uint8_t { kDenyNone = 0, kDenyDebt = 1, kDenyClone = 2, kDenyLost = 4 };

struct DenylistChanged {
  uint64_t version = 0; //!< the denylist version this change makes
  AccountId account;
  uint8_t reasons = kDenyNone; //!< the account's reasons after the change; none = lifted
  std::vector<TokenId> tokens; //!< the account's tokens listed (or lifted) with it
  Time at;
};

//! Everything journaled before it is one consistent state: an operation finished, or a top-up
//! request is about to go to the bank. A restart drops records after the last commit point
//! (an operation cut short, which its caller, never acknowledged, sends again).
struct CommitPoint {};

using JournalRecord =
    std::variant<AccountOpened, DeviceEnrolled, EntryPosted, JourneyCharged, TapReceived,
                 DeadlinesPassed, BatchReceived, CardBound, TopUpRuleSet, TopUpRequested,
                 TopUpAnswered, DenylistChanged, CommitPoint>;

} // namespace hcesim::cloud
