#pragma once
// The synthetic city's fares behind settlement's JourneyPricer, until the real fare engine is
// placed on the city's validators: flat bus fares with a discount for a leg boarded within the
// transfer window of the previous leg's end, and Nanchang-shaped distance bands for the metro
// (2 yuan to 6 km, +1 at 12, 20 and 30 km, then +1 per 10 km) over the straight line between
// the gates' stations × 1.15 (the city's track factor).
#include "hce/cloud/journey_pricer.h"
#include "models/city/city.h"
#include "models/scenario/scenario_config.h"

namespace hcesim::models {

class CityPricer final : public cloud::JourneyPricer {
public:
  //! Keeps a reference to `city`; stops of legs are city stop indices.
  CityPricer(const ScenarioConfig& cfg, const City& city);

  void price_day(std::span<const cloud::JourneyLeg> legs, std::span<Money> out) const override;
  Money max_fare(ValidatorId) const override { return max_fare_; }
  //! The metro fare for a ride of `metres`.
  Money metro_fare(uint64_t metres) const;

private:
  const City& city_;
  Money bus_fare_;
  Money discount_;
  Duration window_;
  Money max_fare_;
};

} // namespace hcesim::models
