#include "models/city/city_builder.h"

#include "models/city/gtfs_city.h"
#include "models/city/synthetic_city.h"

namespace hcesim::models {

Result<City> build_city(const ScenarioConfig& cfg, const WalkRules& rules) {
  if (cfg.city.source == CitySource::kGtfs) {
    return build_gtfs_city(GtfsCityOptions{cfg.city.gtfs_folder, cfg.city.service_date, rules});
  }
  return build_synthetic_city(cfg, rules);
}

} // namespace hcesim::models
