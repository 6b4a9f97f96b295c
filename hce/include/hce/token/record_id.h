#pragma once
// A tap record's identity as the cloud sees it: the validator that stored it and its sequence.
#include "base/ids.h"

#include <cstdint>

namespace hcesim::hce {

//! The largest record sequence (48 bits: a validator tapping ten times a second takes 890,000
//! years to reach it); the checks' use table packs a sequence with a counter in one word.
inline constexpr uint64_t kMaxRecordSequence = (uint64_t{1} << 48) - 1;

//! A record's identity: who stored it and its sequence there.
struct RecordId {
  ValidatorId validator;
  uint64_t sequence = 0;
  auto operator<=>(const RecordId&) const = default;
};

} // namespace hcesim::hce
