// Means with 95 % t intervals over replications, matched by (kpi, segment), nulls left out.
#include "study/kpi_estimate.h"

#include <gtest/gtest.h>

#include <cmath>

namespace hcesim::study {
namespace {

models::KpiRow row(const std::string& kpi, const std::string& segment, double v) {
  return {kpi, segment, v, std::isfinite(v) ? number_text(v) : "null", "count"};
}

TEST(KpiEstimate, MeanAndStudentTHalfWidthOfThreeValues) {
  const KpiEstimate e = estimate_values({1.0, 2.0, 3.0});
  EXPECT_DOUBLE_EQ(e.mean, 2.0);
  // sd 1, n 3: t(0.975, 2) = 4.302653 · 1/√3.
  EXPECT_NEAR(e.half_width, 4.302652729 / std::sqrt(3.0), 1e-8);
  EXPECT_EQ(e.n, 3);
}

TEST(KpiEstimate, IntervalsStayWithinTheRangeTheKpiCanTake) {
  // The reviewer's case: a count flagged in 2 of 5 replications, and a share near 0 and near 1.
  const double flagged[] = {0, 1, 0, 1, 0};
  const double low[] = {0, 0.05, 0, 0, 0};
  const double high[] = {1, 0.9, 1, 1, 1};
  auto share = [](const std::string& kpi, double v) {
    return models::KpiRow{kpi, "all", v, number_text(v), "share"};
  };
  std::vector<std::vector<models::KpiRow>> reps;
  for (size_t k = 0; k < 5; ++k) {
    reps.push_back(
        {row("flagged", "all", flagged[k]), share("share", low[k]), share("high", high[k])});
  }
  const auto est = estimate_kpis(reps);
  ASSERT_EQ(est.size(), 3U);
  // The t intervals reach past the range: below 0, and above 1 for the share near 1.
  EXPECT_LT(est[0].mean - est[0].half_width, 0.0);
  EXPECT_LT(est[1].mean - est[1].half_width, 0.0);
  EXPECT_GT(est[2].mean + est[2].half_width, 1.0);
  EXPECT_EQ(est[0].ci_low(), 0.0);
  EXPECT_DOUBLE_EQ(est[0].ci_high(), est[0].mean + est[0].half_width);
  EXPECT_EQ(est[1].ci_low(), 0.0);
  EXPECT_EQ(est[2].ci_high(), 1.0);
  EXPECT_GT(est[2].ci_low(), 0.0);
  // A difference (no unit) may be negative: its interval is the t interval as it is.
  const KpiEstimate d = estimate_values({-1.0, 1.0, 0.5});
  EXPECT_DOUBLE_EQ(d.ci_low(), d.mean - d.half_width);
  EXPECT_LT(d.ci_low(), 0.0);
}

TEST(KpiEstimate, OneValueHasNoInterval) {
  const KpiEstimate e = estimate_values({5.0});
  EXPECT_DOUBLE_EQ(e.mean, 5.0);
  EXPECT_TRUE(std::isnan(e.half_width));
}

TEST(KpiEstimate, RowsAreMatchedByNameAndSegmentAndNullsLeftOut) {
  const double nan = std::nan("");
  const std::vector<std::vector<models::KpiRow>> reps{
      {row("a", "all", 1), row("b", "all", nan), row("a", "hour:07", 10)},
      {row("a", "hour:07", 20), row("a", "all", 3), row("b", "all", 4)},
  };
  const auto est = estimate_kpis(reps);
  ASSERT_EQ(est.size(), 3U);
  EXPECT_EQ(est[0].kpi, "a");
  EXPECT_DOUBLE_EQ(est[0].mean, 2.0);
  EXPECT_EQ(est[1].kpi, "b");
  EXPECT_EQ(est[1].n, 1);
  EXPECT_DOUBLE_EQ(est[1].mean, 4.0);
  EXPECT_EQ(est[1].values[0], "null");
  EXPECT_EQ(est[2].segment, "hour:07");
  EXPECT_DOUBLE_EQ(est[2].mean, 15.0);
}

} // namespace
} // namespace hcesim::study
