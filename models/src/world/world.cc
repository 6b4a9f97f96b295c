#include "models/world/world.h"

#include "models/city/city_builder.h"
#include "models/validator/validator_directory.h"

#include <string>

namespace hcesim::models {

Result<World> build_world(const ScenarioConfig& cfg, const WalkRules& rules) {
  auto city = build_city(cfg, rules);
  if (!city.ok()) {
    return city.error();
  }
  // A fault window's validator is an index into the city's validators, known only now.
  const int64_t validators = ValidatorDirectory(*city).count();
  for (size_t i = 0; i < cfg.faults.windows.size(); ++i) {
    const int64_t v = cfg.faults.windows[i].validator;
    if (v >= validators) {
      return Error{"faults.windows[" + std::to_string(i) + "].validator",
                   "must be 0.." + std::to_string(validators - 1) +
                       " (this city's validators), got " + std::to_string(v)};
    }
  }
  Errors warnings;
  auto fares = build_city_fare_engine(cfg, *city, &warnings);
  if (!fares.ok()) {
    return fares.error();
  }
  PathTable paths = PathTable::build(*city);
  Population population = Population::generate(cfg, *city);
  return World{std::move(city).value(), std::move(paths), std::move(population),
               std::move(fares).value(), std::move(warnings)};
}

} // namespace hcesim::models
