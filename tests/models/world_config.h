#pragma once
// A small scenario for world tests: the synthetic city at a size a sanitizer build searches fast.
#include "models/scenario/scenario_config.h"

namespace hcesim::models::world_test {

inline ScenarioConfig small_world(uint64_t seed = 7) {
  ScenarioConfig cfg;
  cfg.seed = seed;
  cfg.city.metro_lines = 3;
  cfg.city.stations_per_line = 12;
  cfg.city.bus_routes = 40;
  cfg.city.stops_per_bus_route = 14;
  cfg.city.size_km = 10;
  cfg.population.riders = 4000;
  cfg.population.classes = {RiderClassConfig{"regular", 1.0, 1.0, 1.0}};
  cfg.network.coverage = {CoverageClassConfig{"good", 1.0, 1.0}};
  cfg.population.initial_balance = Money(2000, Currency::from_code("CNY").value());
  return cfg;
}

} // namespace hcesim::models::world_test
