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

TEST(Expectations, WithReplicationsOnlyASignificantViolationFailsByDefault) {
  // Mean 0.4, interval roughly [0.27, 0.53].
  const auto reps = outcome_of({0.35, 0.45, 0.4});
  models::KpiBoundConfig b = bound({}, 0.45);
  EXPECT_TRUE(check_expectations(plan_with(b), reps)[0].pass); // interval straddles the bound
  b.whole_interval = true;
  EXPECT_FALSE(check_expectations(plan_with(b), reps)[0].pass); // not all of it within
  b.whole_interval = false;
  b.max = 0.2;
  EXPECT_FALSE(check_expectations(plan_with(b), reps)[0].pass); // all of it beyond
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
