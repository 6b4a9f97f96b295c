#pragma once
// `--set path.to.field=value`: overrides one scenario field from the command line, type-checked
// against the schema the same way the file is.
#include "base/error.h"
#include "models/scenario/scenario_source.h"

#include <string>

namespace hcesim::models {

//! Applies one "path=value" override ("token_policy.offline_limit=5",
//! "population.classes[0].share=0.5", "city.synthetic.bus_fare=2.50"). A repeated element one
//! past the end is appended. Returns false and adds an error naming the override otherwise.
bool apply_override(const std::string& assignment, ScenarioSource& source, Errors& errors);

} // namespace hcesim::models
