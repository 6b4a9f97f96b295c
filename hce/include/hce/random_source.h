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

namespace hcesim::hce {

//! A deterministic source (SplitMix64 over a seed) for tests and benchmarks; the simulator passes
//! its own per-entity streams and the live service OpenSSL's RAND_bytes.
class SeededRandomSource final : public RandomSource {
public:
  explicit SeededRandomSource(uint64_t seed) : state_(seed) {}
  void fill(uint8_t* out, size_t n) override {
    for (size_t i = 0; i < n; i += 8) {
      uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      z ^= z >> 31;
      for (size_t j = 0; j < 8 && i + j < n; ++j) {
        out[i + j] = static_cast<uint8_t>(z >> (8 * j));
      }
    }
  }

private:
  uint64_t state_;
};

} // namespace hcesim::hce
