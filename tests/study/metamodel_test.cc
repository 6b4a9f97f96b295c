// The metamodel recovers known coefficients, adds interactions only with enough points, and reads
// durations in seconds.
#include "study/metamodel.h"
#include "study/study_plan.h"

#include <gtest/gtest.h>

#include <cmath>

namespace hcesim::study {
namespace {

TEST(Metamodel, RecoversAPlaneWithAnInteractionExactly) {
  const std::vector<models::SweepAxisConfig> axes{{"a", {"1", "2", "3"}}, {"b", {"10", "20"}}};
  const auto points = sweep_points(axes, false);
  ASSERT_EQ(points.size(), 6U);
  std::vector<double> y;
  for (const auto& p : points) {
    const double a = std::stod(p[0]);
    const double b = std::stod(p[1]);
    y.push_back(5 + 2 * a - 0.5 * b + 0.1 * a * b);
  }
  const auto m = fit_metamodel(axes, points, y);
  ASSERT_TRUE(m.has_value());
  ASSERT_EQ(m->terms.size(), 4U);
  EXPECT_EQ(m->terms[3].term, "a*b");
  EXPECT_NEAR(m->terms[0].coefficient, 5, 1e-9);
  EXPECT_NEAR(m->terms[1].coefficient, 2, 1e-9);
  EXPECT_NEAR(m->terms[2].coefficient, -0.5, 1e-9);
  EXPECT_NEAR(m->terms[3].coefficient, 0.1, 1e-9);
  EXPECT_NEAR(m->r2, 1.0, 1e-12);
}

TEST(Metamodel, NoInteractionsWithoutPointsToSpareAndR2BelowOneForNoise) {
  const std::vector<models::SweepAxisConfig> axes{{"a", {"1", "2"}}, {"b", {"1", "2"}}};
  const auto points = sweep_points(axes, false);
  const auto m = fit_metamodel(axes, points, {1.0, 2.0, 2.5, 2.9});
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->terms.size(), 3U);
  EXPECT_LT(m->r2, 1.0);
  EXPECT_GT(m->r2, 0.5);
}

TEST(Metamodel, NoFitWithNoMorePointsThanTerms) {
  // Two points and a line through them: R² 1 whatever the KPI does, so no fit is claimed.
  const std::vector<models::SweepAxisConfig> axes{{"a", {"3", "10"}}};
  EXPECT_FALSE(fit_metamodel(axes, sweep_points(axes, false), {0.004, 0.002}).has_value());
  const std::vector<models::SweepAxisConfig> three{{"a", {"3", "5", "10"}}};
  EXPECT_TRUE(fit_metamodel(three, sweep_points(three, false), {0.004, 0.003, 0.002}));
}

TEST(Metamodel, DurationsAreSecondsAndWordsAreTheirIndex) {
  const models::SweepAxisConfig lifetime{"token_policy.lifetime", {"24h", "72h"}};
  EXPECT_DOUBLE_EQ(axis_number(lifetime, "72h"), 72 * 3600.0);
  const models::SweepAxisConfig trigger{"refill.trigger", {"AFTER_EVERY_USE", "BELOW_TAPS"}};
  EXPECT_DOUBLE_EQ(axis_number(trigger, "BELOW_TAPS"), 1.0);
}

TEST(SweepPoints, CrossedVariesTheLastAxisFastestAndZippedPairsValues) {
  const std::vector<models::SweepAxisConfig> axes{{"a", {"1", "2"}}, {"b", {"x", "y"}}};
  const auto crossed = sweep_points(axes, false);
  ASSERT_EQ(crossed.size(), 4U);
  EXPECT_EQ(crossed[1], (std::vector<std::string>{"1", "y"}));
  const auto zipped = sweep_points(axes, true);
  ASSERT_EQ(zipped.size(), 2U);
  EXPECT_EQ(zipped[1], (std::vector<std::string>{"2", "y"}));
}

} // namespace
} // namespace hcesim::study
