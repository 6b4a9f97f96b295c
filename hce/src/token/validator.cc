#include "hce/token/validator.h"

#include "hce/token/token_keys.h"

#include <algorithm>
#include <cassert>

namespace hcesim::hce {

const char* to_string(TapRefusal r) {
  switch (r) {
  case TapRefusal::kNone:
    return "accepted";
  case TapRefusal::kMalformed:
    return "malformed";
  case TapRefusal::kUnknownKeyVersion:
    return "unknown key version";
  case TapRefusal::kWithdrawnKeyVersion:
    return "withdrawn key version";
  case TapRefusal::kBadCryptogram:
    return "bad cryptogram";
  case TapRefusal::kExpired:
    return "expired";
  case TapRefusal::kNotYetValid:
    return "not yet valid";
  case TapRefusal::kCounterOverLimit:
    return "counter over limit";
  case TapRefusal::kTokenDenylisted:
    return "token denylisted";
  case TapRefusal::kAccountDenylisted:
    return "account denylisted";
  case TapRefusal::kReplayed:
    return "replayed";
  case TapRefusal::kStoreFull:
    return "store full";
  }
  return "?";
}

Validator::Validator(const ValidatorConfig& config, const Key128& denylist_key)
    : config_(config), token_cmac_(Key128{}), replay_(config.replay_capacity),
      store_(config.store_capacity), denylist_(denylist_key, config.denylist_max_version_jump),
      next_sequence_(config.first_sequence) {
  assert(config.first_sequence >= 1);
}

Validator::~Validator() = default;

Result<void> Validator::install_key(uint32_t version, const Key128& key) {
  if (version == 0) {
    return Error{"key_version", "key version 0 is reserved; versions start at 1"};
  }
  if (version < min_version_) {
    return Error{"key_version", "key version " + std::to_string(version) +
                                    " is below the minimum " + std::to_string(min_version_)};
  }
  if (find_key(version) != nullptr) {
    return Error{"key_version", "key version " + std::to_string(version) + " already installed"};
  }
  HeldKey held{version, std::make_unique<AesCmac>(key)};
  auto at = std::lower_bound(keys_.begin(), keys_.end(), version,
                             [](const HeldKey& k, uint32_t v) { return k.version < v; });
  keys_.insert(at, std::move(held));
  return {};
}

void Validator::raise_minimum_key_version(uint32_t version) {
  if (version <= min_version_) {
    return;
  }
  min_version_ = version;
  std::erase_if(keys_, [&](const HeldKey& k) { return k.version < min_version_; });
}

AesCmac* Validator::find_key(uint32_t version) {
  for (auto& k : keys_) {
    if (k.version == version) {
      return k.master.get();
    }
  }
  return nullptr;
}

TapChallenge Validator::challenge(Time now, TapKind kind, RandomSource& random) {
  pending_ = TapChallenge{config_.id, now, random.next_u64(), kind};
  return *pending_;
}

TapOutcome Validator::verify(Bytes response, Time now) {
  TapOutcome out;
  if (!decoder_.decode(response, scratch_, out.error)) {
    pending_.reset();
    out.refusal = TapRefusal::kMalformed;
    return out;
  }
  return verify(scratch_, now);
}

TapOutcome Validator::verify(const TapResponse& r, Time now) {
  assert(pending_.has_value() && "verify() without an outstanding challenge");
  TapOutcome out;
  if (!pending_) { // a caller bug; in a release build refuse rather than read nothing
    out.refusal = TapRefusal::kMalformed;
    out.error = Error{"TapResponse", "no outstanding challenge to answer"};
    return out;
  }
  const TapChallenge challenge = *pending_;
  pending_.reset();
  const TokenHeader& h = r.header;
  AesCmac* master = find_key(h.key_version);
  if (master == nullptr) {
    out.refusal = h.key_version < min_version_ ? TapRefusal::kWithdrawnKeyVersion
                                               : TapRefusal::kUnknownKeyVersion;
    return out;
  }
  token_cmac_.rekey(derive_token_key(*master, CryptogramRole::kValidator, h));
  if (!mac_equal(compute_cryptogram(token_cmac_, CryptogramRole::kValidator, challenge, r.counter),
                 r.validator_cryptogram)) {
    out.refusal = TapRefusal::kBadCryptogram;
  } else if (now > h.expires_at + config_.clock_skew_tolerance) {
    out.refusal = TapRefusal::kExpired;
  } else if (now < h.issued_at - config_.clock_skew_tolerance) {
    out.refusal = TapRefusal::kNotYetValid;
  } else if (r.counter > h.offline_limit) {
    out.refusal = TapRefusal::kCounterOverLimit;
  } else if (denylist_.has_token(h.id)) {
    out.refusal = TapRefusal::kTokenDenylisted;
  } else if (denylist_.has_account(h.account)) {
    out.refusal = TapRefusal::kAccountDenylisted;
  } else if (replay_.contains(h.id, r.counter)) {
    out.refusal = TapRefusal::kReplayed;
  } else if (store_.full()) {
    out.refusal = TapRefusal::kStoreFull;
  }
  if (out.refusal != TapRefusal::kNone) {
    return out;
  }
  // Pairs of tokens expired by now (skew allowed) can never be told here again: let them go.
  replay_.forget_expired(now - config_.clock_skew_tolerance);
  replay_.insert(h.id, r.counter, h.expires_at);
  out.sequence = next_sequence_++;
  TapRecord& rec = store_.emplace(out.sequence);
  rec.validator = config_.id;
  rec.stop = config_.stop;
  rec.challenge = challenge;
  rec.response = r;
  return out;
}

TapBatch Validator::make_batch(size_t max_records) {
  TapBatch b;
  b.validator = config_.id;
  b.batch = next_batch_++;
  b.records = store_.oldest_unacknowledged(std::min(max_records, kMaxBatchRecords));
  return b;
}

size_t Validator::acknowledge(const BatchAck& ack) {
  if (ack.validator != config_.id) {
    return 0;
  }
  return store_.acknowledge(ack.sequences);
}

} // namespace hcesim::hce
