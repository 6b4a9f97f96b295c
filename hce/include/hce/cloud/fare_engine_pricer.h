#pragma once
// The real fare engine behind settlement's JourneyPricer: each service day of a rider is priced
// leg after leg with the engine's incremental form (transfers and caps see the earlier legs).
// Stops are the engine's dense stop indices (StopId::value()) unless the validators' stop ids are
// mapped to the engine's stops at set-up; a validator's route or network is placed once at set-up.
// A leg on a network of flat fares needs no stops.
#include "hce/cloud/journey_pricer.h"
#include "hce/fare/fare_engine.h"

#include <span>
#include <unordered_map>
#include <vector>

namespace hcesim::cloud {

//! What a validator serves in the fare engine's terms (its dense ids; fare::kNone when unknown).
struct FareLine {
  uint32_t route = fare::kNone;
  uint32_t network = fare::kNone;
};

//! Moves each leg's fare below zero (a transfer priced under what was already paid) onto the
//! legs before it, latest first, so every fare is >= 0 and the day's total is as priced; a day
//! whose total is below zero is charged nothing.
void carry_credits_back(std::span<Money> fares);

class FareEnginePricer final : public JourneyPricer {
public:
  //! `max_fare`: charged for a metro journey with a missing end, and for a leg the rules do not
  //! price (same currency as the engine).
  FareEnginePricer(const fare::FareEngine& engine, Money max_fare)
      : engine_(&engine), max_fare_(max_fare) {}

  void place(ValidatorId validator, FareLine line) { lines_[validator] = line; }
  //! The engine's stop for a validators' stop id (once any stop is mapped, unmapped ids are
  //! unknown stops).
  void map_stop(StopId stop, uint32_t engine_stop);

  void price_day(std::span<const JourneyLeg> legs, std::span<Money> out) const override;
  Money max_fare(ValidatorId) const override { return max_fare_; }

private:
  FareLine line_of(ValidatorId validator) const;
  uint32_t engine_stop(StopId stop) const;
  const fare::FareEngine* engine_;
  Money max_fare_;
  std::unordered_map<ValidatorId, FareLine> lines_;
  std::vector<uint32_t> stop_map_; //!< by StopId::value(); empty: the ids are the engine's
};

} // namespace hcesim::cloud
