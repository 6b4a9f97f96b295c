#pragma once
// What fare settlement needs of a checked tap: the token code's settlement checks decide
// authenticity, duplicates and clone flags; settlement turns what they let through into charges.
#include "base/ids.h"
#include "base/time.h"
#include "hce/token/tap.h"

#include <compare>
#include <cstdint>
#include <functional>

namespace hcesim::cloud {

//! How a validator was used: a bus reader's flat tap, or a metro gate's entry or exit.
using TapKind = hce::TapKind;

//! A tap record's identity: the validator that stored it and its record sequence there.
struct TapRecordId {
  ValidatorId validator;
  uint64_t sequence = 0;
  constexpr auto operator<=>(const TapRecordId&) const = default;
};

struct SettlementTap {
  // Ordered to pack in 64 bytes (was 72): the journal and the checks pass a million riders' taps.
  TapRecordId record;
  AccountId account;
  TokenId token;
  Time tapped_at;       //!< the validator's clock at the tap
  uint16_t counter = 0; //!< the token's tap counter (1..offline limit, a 16-bit number)
  uint32_t flags = 0;   //!< all the settlement checks' flags (hce::TapFlag bits), reported
  StopId stop;          //!< where the validator stood
  TapKind kind = TapKind::kFlat;
  bool clone_flagged = false; //!< the settlement checks saw this (token, counter) in another record
};

//! A tap as an account's settlement book keeps it: the settlement tap less its account (the
//! book's) and the checks' report flags (48 bytes, not 64: books hold every tap of a day).
struct BookTap {
  TapRecordId record;
  TokenId token;
  Time tapped_at;
  StopId stop;
  uint16_t counter = 0;
  TapKind kind = TapKind::kFlat;
  bool clone_flagged = false;
};

inline BookTap book_tap(const SettlementTap& t) {
  return BookTap{t.record, t.token, t.tapped_at, t.stop, t.counter, t.kind, t.clone_flagged};
}

//! Settlement's order of an account's taps: by tap time, then record identity (a total order, so
//! pricing never depends on arrival order).
template <class Tap> bool tap_order(const Tap& a, const Tap& b) {
  if (a.tapped_at != b.tapped_at) {
    return a.tapped_at < b.tapped_at;
  }
  return a.record < b.record;
}

} // namespace hcesim::cloud

template <> struct std::hash<hcesim::cloud::TapRecordId> {
  size_t operator()(const hcesim::cloud::TapRecordId& r) const noexcept {
    uint64_t x = (r.sequence * 0x9e3779b97f4a7c15ULL) ^ r.validator.value();
    x ^= x >> 32;
    return static_cast<size_t>(x * 0xd6e8feb86659fd93ULL);
  }
};
