#pragma once
// The static world of a run, built once at set-up from a scenario: the city, its zone-pair paths
// the population and the fare engine of its fares. Plans, phones, validators and cloud queues are
// built on top of it.
#include "base/error.h"
#include "models/city/city.h"
#include "models/city/path_table.h"
#include "models/fares/city_fares.h"
#include "models/population/population.h"
#include "models/scenario/scenario_config.h"

namespace hcesim::models {

struct World {
  City city;
  PathTable paths;
  Population population;
  fare::FareEngine fares; //!< the city's fares (build_city_fare_engine)
  //! A GTFS feed's fare rows set aside for an unknown reference (the fares are priced without
  //! them): commands say so, as `hcesim fare` does.
  Errors feed_warnings;

  //! Bytes held by the three (capacity), for the memory report.
  std::size_t bytes() const { return city.bytes() + paths.bytes() + population.bytes(); }
};

//! Builds the city the scenario names, its paths (one search per zone), the riders and the fare
//! engine. Errors only for a GTFS feed or a fare rule file that cannot be read.
Result<World> build_world(const ScenarioConfig& cfg, const WalkRules& rules = {});

//! Each fault window's validator is one of the city's `validators` (an index). build_world checks
//! it, and so does each run: worlds are shared by scenarios that differ in their faults.
Result<void> check_fault_windows(const ScenarioConfig& cfg, int64_t validators);

//! A GTFS reader's error or warning names a file as "stop_times.txt:12:3": for a GTFS city, puts
//! the scenario's feed folder in front, so the user sees which feed's file.
Error with_feed_folder(const ScenarioConfig& cfg, Error e);

} // namespace hcesim::models
