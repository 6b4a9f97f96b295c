#pragma once
// The city's fares in the real fare engine (hce/fare) and the pricer settlement uses over it.
// The synthetic city: the published distance bands of its metro rule file (Nanchang's) laid over
// the city's own metro lines and their track distances, a flat fare per bus boarding and the
// transfer discount, all from the scenario. A city from GTFS: the feed's own fares (v1 or v2).
// The engine sees the stops the validators stamp on their records (city stop indices), mapped to
// its own stops, so it prices the distances those stops imply.
#include "base/error.h"
#include "hce/cloud/fare_engine_pricer.h"
#include "hce/fare/fare_engine.h"
#include "hce/token/tap.h"
#include "models/city/city.h"
#include "models/scenario/scenario_config.h"
#include "models/validator/validator_directory.h"

#include <memory>
#include <vector>

namespace hcesim::models {

//! The fare engine of the scenario's city: errors name the rule file or feed that cannot be read
//! or a feed without fares. A GTFS feed's rows set aside (an unknown reference) go to `warnings`.
Result<fare::FareEngine> build_city_fare_engine(const ScenarioConfig& cfg, const City& city,
                                                Errors* warnings = nullptr);

//! The currency of a GTFS feed's fares (fare_products.txt, else fare_attributes.txt): a city from
//! the feed counts every amount of the scenario in it. Errors for a feed without fares.
Result<Currency> feed_fare_currency(const std::string& folder);

//! The synthetic city's rules as the engine reads them: the rule file's bands and steps, the
//! city's metro lines (stations by stop name, track metres between them), bus and transfer fares.
Result<proto::FareRules> synthetic_city_fare_rules(const ScenarioConfig& cfg, const City& city);

class CityFares {
public:
  //! Keeps references to `engine` and `city`; places every validator of `directory` (validator v
  //! is ValidatorId(v + 1)): station gates on their station, bus readers on their route (GTFS) or
  //! on the flat-fare network "bus" (synthetic city).
  CityFares(const fare::FareEngine& engine, const City& city, const ValidatorDirectory& directory);

  const cloud::FareEnginePricer& pricer() const { return pricer_; }
  const fare::FareEngine& engine() const { return *engine_; }
  //! The engine's stop of a city stop (fare::kNone when its fares do not know it).
  uint32_t engine_stop(uint32_t city_stop) const { return engine_stop_[city_stop]; }
  //! What the pricer was told of validator v (0-based).
  cloud::FareLine line_of(uint32_t v) const { return lines_[v]; }
  //! The highest fare one journey can cost: charged for a metro journey with a missing end.
  Money max_fare() const { return max_fare_; }
  //! The most a tap of `kind` at validator v can add to its rider's fares until its record is
  //! settled: an entry the highest fare (its exit may never come), an exit nothing (its entry
  //! carries it, on a validator or in the cloud's pending fares), a bus boarding its own fare alone
  //! at the dearest stop of its route (priced at 08:00 of the first day; the highest fare where the
  //! rules do not price it, or price by time of day: a GTFS feed with timeframes).
  Money at_risk(uint32_t v, hce::TapKind kind) const;

private:
  const fare::FareEngine* engine_;
  std::vector<uint32_t> engine_stop_;
  std::vector<cloud::FareLine> lines_;
  Money max_fare_;
  std::vector<int64_t> boarding_minor_; //!< by validator: a bus boarding alone; 0 for a gate
  cloud::FareEnginePricer pricer_;
};

} // namespace hcesim::models
