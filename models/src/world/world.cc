#include "models/world/world.h"

#include "models/city/city_builder.h"

namespace hcesim::models {

Result<World> build_world(const ScenarioConfig& cfg, const WalkRules& rules) {
  auto city = build_city(cfg, rules);
  if (!city.ok()) {
    return city.error();
  }
  auto fares = build_city_fare_engine(cfg, *city);
  if (!fares.ok()) {
    return fares.error();
  }
  PathTable paths = PathTable::build(*city);
  Population population = Population::generate(cfg, *city);
  return World{std::move(city).value(), std::move(paths), std::move(population),
               std::move(fares).value()};
}

} // namespace hcesim::models
