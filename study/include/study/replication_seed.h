#pragma once
// The seed of replication k: replication 0 runs the scenario's own seed (so one replication is
// the single run), later ones a splitmix64 mix of (seed, k). Every sweep point uses the same seeds
// (common random numbers).
#include <cstdint>

namespace hcesim::study {

uint64_t replication_seed(uint64_t scenario_seed, uint32_t replication);

} // namespace hcesim::study
