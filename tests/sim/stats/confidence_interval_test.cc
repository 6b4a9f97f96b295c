#include "sim/distributions.h"
#include "sim/stats/confidence_interval.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace hcesim::sim;

TEST(ConfidenceInterval, UsesTheStudentTQuantile) {
  Tally t;
  for (double x : {1, 2, 3, 4, 5}) {
    t.add(x);
  }
  auto ci = confidence_interval(t).value();
  // t(0.975, 4) · sqrt(2.5) / sqrt(5).
  EXPECT_DOUBLE_EQ(ci.mean, 3);
  EXPECT_NEAR(ci.half_width, 2.776445105 * std::sqrt(0.5), 1e-8);
  EXPECT_EQ(ci.n, 5);
  EXPECT_TRUE(ci.contains(4.9));
  EXPECT_FALSE(ci.contains(5.0));
  auto ci90 = confidence_interval(t, 0.90).value();
  EXPECT_NEAR(ci90.half_width, 2.131846786 * std::sqrt(0.5), 1e-8);
}

TEST(ConfidenceInterval, ASingleRunHasNone) {
  Tally t;
  EXPECT_FALSE(confidence_interval(t).has_value());
  t.add(1);
  EXPECT_FALSE(confidence_interval(t).has_value());
}

TEST(ConfidenceInterval, CoversTheTrueMeanNinetyFivePercentOfTheTime) {
  // 4000 intervals from 5 normal observations each: coverage 0.95 within 5 standard errors
  // (a normal quantile instead of t would cover only ~88 %).
  auto n = Normal::make(7, 2).value();
  RandomStream s(3, Purpose::kEngine, 0);
  const int trials = 4000;
  int covered = 0;
  for (int i = 0; i < trials; ++i) {
    Tally t;
    for (int k = 0; k < 5; ++k) {
      t.add(n.draw(s));
    }
    covered += confidence_interval(t)->contains(7) ? 1 : 0;
  }
  EXPECT_NEAR(covered, 0.95 * trials, 5 * std::sqrt(0.05 * 0.95 * trials));
}
