// Every scenario file shipped under scenarios/ loads without errors (fare rule files under
// scenarios/fares/ have their own schema and tests), and every policy scenario says in its header
// the question it answers, the field to vary and what to compare it with (so do the
// scenarios/attack_*.txtpb of issue 16).
#include "models/scenario/scenario_loader.h"
#include "support/shared_data.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace hcesim::models {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> scenario_files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(HCESIM_SOURCE_DIR "/scenarios")) {
    const fs::path& p = e.path();
    const bool scenario = p.extension() == ".txtpb" || p.extension() == ".json";
    if (e.is_regular_file() && scenario && p.parent_path().filename() != "fares") {
      out.push_back(p);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ShippedScenarios, EveryScenarioFileLoadsWithoutErrors) {
  const auto files = scenario_files();
  ASSERT_GE(files.size(), 10u); // default, live_bench and the policy folder
  const bool shared = !::hcesim::testing::shared_data("gtfs").empty();
  for (const fs::path& f : files) {
    const LoadedScenario s = load_scenario(f.string(), {});
    if (!s.ok() && !shared &&
        s.errors.front().to_string().find("city.gtfs.folder") != std::string::npos) {
      continue; // a real feed's city without the shared data beside the checkout
    }
    EXPECT_TRUE(s.ok()) << f << ": " << (s.ok() ? "" : s.errors.front().to_string());
  }
}

TEST(ShippedScenarios, EveryPolicyScenarioStatesItsQuestionFieldAndAlternative) {
  int policies = 0;
  int attacks = 0;
  for (const fs::path& f : scenario_files()) {
    const bool attack = f.filename().string().rfind("attack_", 0) == 0; // issue 16's scenarios
    if (f.parent_path().filename() != "policy" && !attack) {
      continue;
    }
    (attack ? attacks : policies) += 1;
    std::ifstream in(f);
    std::stringstream text;
    text << in.rdbuf();
    const std::string t = text.str();
    EXPECT_EQ(t.rfind("# Question:", 0), 0u) << f;
    EXPECT_NE(t.find("# Field"), std::string::npos) << f;
    EXPECT_NE(t.find("Compare with:"), std::string::npos) << f;
  }
  EXPECT_EQ(policies, 9);
  EXPECT_GE(attacks, 1); // scenarios/attack_faults.txtpb at least
}

} // namespace
} // namespace hcesim::models
