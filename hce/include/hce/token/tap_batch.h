#pragma once
// Upload traffic between a validator and the cloud: a batch of stored records, and the
// acknowledgement naming the records the cloud has safely taken (only those are deleted).
#include "hce/token/tap.h"

#include "base/ids.h"

#include <cstdint>
#include <vector>

namespace hcesim::hce {

//! Most records one batch may carry (the decoder refuses more).
inline constexpr size_t kMaxBatchRecords = 10'000;

struct TapBatch {
  ValidatorId validator;
  uint64_t batch = 0; //!< the validator's batch number, echoed in the acknowledgement
  std::vector<TapRecord> records;
  bool operator==(const TapBatch&) const = default;
};

struct BatchAck {
  ValidatorId validator;
  uint64_t batch = 0;
  std::vector<uint64_t> sequences; //!< record sequences the cloud has journaled
  bool operator==(const BatchAck&) const = default;
};

} // namespace hcesim::hce
