// The scenario's study block: defaults, checks with places, and sweep values type-checked like
// --set; plan_study loads every point and names the one that is out of range.
#include "models/scenario/scenario_loader.h"
#include "study/study_plan.h"

#include <gtest/gtest.h>

namespace hcesim::study {
namespace {

const std::string kCity = "city { synthetic { metro_fare_rules: \"" HCESIM_SOURCE_DIR
                          "/scenarios/fares/nanchang.txtpb\" } }\n";

models::LoadedScenario load(const std::string& text) {
  return models::load_scenario_text(kCity + text, "s.txtpb", false, {});
}

std::string all_errors(const models::LoadedScenario& s) {
  std::string e;
  for (const Error& x : s.errors) {
    e += x.to_string() + "\n";
  }
  return e;
}

TEST(StudyFields, DefaultsToOneRunWithNothingToCheck) {
  const auto s = load("");
  ASSERT_TRUE(s.ok()) << all_errors(s);
  EXPECT_EQ(s.config.study.replications, 1U);
  EXPECT_FALSE(s.config.study.precision.has_value());
  EXPECT_TRUE(s.config.study.axes.empty());
  EXPECT_TRUE(s.config.study.bounds.empty());
}

TEST(StudyFields, ReadsPrecisionSweepAndExpectations) {
  const auto s = load(
      "replications: 4\n"
      "precision { kpis: \"refusal_rate\" relative_half_width: 0.1 max_replications: 9 }\n"
      "sweep { design: ZIPPED axes { field: \"token_policy.offline_limit\" values: \"3\" "
      "values: \"10\" } axes { field: \"token_policy.lifetime\" values: \"24h\" values: \"72h\" } "
      "}\n"
      "expectations { fingerprint: \"ABC\" kpis { kpi: \"refusal_rate\" max: 0.002 interval: "
      "WHOLE_INTERVAL } kpis { kpi: \"trips\" min: 1 } kpis { kpi: \"trips\" min: 1 interval: "
      "SIGNIFICANT_VIOLATION } }\n");
  ASSERT_TRUE(s.ok()) << all_errors(s);
  const auto& st = s.config.study;
  EXPECT_EQ(st.replications, 4U);
  ASSERT_TRUE(st.precision.has_value());
  EXPECT_EQ(st.precision->min_replications, 3U);
  EXPECT_EQ(st.precision->max_replications, 9U);
  EXPECT_TRUE(st.zipped);
  ASSERT_EQ(st.axes.size(), 2U);
  EXPECT_EQ(st.axes[1].values[1], "72h");
  ASSERT_EQ(st.bounds.size(), 3U);
  using Rule = models::KpiBoundConfig::Rule;
  EXPECT_EQ(st.bounds[0].rule, Rule::kWholeInterval);
  EXPECT_EQ(st.bounds[1].rule, Rule::kMean); // the default
  EXPECT_EQ(st.bounds[2].rule, Rule::kSignificantViolation);
  EXPECT_EQ(*st.bounds[0].max, 0.002);
  EXPECT_EQ(st.fingerprint, "abc");
}

TEST(StudyFields, EveryMistakeIsNamedWithItsPlace) {
  const auto s = load("replications: 0\n"
                      "precision { kpis: \"no_such_kpi\" min_replications: 9 max_replications: 4 "
                      "}\n"
                      "sweep { axes { field: \"seed\" values: \"1\" } axes { field: "
                      "\"token_policy.offline_limit\" values: \"lots\" } }\n"
                      "expectations { fingerprint: \"xyz\" kpis { kpi: \"refusal_rate\" segment: "
                      "\"class:nobody\" } }\n");
  const std::string e = all_errors(s);
  EXPECT_NE(e.find("s.txtpb:2:1: replications: must be 1..1000, got 0"), std::string::npos) << e;
  EXPECT_NE(e.find("precision.kpis: no KPI \"no_such_kpi\""), std::string::npos) << e;
  EXPECT_NE(e.find("precision.min_replications: must not exceed max_replications"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("sweep.axes[0].field: \"seed\" cannot be swept"), std::string::npos) << e;
  EXPECT_NE(e.find("sweep.axes[1].values: token_policy.offline_limit: expected a decimal "
                   "whole number"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("expectations.fingerprint: must be up to 16 hex digits"), std::string::npos)
      << e;
  EXPECT_NE(e.find("expectations.kpis[0].segment: no segment \"class:nobody\""), std::string::npos)
      << e;
  EXPECT_NE(e.find("expectations.kpis[0]: needs min or max"), std::string::npos) << e;
}

TEST(StudyFields, ZippedAxesMustBeTheSameLength) {
  const auto s = load("sweep { design: ZIPPED axes { field: \"days\" values: \"1\" values: \"2\" "
                      "} axes { field: \"token_policy.offline_limit\" values: \"3\" } }\n");
  EXPECT_NE(all_errors(s).find("ZIPPED axes need the same number of values (2), got 1"),
            std::string::npos)
      << all_errors(s);
}

} // namespace
} // namespace hcesim::study
