// Expectation verdicts read intervals as documented, and pins are rewritten in place.
#include "study/expectations.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace hcesim::study {
namespace {

StudyOutcome outcome_of(const std::vector<double>& values, uint64_t fingerprint = 7) {
  StudyOutcome o;
  o.points.emplace_back();
  for (size_t k = 0; k < values.size(); ++k) {
    ReplicationResult r;
    r.replication = static_cast<uint32_t>(k);
    r.fingerprint = fingerprint;
    r.rows.push_back({"refusal_rate", "all", values[k], std::to_string(values[k]), "share"});
    o.points.back().push_back(r);
  }
  return o;
}

models::KpiBoundConfig bound(std::optional<double> min, std::optional<double> max) {
  models::KpiBoundConfig b;
  b.kpi = "refusal_rate";
  b.min = min;
  b.max = max;
  return b;
}

StudyPlan plan_with(models::KpiBoundConfig bound, const std::string& pin = "") {
  StudyPlan p;
  p.points.emplace_back();
  p.study.bounds.push_back(std::move(bound));
  p.study.fingerprint = pin;
  return p;
}

TEST(Expectations, ASingleRunComparesItsValue) {
  const auto ok = check_expectations(plan_with(bound({}, 0.5)), outcome_of({0.4}));
  ASSERT_EQ(ok.size(), 1U);
  EXPECT_TRUE(ok[0].pass);
  EXPECT_EQ(ok[0].line, "refusal_rate <= 0.5: measured 0.4");
  EXPECT_FALSE(check_expectations(plan_with(bound({}, 0.3)), outcome_of({0.4}))[0].pass);
}

TEST(Expectations, WithReplicationsTheMeanIsJudgedByDefault) {
  using Rule = models::KpiBoundConfig::Rule;
  // Mean 0.4, interval roughly [0.27, 0.53].
  const auto reps = outcome_of({0.35, 0.45, 0.4});
  models::KpiBoundConfig b = bound({}, 0.45);
  EXPECT_TRUE(check_expectations(plan_with(b), reps)[0].pass); // the mean is within
  b.rule = Rule::kWholeInterval;
  EXPECT_FALSE(check_expectations(plan_with(b), reps)[0].pass); // not all of it within
  b.rule = Rule::kSignificantViolation;
  b.max = 0.2;
  EXPECT_FALSE(check_expectations(plan_with(b), reps)[0].pass); // all of it beyond
  b.max = 0.38;
  EXPECT_TRUE(check_expectations(plan_with(b), reps)[0].pass); // the interval straddles it
  b.rule = Rule::kMean;
  EXPECT_FALSE(check_expectations(plan_with(b), reps)[0].pass); // but the mean is beyond
}

TEST(Expectations, TwoReplicationsBothPastABoundFailItByDefault) {
  // The reviewer's case: two replications at 0.683 and 0.712 against max 0.55. With 2 values
  // t = 12.7, so the interval reaches below 0.55 and a significance reading could never fail.
  const auto reps = outcome_of({0.683, 0.712});
  models::KpiBoundConfig b = bound({}, 0.55);
  EXPECT_FALSE(check_expectations(plan_with(b), reps)[0].pass);
  b.rule = models::KpiBoundConfig::Rule::kSignificantViolation;
  EXPECT_TRUE(check_expectations(plan_with(b), reps)[0].pass);
}

TEST(Expectations, APinnedFingerprintMustMatch) {
  const auto good = check_expectations(plan_with(bound(0.0, {}), "7"), outcome_of({0.1}, 7));
  ASSERT_EQ(good.size(), 2U);
  EXPECT_TRUE(good[1].pass) << good[1].line;
  const auto bad = check_expectations(plan_with(bound(0.0, {}), "8"), outcome_of({0.1}, 7));
  EXPECT_FALSE(bad[1].pass);
  EXPECT_EQ(bad[1].line, "fingerprint 8: measured 0000000000000007");
}

std::string rewrite(const std::string& name, const std::string& text, std::string& before) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << text;
  std::string error;
  EXPECT_TRUE(rewrite_fingerprint(path.string(), "00000000000000ab", before, error)) << error;
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  std::filesystem::remove(path);
  return s.str();
}

TEST(Expectations, UpdateRewritesOrAddsThePin) {
  std::string before;
  EXPECT_EQ(rewrite("pin1.txtpb", "expectations {\n  fingerprint: \"12\"\n}\n", before),
            "expectations {\n  fingerprint: \"00000000000000ab\"\n}\n");
  EXPECT_EQ(before, "12");
  EXPECT_EQ(rewrite("pin2.txtpb", "expectations { kpis { kpi: \"x\" max: 1 } }\n", before),
            "expectations { fingerprint: \"00000000000000ab\" kpis { kpi: \"x\" max: 1 } }\n");
  EXPECT_EQ(before, "");
  EXPECT_EQ(rewrite("pin3.json", "{\"expectations\": {}}", before),
            "{\"expectations\": { \"fingerprint\": \"00000000000000ab\"}}");
}

} // namespace
} // namespace hcesim::study
