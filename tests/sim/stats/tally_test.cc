#include "sim/distributions.h"
#include "sim/stats/counter.h"
#include "sim/stats/tally.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace hcesim::sim;

TEST(Tally, MatchesATwoPassComputation) {
  const std::vector<double> xs = {3.5, -1, 4, 1e3, 2.25, 7, 7, 0};
  Tally t;
  double sum = 0;
  for (double x : xs) {
    t.add(x);
    sum += x;
  }
  const double mean = sum / static_cast<double>(xs.size());
  double ss = 0;
  for (double x : xs) {
    ss += (x - mean) * (x - mean);
  }
  EXPECT_EQ(t.count(), 8);
  EXPECT_NEAR(t.mean(), mean, 1e-12);
  EXPECT_NEAR(t.variance(), ss / 7, 1e-9);
  EXPECT_NEAR(t.sum(), sum, 1e-9);
  EXPECT_EQ(t.min(), -1);
  EXPECT_EQ(t.max(), 1e3);
  EXPECT_NEAR(t.standard_error(), std::sqrt(ss / 7 / 8), 1e-12);
}

TEST(Tally, StaysAccurateFarFromZero) {
  // The naive sum-of-squares formula loses everything here; Welford keeps it.
  Tally t;
  for (double x : {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16}) {
    t.add(x);
  }
  EXPECT_DOUBLE_EQ(t.variance(), 30);
}

TEST(Tally, MergingTwoTalliesEqualsOneTallyOverAllValues) {
  RandomStream s(1, Purpose::kEngine, 0);
  auto e = Exponential::with_mean(3).value();
  Tally all;
  Tally a;
  Tally b;
  for (int i = 0; i < 1000; ++i) {
    const double x = e.draw(s) + 100;
    all.add(x);
    (i < 300 ? a : b).add(x);
  }
  a.merge(b);
  EXPECT_EQ(a.count(), all.count());
  EXPECT_EQ(a.min(), all.min());
  EXPECT_EQ(a.max(), all.max());
  EXPECT_NEAR(a.mean(), all.mean(), 1e-12 * all.mean());
  EXPECT_NEAR(a.variance(), all.variance(), 1e-10 * all.variance());
}

TEST(Tally, MergingWithAnEmptyTallyChangesNothing) {
  Tally a;
  a.add(2);
  a.add(4);
  Tally empty;
  a.merge(empty);
  EXPECT_EQ(a.count(), 2);
  EXPECT_EQ(a.mean(), 3);
  empty.merge(a);
  EXPECT_EQ(empty.count(), 2);
  EXPECT_EQ(empty.variance(), 2);
  EXPECT_EQ(empty.min(), 2);
}

TEST(Tally, EmptyOrSingleValueHasNoVariance) {
  Tally t;
  EXPECT_TRUE(std::isnan(t.mean()));
  EXPECT_TRUE(std::isnan(t.min()));
  t.add(5);
  EXPECT_EQ(t.mean(), 5);
  EXPECT_TRUE(std::isnan(t.variance()));
  t.reset();
  EXPECT_EQ(t.count(), 0);
}

TEST(Counter, CountsAndMerges) {
  Counter a;
  a.add();
  a.add(4);
  Counter b;
  b.add(10);
  a.merge(b);
  EXPECT_EQ(a.value(), 15);
  a.reset();
  EXPECT_EQ(a.value(), 0);
}
