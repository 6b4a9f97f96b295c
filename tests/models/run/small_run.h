#pragma once
// A small synthetic city run for CityRun tests: 400 riders, two metro lines, 20 bus routes, one
// day and a 12 h drain; `text` is scenario text, `more` --set overrides.
#include "models/scenario/scenario_loader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hcesim::models::run_test {

inline ScenarioConfig small_run(const std::string& text, std::vector<std::string> more = {}) {
  std::vector<std::string> sets = {"population.riders=400",
                                   "city.synthetic.metro_lines=2",
                                   "city.synthetic.stations_per_line=10",
                                   "city.synthetic.bus_routes=20",
                                   "city.synthetic.stops_per_bus_route=10",
                                   "city.synthetic.size_km=8",
                                   "warmup=0s",
                                   "days=1",
                                   "drain=12h"};
  sets.insert(sets.end(), more.begin(), more.end());
  const LoadedScenario loaded =
      load_scenario_text(text, HCESIM_SOURCE_DIR "/scenarios/small.txtpb", false, sets);
  EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.errors.front().to_string());
  return loaded.config;
}

} // namespace hcesim::models::run_test
