// The scenario's attackers block: defaults, counts or shares, ranges, errors with their place,
// --set overrides, and a scenario without the block resolving exactly as before.
#include "models/scenario/scenario_loader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace hcesim::models {
namespace {

LoadedScenario load(const std::string& text, const std::vector<std::string>& sets = {}) {
  return load_scenario_text(text, HCESIM_SOURCE_DIR "/scenarios/a.txtpb", false, sets);
}

std::string all(const LoadedScenario& s) {
  std::string out;
  for (const Error& e : s.errors) {
    out += e.to_string() + "\n";
  }
  return out;
}

TEST(AttackerFields, NoBlockMeansNoAttackersAndNothingWrittenBack) {
  const LoadedScenario s = load("");
  ASSERT_TRUE(s.ok()) << all(s);
  EXPECT_FALSE(s.config.attackers.any());
  EXPECT_FALSE(s.resolved.has_attackers());
}

TEST(AttackerFields, CountsSharesAndDefaults) {
  const LoadedScenario s = load("population { riders: 1000 }\n"
                                "attackers { key_holders { count: 7 } broke_riders { share: 0.02 } "
                                "forging_validators { share: 0.01 } }\n");
  ASSERT_TRUE(s.ok()) << all(s);
  const auto& a = s.config.attackers;
  EXPECT_TRUE(a.any());
  EXPECT_EQ(a.key_holders, 7U);
  EXPECT_EQ(a.broke_riders, 20U); // 2 % of 1,000 riders
  EXPECT_EQ(a.forging_validators, 0U);
  EXPECT_DOUBLE_EQ(a.forging_validator_share, 0.01); // of the validators, known at run time
  EXPECT_EQ(a.relays, 0U);
  EXPECT_EQ(a.phones_per_key_holder, 3U);
  EXPECT_DOUBLE_EQ(a.taps_per_hour, 2.0);
  EXPECT_DOUBLE_EQ(a.flood_requests_per_hour, 600.0);
  EXPECT_EQ(a.accounts_per_flooder, 5U);
  EXPECT_TRUE(s.resolved.attackers().has_phones_per_key_holder()); // defaults written back
}

TEST(AttackerFields, SetOverridesReachTheBlock) {
  const LoadedScenario s = load("", {"attackers.relays.count=4", "attackers.taps_per_hour=8"});
  ASSERT_TRUE(s.ok()) << all(s);
  EXPECT_EQ(s.config.attackers.relays, 4U);
  EXPECT_DOUBLE_EQ(s.config.attackers.taps_per_hour, 8.0);
}

TEST(AttackerFields, BadValuesAreErrorsWithTheirPlace) {
  const LoadedScenario s = load("attackers {\n"
                                "  key_holders { count: 3 share: 0.1 }\n"
                                "  relays { share: 0.9 }\n"
                                "  phones_per_key_holder: 3\n"
                                "  split_counters: true\n"
                                "  taps_per_hour: 0\n"
                                "}\n");
  ASSERT_FALSE(s.ok());
  const std::string e = all(s);
  EXPECT_NE(e.find("a.txtpb:2:"), std::string::npos) << e;
  EXPECT_NE(e.find("attackers.key_holders.share: give count or share, not both"), std::string::npos)
      << e;
  EXPECT_NE(e.find("attackers.relays.share: must be"), std::string::npos) << e;
  EXPECT_NE(e.find("attackers.split_counters: needs phones_per_key_holder 2"), std::string::npos)
      << e;
  EXPECT_NE(e.find("attackers.taps_per_hour: must be"), std::string::npos) << e;
}

TEST(AttackerFields, ExpectationsMayNameAttackKpisAndAttackerSegments) {
  const LoadedScenario good =
      load("expectations { kpis { kpi: \"attack_loss\" max: 100 } kpis { kpi: \"detected\" "
           "segment: \"attacker:key_holder\" min: 1 } }\n");
  EXPECT_TRUE(good.ok()) << all(good);
  const LoadedScenario bad =
      load("expectations { kpis { kpi: \"detected\" segment: \"attacker:pickpocket\" } }\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(all(bad).find("attacker:pickpocket"), std::string::npos) << all(bad);
}

TEST(AttackerFields, EveryShippedAttackScenarioLoadsAndStatesItsQuestionFieldAndAlternative) {
  int attacks = 0;
  for (const auto& e : std::filesystem::directory_iterator(HCESIM_SOURCE_DIR "/scenarios")) {
    const std::string name = e.path().filename().string();
    if (name.rfind("attack_", 0) != 0) {
      continue;
    }
    ++attacks;
    std::ifstream in(e.path());
    std::stringstream text;
    text << in.rdbuf();
    const std::string t = text.str();
    EXPECT_EQ(t.rfind("# Question:", 0), 0U) << name;
    EXPECT_NE(t.find("# Field"), std::string::npos) << name;
    EXPECT_NE(t.find("Compare with:"), std::string::npos) << name;
    const LoadedScenario s = load_scenario(e.path().string(), {});
    ASSERT_TRUE(s.ok()) << name << ": " << all(s);
    // attack_faults.txtpb is the faults scenario (no attackers); the others each have some.
    EXPECT_TRUE(s.config.attackers.any() || !s.config.faults.none()) << name;
  }
  EXPECT_EQ(attacks, 8); // seven attacker scenarios and the faults one
}

} // namespace
} // namespace hcesim::models
