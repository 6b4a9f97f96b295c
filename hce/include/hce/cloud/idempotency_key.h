#pragma once
// The key that makes a ledger posting happen once however often its cause is re-sent: a fare of
// one journey revision, one top-up request, one adjustment. Two 64-bit halves, built by the caller.
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>

namespace hcesim::cloud {

//! What a key's first byte says the posting is for, so keys of different causes never collide.
enum class KeyScope : uint8_t { kJourney = 1, kTopUp = 2, kAdjustment = 3, kRefund = 4 };

struct IdempotencyKey {
  uint64_t hi = 0;
  uint64_t lo = 0;
  constexpr auto operator<=>(const IdempotencyKey&) const = default;

  //! A key in `scope` from up to 56 bits of `a` and the 64 bits of `b`.
  static constexpr IdempotencyKey make(KeyScope scope, uint64_t a, uint64_t b) {
    return IdempotencyKey{(static_cast<uint64_t>(scope) << 56) | (a & ((uint64_t{1} << 56) - 1)),
                          b};
  }
};

inline constexpr bool is_journey_key(IdempotencyKey k) {
  return (k.hi >> 56) == static_cast<uint64_t>(KeyScope::kJourney);
}

} // namespace hcesim::cloud

template <> struct std::hash<hcesim::cloud::IdempotencyKey> {
  size_t operator()(const hcesim::cloud::IdempotencyKey& k) const noexcept {
    uint64_t x = k.hi * 0x9e3779b97f4a7c15ULL ^ k.lo;
    x ^= x >> 31;
    x *= 0xbf58476d1ce4e5b9ULL;
    return static_cast<size_t>(x ^ (x >> 29));
  }
};
