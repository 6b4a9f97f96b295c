#include "sim/distributions.h"
#include "sim/stats/log_histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

using namespace hcesim::sim;

namespace {

// Every quantile from 0 to 1 in steps of 0.001 within 1 % of the exact value of the same rank.
void expect_quantiles_match_sort(std::vector<double> xs) {
  LogHistogram h;
  for (double x : xs) {
    h.add(x);
  }
  std::sort(xs.begin(), xs.end());
  for (int i = 0; i <= 1000; ++i) {
    const double q = i / 1000.0;
    const double exact = xs[static_cast<size_t>(q * static_cast<double>(xs.size() - 1))];
    EXPECT_LE(std::fabs(h.quantile(q) - exact), LogHistogram::kRelativeAccuracy * exact)
        << "q=" << q << " exact=" << exact;
  }
  EXPECT_EQ(h.quantile(0), xs.front());
  EXPECT_EQ(h.quantile(1), xs.back());
}

std::vector<double> sample(const std::function<double(RandomStream&)>& draw, uint64_t entity,
                           int n = 50'000) {
  RandomStream s(77, Purpose::kEngine, entity);
  std::vector<double> xs(static_cast<size_t>(n));
  for (double& x : xs) {
    x = draw(s);
  }
  return xs;
}

} // namespace

TEST(LogHistogram, EveryValueIsWithinOnePercentOfItsBucketsRepresentative) {
  RandomStream s(1, Purpose::kEngine, 0);
  std::vector<double> xs = {1, 2, 0.5, 1024, 1 + 1e-15, 2 - 1e-15, 3, 1e-300, 5e-324, 1.7e308};
  for (int i = 0; i < 100'000; ++i) {
    // Log-uniform over 2^-60 .. 2^60.
    xs.push_back(std::ldexp(1 + s.next_double(), static_cast<int>(s.uniform_int(121)) - 60));
  }
  for (double x : xs) {
    const double r = LogHistogram::representative(LogHistogram::bucket_of(x));
    ASSERT_LE(std::fabs(r - x), 0.0099 * x) << x;
  }
}

TEST(LogHistogram, QuantilesOfUniformDataMatchAnExactSort) {
  expect_quantiles_match_sort(sample([](RandomStream& s) { return 10 + 90 * s.next_double(); }, 1));
}

TEST(LogHistogram, QuantilesOfExponentialDataMatchAnExactSort) {
  auto e = Exponential::with_mean(0.25).value();
  expect_quantiles_match_sort(sample([&](RandomStream& s) { return e.draw(s); }, 2));
}

TEST(LogHistogram, QuantilesOfHeavyTailedLognormalDataMatchAnExactSort) {
  auto ln = LogNormal::from_mu_sigma(0, 2.5).value();
  expect_quantiles_match_sort(sample([&](RandomStream& s) { return ln.draw(s); }, 3));
}

TEST(LogHistogram, ZerosAreCountedExactly) {
  // A third zeros (an idle server's waits), the rest exponential.
  auto e = Exponential::with_mean(5).value();
  expect_quantiles_match_sort(
      sample([&](RandomStream& s) { return s.uniform_int(3) == 0 ? 0.0 : e.draw(s); }, 4));
}

TEST(LogHistogram, KeepsCountSumAndExtremesExactly) {
  LogHistogram h;
  EXPECT_TRUE(std::isnan(h.quantile(0.5)));
  EXPECT_TRUE(std::isnan(h.mean()));
  h.add(2, 3);
  h.add(8);
  EXPECT_EQ(h.count(), 4u);
  EXPECT_EQ(h.sum(), 14);
  EXPECT_EQ(h.mean(), 3.5);
  EXPECT_EQ(h.min(), 2);
  EXPECT_EQ(h.max(), 8);
  EXPECT_EQ(h.quantile(0.5), 2);
}

TEST(LogHistogram, MergingEqualsOneHistogramOverAllValues) {
  auto ln = LogNormal::from_mean_sd(1, 3).value();
  RandomStream s(5, Purpose::kEngine, 0);
  LogHistogram all;
  LogHistogram a;
  LogHistogram b;
  for (int i = 0; i < 20'000; ++i) {
    const double x = i % 97 == 0 ? 0 : ln.draw(s);
    all.add(x);
    (i % 3 == 0 ? a : b).add(x);
  }
  a.merge(b);
  EXPECT_EQ(a.count(), all.count());
  EXPECT_EQ(a.min(), all.min());
  EXPECT_EQ(a.max(), all.max());
  EXPECT_NEAR(a.sum(), all.sum(), 1e-9 * all.sum());
  EXPECT_EQ(a.bucket_count(), all.bucket_count());
  for (double q : {0.0, 0.01, 0.1, 0.5, 0.9, 0.99, 0.999, 1.0}) {
    EXPECT_EQ(a.quantile(q), all.quantile(q)) << q;
  }
}

TEST(LogHistogram, BucketsStayBoundedAndHighQuantilesStayAccurate) {
  LogHistogram h(200); // ~4 powers of two
  std::vector<double> xs;
  for (int e = -40; e <= 40; ++e) {
    for (int k = 0; k < 10; ++k) {
      xs.push_back(std::ldexp(1 + k / 10.0, e));
    }
  }
  for (double x : xs) {
    h.add(x);
  }
  EXPECT_LE(h.bucket_count(), 200u);
  EXPECT_TRUE(h.collapsed());
  std::sort(xs.begin(), xs.end());
  for (double q : {0.99, 0.995, 1.0}) {
    const double exact = xs[static_cast<size_t>(q * static_cast<double>(xs.size() - 1))];
    EXPECT_LE(std::fabs(h.quantile(q) - exact), 0.01 * exact) << q;
  }
  LogHistogram small_range(200);
  small_range.add(1);
  small_range.add(3);
  EXPECT_FALSE(small_range.collapsed());
}
