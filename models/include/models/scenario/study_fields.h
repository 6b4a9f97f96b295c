#pragma once
// Reads and checks the study fields of a scenario (replications, precision, sweep, expectations):
// KPI names against the KPI table, sweep values against their field's type.
#include "models/scenario/scenario_config.h"
#include "models/scenario/scenario_fields.h"
#include "proto/scenario.pb.h"

namespace hcesim::models {

void read_study(ScenarioFields& root, const proto::Scenario& msg, const ScenarioConfig& cfg,
                StudyConfig& out);

//! True for a KPI name kpi_rows produces.
bool known_kpi(const std::string& name);

} // namespace hcesim::models
