#pragma once
// Reads the scenario's attackers block (proto/scenario.proto, Attackers) into ScenarioConfig.
#include "models/scenario/scenario_config.h"
#include "models/scenario/scenario_fields.h"
#include "proto/scenario.pb.h"

namespace hcesim::models {

//! Reads `attackers` only when the scenario has the block, so a scenario without one resolves
//! (and prints) exactly as before.
void read_attackers(ScenarioFields& root, const proto::Scenario& msg, ScenarioConfig& cfg);

} // namespace hcesim::models
