#pragma once
// The fingerprint of a run: a 64-bit hash folded over every executed event's (time, kind, entity),
// integers only, so the same scenario and seed give the same value on any machine and build type.
#include <cstdint>

namespace hcesim::sim {

class Fingerprint {
public:
  //! Folds one executed event into the hash.
  constexpr void add(int64_t time_us, uint32_t kind, uint64_t entity) {
    mix(static_cast<uint64_t>(time_us));
    mix(kind);
    mix(entity);
  }
  //! Folds any other integer a model wants pinned (a result count, a balance).
  constexpr void add_value(uint64_t v) { mix(v); }
  constexpr uint64_t value() const { return h_; }

private:
  // FNV-1a-style fold with a 64-bit finaliser per word (splitmix64): cheap, order-sensitive and
  // defined purely on integers.
  constexpr void mix(uint64_t v) {
    v += 0x9e3779b97f4a7c15ULL;
    v = (v ^ (v >> 30)) * 0xbf58476d1ce4e5b9ULL;
    v = (v ^ (v >> 27)) * 0x94d049bb133111ebULL;
    v ^= v >> 31;
    h_ = (h_ ^ v) * 0x100000001b3ULL;
  }
  uint64_t h_ = 0xcbf29ce484222325ULL;
};

} // namespace hcesim::sim
