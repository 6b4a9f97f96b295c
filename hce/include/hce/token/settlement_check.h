#pragma once
// Settlement checks (cloud side, the one owner of these decisions; DESIGN §4): re-verify both
// cryptograms of every uploaded record, settle each record identity once (duplicates flagged),
// flag clones (one (token, counter) in two records), counters over the limit, impossible travel
// and tap times out of bounds or running backwards. The output, CheckedTap, is what the cloud
// prices and posts. The checker's whole memory is SettlementState: snapshot it to journal it,
// restore it after a restart.
#include "hce/token/aes_cmac.h"
#include "hce/token/record_id.h"
#include "hce/token/tap.h"
#include "hce/token/tap_batch.h"
#include "hce/token/token_keys.h"
#include "hce/token/use_table.h"

#include "base/ids.h"
#include "base/time.h"

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>
#include <vector>

namespace hcesim::hce {

enum TapFlag : uint32_t {
  kFlagDuplicate = 1u << 0,           //!< this record identity was checked before: settle nothing
  kFlagClone = 1u << 1,               //!< (token, counter) already used by another record
  kFlagOverLimit = 1u << 2,           //!< counter outside 1..offline_limit
  kFlagImpossibleTravel = 1u << 3,    //!< the account was too far away too shortly before/after
  kFlagTimeOutOfBounds = 1u << 4,     //!< tap time outside [issued_at - skew, upload + skew]
  kFlagTimeBackwards = 1u << 5,       //!< earlier than the validator's previous record
  kFlagBadIssuerCryptogram = 1u << 6, //!< not made by the token's holder (forged record)
  kFlagBadValidatorCryptogram = 1u << 7, //!< the gate should not have accepted it
  kFlagUnknownKeyVersion = 1u << 8,      //!< no cryptogram can be checked
  kFlagExpiredAtTap = 1u << 9,           //!< tap time after expires_at + skew
};
//! Flags meaning the record is not a genuine tap of the token's holder: charge nobody for it.
inline constexpr uint32_t kFlagsNotGenuine =
    kFlagBadIssuerCryptogram | kFlagBadValidatorCryptogram | kFlagUnknownKeyVersion;
//! "duplicate|clone" etc., for logs and tests.
std::string flags_to_string(uint32_t flags);

//! One checked record: its identity and facts for pricing and posting, and its flags.
struct CheckedTap {
  RecordId record;
  TokenId token;
  AccountId account;
  DeviceId device;
  uint16_t counter = 0;
  uint16_t offline_limit = 0;
  uint32_t key_version = 0;
  Time tap_time;    //!< the validator's clock (challenge time)
  Time uploaded_at; //!< the cloud's clock when the batch arrived
  StopId stop;
  TapKind kind = TapKind::kFlat;
  uint32_t flags = 0;
  RecordId clone_of; //!< with kFlagClone: the record that used (token, counter) first
  bool has(TapFlag f) const { return (flags & f) != 0; }
};

struct SettlementConfig {
  Duration clock_skew_tolerance = Duration::minutes(5);
  uint32_t max_speed_m_per_s = 40; //!< faster than any bus or metro between two taps
  uint32_t travel_slack_m = 300;   //!< allowance for stop positions and short walks
  size_t travel_history = 8;       //!< recent taps kept per account for impossible travel
};

//! Metres between two stops, supplied by the caller (the network's geometry).
using DistanceFunction = std::function<uint64_t(StopId, StopId)>;

//! Everything the checker remembers; a plain value to journal and restore.
struct SettlementState {
  struct ValidatorSeen {
    uint64_t settled_through = 0; //!< every sequence <= this has been checked
    std::set<uint64_t> above;     //!< checked sequences > settled_through
    uint64_t last_sequence = 0;   //!< highest sequence checked, and its tap time
    Time last_tap_time;
    bool operator==(const ValidatorSeen&) const = default;
  };
  using FirstUse = UseTable::FirstUse;
  using UseKey = UseTable::Key;
  struct Sighting {
    Time time;
    StopId stop;
    bool operator==(const Sighting&) const = default;
  };
  std::map<ValidatorId, ValidatorSeen> validators;
  UseTable uses;
  std::unordered_map<AccountId, std::vector<Sighting>> travel; //!< sorted by time
  bool operator==(const SettlementState&) const = default;
};

class SettlementChecker {
public:
  SettlementChecker(IssuerKeyring& keys, DistanceFunction distance, SettlementConfig config = {});

  //! Checks every record of a batch that arrived at `received_at` (the cloud's clock).
  std::vector<CheckedTap> check(const TapBatch& batch, Time received_at);
  //! Checks one record.
  CheckedTap check(const TapRecord& record, Time received_at);

  const SettlementState& state() const { return state_; }
  //! True when a record of this identity was checked before (sent again, it is a duplicate).
  bool seen(const RecordId& id) const;
  void restore(SettlementState state);
  //! Forgets (token, counter) uses of tokens expired before `t` - skew and sightings before `t`:
  //! a record of such a token arriving later is still re-verified but can no longer be told a
  //! clone. Keeps memory bounded; call with t = now - longest upload delay.
  void forget_before(Time t);

private:
  bool mark_seen(const RecordId& id);
  bool impossible_travel(AccountId account, Time time, StopId stop);

  IssuerKeyring& keys_;
  DistanceFunction distance_;
  SettlementConfig config_;
  SettlementState state_;
  AesCmac scratch_;
  // Lower bounds of the uses' expiry and the sightings' times: forget_before skips a scan that
  // would forget nothing (in a run's first day, every one).
  Time earliest_expiry_ = Time::max();
  Time earliest_sighting_ = Time::max();
};

} // namespace hcesim::hce
