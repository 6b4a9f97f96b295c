#pragma once
// The city a scenario asks for: the embedded synthetic city or one built from a GTFS feed.
#include "base/error.h"
#include "models/city/city.h"
#include "models/scenario/scenario_config.h"

namespace hcesim::models {

//! Errors only for a GTFS feed that cannot be read (the synthetic city always builds).
Result<City> build_city(const ScenarioConfig& cfg, const WalkRules& rules = {});

} // namespace hcesim::models
