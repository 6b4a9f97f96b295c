#pragma once
// The validator (bus reader, metro gate): offline, it challenges the phone, verifies the response
// and accepts or refuses with exactly one reason, stores accepted records under (validator id,
// sequence) until the cloud acknowledges them, and applies authenticated denylist updates
// (DESIGN §4). Sans-IO: every call takes `now` (the validator's own clock, maybe wrong).
#include "hce/random_source.h"
#include "hce/token/aes_cmac.h"
#include "hce/token/denylist.h"
#include "hce/token/record_store.h"
#include "hce/token/replay_memory.h"
#include "hce/token/tap.h"
#include "hce/token/tap_batch.h"
#include "hce/token/wire.h"

#include "base/error.h"
#include "base/ids.h"
#include "base/time.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace hcesim::hce {

//! Why a tap was refused; checked in this order, the first that applies is the one reason.
enum class TapRefusal : uint8_t {
  kNone = 0,            //!< accepted
  kMalformed,           //!< the response bytes do not decode (see TapOutcome::error)
  kUnknownKeyVersion,   //!< a version this validator does not hold (too new, or never issued)
  kWithdrawnKeyVersion, //!< below the minimum version or withdrawn (no downgrade)
  kBadCryptogram,       //!< the validator cryptogram does not verify (tampered or replayed)
  kExpired,             //!< now > expires_at + skew tolerance
  kNotYetValid,         //!< now < issued_at - skew tolerance
  kCounterOverLimit,    //!< counter > offline_limit
  kTokenDenylisted,
  kAccountDenylisted,
  kReplayed,  //!< (token, counter) seen recently here
  kStoreFull, //!< no room to keep the record: refused rather than ride unsettled
};
inline constexpr int kTapRefusalCount = 12;
const char* to_string(TapRefusal r);

struct TapOutcome {
  TapRefusal refusal = TapRefusal::kNone;
  uint64_t sequence = 0; //!< the stored record's sequence when accepted
  Error error;           //!< what was malformed (kMalformed only)
  bool accepted() const { return refusal == TapRefusal::kNone; }
};

struct ValidatorConfig {
  ValidatorId id;
  StopId stop;
  Duration clock_skew_tolerance = Duration::minutes(5);
  size_t replay_capacity = 1 << 15; //!< (token, counter) pairs remembered
  size_t store_capacity = 100'000;  //!< records held until acknowledged
  uint64_t denylist_max_version_jump = 10'000;
  //! The first record sequence to use: 1 for a new validator; after a restart, one past the last
  //! sequence it journaled (a reused sequence would settle as a duplicate and be lost).
  uint64_t first_sequence = 1;
};

class Validator {
public:
  Validator(const ValidatorConfig& config, const Key128& denylist_key);
  ~Validator();
  Validator(const Validator&) = delete;
  Validator& operator=(const Validator&) = delete;

  // ---- keys (the SAM) ----
  //! Installs a validator master key version. Error if the version is 0, already held, or below
  //! the minimum.
  Result<void> install_key(uint32_t version, const Key128& validator_master_key);
  //! Raises the minimum accepted version and drops keys below it; a lower value is ignored
  //! (the minimum never goes down).
  void raise_minimum_key_version(uint32_t version);
  uint32_t minimum_key_version() const { return min_version_; }

  // ---- taps ----
  //! Starts a tap: a fresh challenge (kept until verify()).
  TapChallenge challenge(Time now, TapKind kind, RandomSource& random);
  //! Verifies the response to the outstanding challenge (consumed either way). The hot path.
  TapOutcome verify(Bytes response, Time now);
  //! The same for an already decoded response.
  TapOutcome verify(const TapResponse& response, Time now);
  bool has_outstanding_challenge() const { return pending_.has_value(); }

  //! A bus validator moves: records from now on carry this stop.
  void set_stop(StopId stop) { config_.stop = stop; }
  StopId stop() const { return config_.stop; }
  ValidatorId id() const { return config_.id; }

  // ---- upload ----
  //! A batch of up to `max_records` unacknowledged records, oldest first (the same records are
  //! sent again until acknowledged).
  TapBatch make_batch(size_t max_records);
  //! Deletes the acknowledged records; an ack for another validator is ignored. Returns how many
  //! records were newly acknowledged.
  size_t acknowledge(const BatchAck& ack);
  const RecordStore& store() const { return store_; }
  const ReplayMemory& replay_memory() const { return replay_; }
  uint64_t last_sequence() const { return next_sequence_ - 1; }

  // ---- denylist ----
  DenylistApply apply_denylist(const DenylistUpdate& update) { return denylist_.apply(update); }
  const Denylist& denylist() const { return denylist_; }

private:
  struct HeldKey {
    uint32_t version;
    std::unique_ptr<AesCmac> master;
  };
  AesCmac* find_key(uint32_t version);

  ValidatorConfig config_;
  std::vector<HeldKey> keys_; //!< sorted by version
  uint32_t min_version_ = 1;
  std::optional<TapChallenge> pending_;
  TapResponseDecoder decoder_;
  TapResponse scratch_;
  AesCmac token_cmac_; //!< re-keyed per tap with the derived token key
  ReplayMemory replay_;
  RecordStore store_;
  Denylist denylist_;
  uint64_t next_sequence_ = 1;
  uint64_t next_batch_ = 1;
};

} // namespace hcesim::hce
