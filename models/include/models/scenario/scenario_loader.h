#pragma once
// Loads a scenario the way `hcesim run` and `hcesim validate` do: read the file, apply `--set`
// overrides, apply defaults and check every field, and report every error at once.
#include "base/error.h"
#include "models/scenario/scenario_config.h"
#include "proto/scenario.pb.h"

#include <string>
#include <vector>

namespace hcesim::models {

struct LoadedScenario {
  ScenarioConfig config;
  proto::Scenario resolved; //!< the scenario with every default written in
  Errors errors;            //!< empty when the scenario is good
  bool ok() const { return errors.empty(); }
};

LoadedScenario load_scenario(const std::string& path, const std::vector<std::string>& overrides);

//! The same from text already in memory (`file` names it in errors; json selects the mapping).
LoadedScenario load_scenario_text(const std::string& text, const std::string& file, bool json,
                                  const std::vector<std::string>& overrides);

//! The resolved scenario in protobuf text format (for manifests and `hcesim validate --print`).
std::string scenario_to_text(const proto::Scenario& scenario);

} // namespace hcesim::models
