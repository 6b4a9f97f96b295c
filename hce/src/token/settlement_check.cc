#include "hce/token/settlement_check.h"

#include <algorithm>

namespace hcesim::hce {

std::string flags_to_string(uint32_t flags) {
  static const std::pair<uint32_t, const char*> kNames[] = {
      {kFlagDuplicate, "duplicate"},
      {kFlagClone, "clone"},
      {kFlagOverLimit, "over limit"},
      {kFlagImpossibleTravel, "impossible travel"},
      {kFlagTimeOutOfBounds, "time out of bounds"},
      {kFlagTimeBackwards, "time backwards"},
      {kFlagBadIssuerCryptogram, "bad issuer cryptogram"},
      {kFlagBadValidatorCryptogram, "bad validator cryptogram"},
      {kFlagUnknownKeyVersion, "unknown key version"},
      {kFlagExpiredAtTap, "expired at tap"},
  };
  std::string out;
  for (const auto& [bit, name] : kNames) {
    if ((flags & bit) != 0) {
      out += out.empty() ? "" : "|";
      out += name;
    }
  }
  return out;
}

SettlementChecker::SettlementChecker(IssuerKeyring& keys, DistanceFunction distance,
                                     SettlementConfig config)
    : keys_(keys), distance_(std::move(distance)), config_(config), scratch_(Key128{}) {}

std::vector<CheckedTap> SettlementChecker::check(const TapBatch& batch, Time received_at) {
  std::vector<CheckedTap> out;
  out.reserve(batch.records.size());
  for (const auto& r : batch.records) {
    out.push_back(check(r, received_at));
  }
  return out;
}

bool SettlementChecker::seen(const RecordId& id) const {
  const auto it = state_.validators.find(id.validator);
  return it != state_.validators.end() &&
         (id.sequence <= it->second.settled_through || it->second.above.contains(id.sequence));
}

bool SettlementChecker::mark_seen(const RecordId& id) {
  auto& v = state_.validators[id.validator];
  if (id.sequence <= v.settled_through) {
    return false;
  }
  if (id.sequence == v.settled_through + 1 &&
      (v.above.empty() || *v.above.begin() != id.sequence)) {
    // In order, as nearly every record comes: no set node to make and free. (A restored state
    // may hold the next sequence in `above` already: then it is a re-send, as before.)
    ++v.settled_through;
  } else if (!v.above.insert(id.sequence).second) {
    return false;
  }
  while (!v.above.empty() && *v.above.begin() == v.settled_through + 1) {
    v.above.erase(v.above.begin());
    ++v.settled_through;
  }
  return true;
}

bool SettlementChecker::impossible_travel(AccountId account, Time time, StopId stop) {
  auto& seen = state_.travel[account];
  bool impossible = false;
  for (const auto& s : seen) {
    const int64_t dt = std::abs((time - s.time).us());
    const uint64_t d = s.stop == stop ? 0 : distance_(s.stop, stop);
    // Metres reachable in dt at the top speed, plus slack; saturating (a huge dt allows anything).
    const uint64_t speed = config_.max_speed_m_per_s;
    const auto whole_s = static_cast<uint64_t>(dt / 1'000'000);
    const auto frac_us = static_cast<uint64_t>(dt % 1'000'000);
    if (speed != 0 && whole_s > (UINT64_MAX / 2) / speed) {
      continue;
    }
    const uint64_t reachable =
        speed * whole_s + speed * frac_us / 1'000'000 + uint64_t{config_.travel_slack_m};
    impossible = impossible || d > reachable;
  }
  const auto at =
      std::upper_bound(seen.begin(), seen.end(), time,
                       [](Time t, const SettlementState::Sighting& s) { return t < s.time; }) -
      seen.begin();
  if (seen.size() == seen.capacity()) {
    seen.reserve(seen.size() + 1); // a handful per account, a million accounts: grow by one
  }
  seen.insert(seen.begin() + at, SettlementState::Sighting{time, stop});
  earliest_sighting_ = std::min(earliest_sighting_, time);
  if (seen.size() > config_.travel_history) {
    seen.erase(seen.begin()); // the oldest
  }
  return impossible;
}

CheckedTap SettlementChecker::check(const TapRecord& r, Time received_at) {
  const TokenHeader& h = r.response.header;
  CheckedTap c;
  c.record = RecordId{r.validator, r.sequence};
  c.token = h.id;
  c.account = h.account;
  c.device = h.device;
  c.counter = r.response.counter;
  c.offline_limit = h.offline_limit;
  c.key_version = h.key_version;
  c.tap_time = r.challenge.time;
  c.uploaded_at = received_at;
  c.stop = r.stop;
  c.kind = r.challenge.kind;

  if (!mark_seen(c.record)) {
    c.flags = kFlagDuplicate;
    return c;
  }
  Key128 validator_key{};
  Key128 issuer_key{};
  if (!keys_.derive(h, validator_key, issuer_key)) {
    c.flags |= kFlagUnknownKeyVersion;
  } else {
    scratch_.rekey(validator_key);
    if (!mac_equal(compute_cryptogram(scratch_, CryptogramRole::kValidator, r.challenge, c.counter),
                   r.response.validator_cryptogram)) {
      c.flags |= kFlagBadValidatorCryptogram;
    }
    scratch_.rekey(issuer_key);
    if (!mac_equal(compute_cryptogram(scratch_, CryptogramRole::kIssuer, r.challenge, c.counter),
                   r.response.issuer_cryptogram)) {
      c.flags |= kFlagBadIssuerCryptogram;
    }
  }
  if (c.counter < 1 || c.counter > h.offline_limit) {
    c.flags |= kFlagOverLimit;
  }
  const Duration skew = config_.clock_skew_tolerance;
  if (c.tap_time < h.issued_at - skew || c.tap_time > received_at + skew) {
    c.flags |= kFlagTimeOutOfBounds;
  }
  if (c.tap_time > h.expires_at + skew) {
    c.flags |= kFlagExpiredAtTap;
  }
  auto& v = state_.validators[r.validator];
  if (r.sequence > v.last_sequence) {
    if (v.last_sequence != 0 && c.tap_time < v.last_tap_time) {
      c.flags |= kFlagTimeBackwards;
    }
    v.last_sequence = r.sequence;
    v.last_tap_time = c.tap_time;
  }
  if ((c.flags & kFlagsNotGenuine) != 0) {
    // Not the holder's tap: it must not make a genuine one look like a clone, nor place the
    // account anywhere.
    return c;
  }
  // The wire refuses a sequence past kMaxRecordSequence; one built in memory is checked for
  // everything but clones (the use table cannot hold it).
  if (c.record.sequence <= kMaxRecordSequence) {
    const auto [use, first] =
        state_.uses.try_emplace(SettlementState::UseKey{h.id, c.counter},
                                SettlementState::FirstUse{c.record, h.expires_at});
    if (!first) {
      c.flags |= kFlagClone;
      c.clone_of = use.record;
    } else {
      earliest_expiry_ = std::min(earliest_expiry_, h.expires_at);
    }
  }
  if (impossible_travel(c.account, c.tap_time, c.stop)) {
    c.flags |= kFlagImpossibleTravel;
  }
  return c;
}

void SettlementChecker::forget_before(Time t) {
  const Time cutoff = t - config_.clock_skew_tolerance;
  if (earliest_expiry_ < cutoff) {
    earliest_expiry_ = Time::max();
    state_.uses.erase_if([&](const SettlementState::UseKey&, const SettlementState::FirstUse& use) {
      if (use.expires_at < cutoff) {
        return true;
      }
      earliest_expiry_ = std::min(earliest_expiry_, use.expires_at);
      return false;
    });
  }
  if (earliest_sighting_ < t) {
    earliest_sighting_ = Time::max();
    for (auto it = state_.travel.begin(); it != state_.travel.end();) {
      std::erase_if(it->second, [&](const auto& s) { return s.time < t; });
      if (it->second.empty()) {
        it = state_.travel.erase(it);
      } else {
        earliest_sighting_ = std::min(earliest_sighting_, it->second.front().time); // sorted
        ++it;
      }
    }
  }
}

void SettlementChecker::restore(SettlementState state) {
  state_ = std::move(state);
  // Bounds unknown: the next forget_before scans, and sets them.
  earliest_expiry_ = Time::from_us(INT64_MIN);
  earliest_sighting_ = Time::from_us(INT64_MIN);
}

} // namespace hcesim::hce
