#include "study/replication_seed.h"

namespace hcesim::study {

uint64_t replication_seed(uint64_t scenario_seed, uint32_t replication) {
  if (replication == 0) {
    return scenario_seed;
  }
  uint64_t z = scenario_seed + 0x9e3779b97f4a7c15ULL * (uint64_t{replication} + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

} // namespace hcesim::study
