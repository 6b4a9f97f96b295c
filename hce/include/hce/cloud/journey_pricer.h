#pragma once
// What settlement asks of the fare engine: the fares of one rider's journeys of one service day,
// in tap-time order (transfers and daily caps depend on the earlier ones), and the fare charged
// when a metro journey's entry or exit is missing. An adapter puts the real fare engine behind it.
#include "base/ids.h"
#include "base/money.h"
#include "base/time.h"

#include <cstdint>
#include <span>

namespace hcesim::cloud {

enum class LegKind : uint8_t { kFlat, kMetro };

//! One complete journey as settlement formed it from taps.
struct JourneyLeg {
  LegKind kind = LegKind::kFlat;
  ValidatorId from; //!< the bus reader, or the metro entry gate
  ValidatorId to;   //!< the metro exit gate (the bus reader again for a flat leg)
  StopId from_stop;
  StopId to_stop;
  Time start;
  Time end;
};

class JourneyPricer {
public:
  virtual ~JourneyPricer() = default;
  //! Writes the fare of each leg (≥ 0) to out[i]; legs are one rider's complete journeys of one
  //! service day in tap-time order. Never fails: a leg it cannot price costs max_fare(leg.from).
  virtual void price_day(std::span<const JourneyLeg> legs, std::span<Money> out) const = 0;
  //! The fare of a metro journey whose other end is missing, charged at this gate.
  virtual Money max_fare(ValidatorId gate) const = 0;
};

} // namespace hcesim::cloud
