#pragma once
// A tap record's identity as the cloud sees it: the validator that stored it and its sequence.
#include "base/ids.h"

#include <cstdint>

namespace hcesim::hce {

//! A record's identity: who stored it and its sequence there.
struct RecordId {
  ValidatorId validator;
  uint64_t sequence = 0;
  auto operator<=>(const RecordId&) const = default;
};

} // namespace hcesim::hce
