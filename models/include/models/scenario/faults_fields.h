#pragma once
// Reads and checks the scenario's `faults` block (issue 16) into FaultsConfig, every error with
// its place.
#include "models/scenario/faults_config.h"
#include "models/scenario/scenario_config.h"
#include "models/scenario/scenario_fields.h"

namespace hcesim::models {

void read_faults(ScenarioFields& faults, const ScenarioConfig& cfg, FaultsConfig& out);

} // namespace hcesim::models
