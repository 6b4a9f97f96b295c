// compare: paired intervals when the seeds match, Welch's otherwise, verdicts by direction.
#include "study/comparison.h"

#include <gtest/gtest.h>

#include <cmath>

namespace hcesim::study {
namespace {

FolderKpis folder(std::vector<uint64_t> seeds, const std::string& kpi, std::vector<double> v) {
  FolderKpis f;
  f.seeds = std::move(seeds);
  f.names = {kpi};
  f.units = {"share"};
  f.values = {std::move(v)};
  return f;
}

TEST(Comparison, PairedOnSharedSeedsSeesASmallConsistentDropAsBetter) {
  // Replication noise (±1) dwarfs the change (−0.1) but is common to both: pairing finds it.
  const auto a = folder({1, 2, 3, 4}, "refusal_rate", {1.0, 3.0, 2.0, 5.0});
  const auto b = folder({1, 2, 3, 4}, "refusal_rate", {0.9, 2.9, 1.9, 4.9});
  const auto rows = compare_folders(a, b);
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_TRUE(rows[0].paired);
  EXPECT_NEAR(rows[0].difference, -0.1, 1e-12);
  EXPECT_EQ(rows[0].verdict, "better");
}

TEST(Comparison, UnpairedTheSameChangeIsNotSignificant) {
  const auto a = folder({1, 2, 3, 4}, "refusal_rate", {1.0, 3.0, 2.0, 5.0});
  const auto b = folder({5, 6, 7, 8}, "refusal_rate", {0.9, 2.9, 1.9, 4.9});
  const auto rows = compare_folders(a, b);
  EXPECT_FALSE(rows[0].paired);
  EXPECT_LT(rows[0].ci_low, 0);
  EXPECT_GT(rows[0].ci_high, 0);
  EXPECT_EQ(rows[0].verdict, "no significant difference");
}

TEST(Comparison, HigherIsBetterForTapsAcceptedAndFewerIsWorse) {
  const auto a = folder({1, 2, 3}, "taps_accepted", {100, 110, 120});
  const auto b = folder({1, 2, 3}, "taps_accepted", {90, 101, 109});
  EXPECT_EQ(compare_folders(a, b)[0].verdict, "worse");
  EXPECT_EQ(better_direction("token_requests_latency_p99_s"), -1);
  EXPECT_EQ(better_direction("fares_settled"), 1);
  EXPECT_EQ(better_direction("trips"), 0);
}

TEST(Comparison, EachKpisBetterSideIsItsMeaningsNotAWordInItsName) {
  // The reviewer's cases: read from words, these had the wrong side or none.
  EXPECT_EQ(better_direction("flood_refused_share"), 1);       // floods stopped
  EXPECT_EQ(better_direction("fraudulent_taps_accepted"), -1); // attackers' taps
  EXPECT_EQ(better_direction("fares_unsent"), -1);             // revenue at risk
  EXPECT_EQ(better_direction("pending_fares"), -1);
  EXPECT_EQ(better_direction("top_ups_approved"), 0);
  EXPECT_EQ(better_direction("honest_false_flags"), -1);
  EXPECT_EQ(better_direction("records_flagged"), 0);
  // Families by their stem.
  EXPECT_EQ(better_direction("taps_refused_no_usable_token"), -1);
  EXPECT_EQ(better_direction("token_requests_refused_rate_limited"), -1);
  EXPECT_EQ(better_direction("uploads_timed_out"), -1);
  EXPECT_EQ(better_direction("uploads_sent"), 0);
  EXPECT_EQ(better_direction("detection_delay_p90_s"), -1);
}

TEST(Comparison, SingleRunsHaveNoIntervalAndNoVerdict) {
  const auto rows =
      compare_folders(folder({1}, "refusal_rate", {0.1}), folder({1}, "refusal_rate", {0.2}));
  EXPECT_TRUE(std::isnan(rows[0].ci_low));
  EXPECT_EQ(rows[0].verdict, "no interval"); // untested: not "no significant difference"
}

} // namespace
} // namespace hcesim::study
