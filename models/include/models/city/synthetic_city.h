#pragma once
// The embedded synthetic city, shaped like Nanchang: metro line 1 laid out from the published
// Nanchang Line 1 stations and distances, the other metro lines and the bus routes generated from
// the scenario's seed, and a grid of zones of at least 1 km over the whole city.
#include "base/error.h"
#include "models/city/city.h"
#include "models/city/line_stations.h"
#include "models/scenario/scenario_config.h"

namespace hcesim::models {

//! Random-stream purpose of the city generator (models' own purposes start at 100; sim::Purpose
//! holds the engine-wide ones). Entities: 0..metro_lines for lines, 1000 + r for bus route r.
inline constexpr uint32_t kCityPurpose = 100;

//! Most zones along one side: bounds the zone-pair path table at 40² × 40² pairs.
inline constexpr uint32_t kMaxZonesPerSide = 40;

//! Builds the city of `cfg.city` (CitySource::kSynthetic) with line 1 from `line1`.
City build_synthetic_city(const ScenarioConfig& cfg, const std::vector<LineStation>& line1,
                          const WalkRules& rules = {});
//! The same with the built-in Nanchang Line 1.
City build_synthetic_city(const ScenarioConfig& cfg, const WalkRules& rules = {});

} // namespace hcesim::models
