#include "models/world/world.h"

#include "models/city/city_builder.h"
#include "models/validator/validator_directory.h"

#include <filesystem>
#include <string>

namespace hcesim::models {

Error with_feed_folder(const ScenarioConfig& cfg, Error e) {
  const std::string file = e.where.substr(0, e.where.find(':'));
  if (cfg.city.source == CitySource::kGtfs && file.size() > 4 &&
      file.compare(file.size() - 4, 4, ".txt") == 0 && file.find('/') == std::string::npos) {
    e.where = (std::filesystem::path(cfg.city.gtfs_folder) / e.where).string();
  }
  return e;
}

Result<void> check_fault_windows(const ScenarioConfig& cfg, int64_t validators) {
  for (size_t i = 0; i < cfg.faults.windows.size(); ++i) {
    const int64_t v = cfg.faults.windows[i].validator;
    if (v >= validators) {
      return Error{"faults.windows[" + std::to_string(i) + "].validator",
                   "must be 0.." + std::to_string(validators - 1) +
                       " (this city's validators), got " + std::to_string(v)};
    }
  }
  return {};
}

Result<World> build_world(const ScenarioConfig& cfg, const WalkRules& rules) {
  auto city = build_city(cfg, rules);
  if (!city.ok()) {
    return with_feed_folder(cfg, city.error());
  }
  // A fault window's validator is an index into the city's validators, known only now.
  if (const Result<void> windows = check_fault_windows(cfg, ValidatorDirectory(*city).count());
      !windows.ok()) {
    return windows.error();
  }
  Errors warnings;
  auto fares = build_city_fare_engine(cfg, *city, &warnings);
  if (!fares.ok()) {
    return with_feed_folder(cfg, fares.error());
  }
  for (Error& w : warnings) {
    w = with_feed_folder(cfg, w);
  }
  PathTable paths = PathTable::build(*city);
  Population population = Population::generate(cfg, *city);
  return World{std::move(city).value(), std::move(paths), std::move(population),
               std::move(fares).value(), std::move(warnings)};
}

} // namespace hcesim::models
