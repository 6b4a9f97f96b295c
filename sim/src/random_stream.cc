#include "sim/random_stream.h"

namespace hcesim::sim {

RandomStream::RandomStream(uint64_t seed, uint32_t purpose, uint64_t entity) {
  // Keys come from hashing the triple with distinct constants, so nearby seeds, purposes or
  // entities give unrelated keys.
  uint64_t a = mix64(seed ^ 0x243f6a8885a308d3ULL);
  uint64_t b = mix64(a ^ (static_cast<uint64_t>(purpose) + 0x13198a2e03707344ULL));
  key0_ = mix64(b ^ mix64(entity + 0xa4093822299f31d0ULL));
  key1_ = mix64(key0_ ^ 0x082efa98ec4e6c89ULL);
}

uint64_t RandomStream::draw(uint64_t counter) const {
  // Two keyed rounds of a strong bijective mixer over the counter: a counter-based generator in the
  // style of SplitMix/Philox; each (key, counter) pair maps to one output.
  uint64_t z = mix64(counter * 0x9e3779b97f4a7c15ULL + key0_);
  return mix64(z ^ key1_);
}

uint64_t RandomStream::uniform_int(uint64_t n) {
  __extension__ typedef unsigned __int128 U128;
  uint64_t x = next_u64();
  U128 m = static_cast<U128>(x) * n;
  auto low = static_cast<uint64_t>(m);
  if (low < n) {
    uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      x = next_u64();
      m = static_cast<U128>(x) * n;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

} // namespace hcesim::sim
