#pragma once
// The randomness hce/ code needs (token ids, challenge numbers) comes in through this interface,
// never from a global RNG: the simulator passes a seeded stream, the live service OpenSSL's RAND.
#include <cstddef>
#include <cstdint>

namespace hcesim::hce {

class RandomSource {
public:
  virtual ~RandomSource() = default;
  //! Fills out[0..n) with random bytes.
  virtual void fill(uint8_t* out, size_t n) = 0;
  uint64_t next_u64() {
    uint8_t b[8];
    fill(b, sizeof b);
    uint64_t v = 0;
    for (uint8_t x : b) {
      v = (v << 8) | x;
    }
    return v;
  }
};

} // namespace hcesim::hce
