#include "sim/discrete_distribution.h"
#include "sim/distributions.h"
#include "sim/empirical_cdf.h"
#include "sim/poisson.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace hcesim::sim;

namespace {

// Sample mean within 5 standard errors of the exact mean, sample variance within 5 standard
// errors of the exact variance (the variance's standard error estimated as
// sqrt((m4 − s⁴) / n) from the sample's own fourth central moment).
template <typename Draw>
void expect_moments(Draw draw, double mean, double variance, int n = 200'000) {
  std::vector<double> xs(static_cast<size_t>(n));
  double sum = 0;
  for (double& x : xs) {
    x = static_cast<double>(draw());
    sum += x;
  }
  const double m = sum / n;
  double m2 = 0;
  double m4 = 0;
  for (double x : xs) {
    const double d = (x - m) * (x - m);
    m2 += d;
    m4 += d * d;
  }
  m2 /= n;
  m4 /= n;
  const double s2 = m2 * n / (n - 1);
  EXPECT_NEAR(m, mean, 5 * std::sqrt(variance / n)) << "mean";
  EXPECT_NEAR(s2, variance, 5 * std::sqrt((m4 - m2 * m2) / n)) << "variance";
}

} // namespace

TEST(Distributions, UniformHasItsMeanAndVarianceAndStaysInRange) {
  auto u = Uniform::make(-2, 5).value();
  RandomStream s(1, Purpose::kEngine, 0);
  for (int i = 0; i < 10'000; ++i) {
    double x = u.draw(s);
    ASSERT_GE(x, -2);
    ASSERT_LT(x, 5);
  }
  expect_moments([&] { return u.draw(s); }, 1.5, 49.0 / 12);
}

TEST(Distributions, ExponentialByMeanAndByRateAgree) {
  auto by_mean = Exponential::with_mean(2.5).value();
  auto by_rate = Exponential::with_rate(0.4).value();
  EXPECT_DOUBLE_EQ(by_rate.mean(), 2.5);
  RandomStream a(2, Purpose::kEngine, 0);
  RandomStream b(2, Purpose::kEngine, 0);
  EXPECT_DOUBLE_EQ(by_mean.draw(a), by_rate.draw(b));
  expect_moments([&] { return by_mean.draw(a); }, 2.5, 6.25);
}

TEST(Distributions, NormalHasItsMeanAndVariance) {
  auto n = Normal::make(10, 3).value();
  RandomStream s(3, Purpose::kEngine, 0);
  expect_moments([&] { return n.draw(s); }, 10, 9);
}

TEST(Distributions, NormalTailsHaveTheRightMass) {
  // P(|Z| > 1.96) = 0.05: a per-bin z-test at 5 standard errors.
  RandomStream s(4, Purpose::kEngine, 0);
  const int n = 200'000;
  int outside = 0;
  for (int i = 0; i < n; ++i) {
    outside += std::fabs(Normal::standard(s)) > 1.959963985 ? 1 : 0;
  }
  EXPECT_NEAR(outside, 0.05 * n, 5 * std::sqrt(0.05 * 0.95 * n));
}

TEST(Distributions, LogNormalFromMeanAndSdHasThatMeanAndSd) {
  auto ln = LogNormal::from_mean_sd(4, 2).value();
  EXPECT_NEAR(ln.mean(), 4, 1e-12);
  EXPECT_NEAR(ln.variance(), 4, 1e-12);
  RandomStream s(5, Purpose::kEngine, 0);
  expect_moments([&] { return ln.draw(s); }, 4, 4);
}

TEST(Distributions, LogNormalFromMuSigmaMatchesTheFormulas) {
  auto ln = LogNormal::from_mu_sigma(0.5, 0.6).value();
  const double mean = std::exp(0.5 + 0.18);
  const double var = (std::exp(0.36) - 1) * std::exp(1 + 0.36);
  EXPECT_NEAR(ln.mean(), mean, 1e-12);
  EXPECT_NEAR(ln.variance(), var, 1e-12);
  RandomStream s(6, Purpose::kEngine, 0);
  expect_moments([&] { return ln.draw(s); }, mean, var);
}

TEST(Distributions, PoissonHasItsMeanAndVarianceOnBothMethods) {
  for (double mean : {0.3, 3.5, 9.99, 10.0, 47.0, 1000.0, 1e7}) {
    SCOPED_TRACE(mean);
    auto p = Poisson::make(mean).value();
    RandomStream s(7, Purpose::kEngine, static_cast<uint64_t>(mean * 100));
    expect_moments([&] { return p.draw(s); }, mean, mean);
  }
}

TEST(Distributions, PoissonWithMeanZeroIsAlwaysZero) {
  auto p = Poisson::make(0).value();
  RandomStream s(8, Purpose::kEngine, 0);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ(p.draw(s), 0);
  }
}

TEST(Distributions, PoissonFrequenciesMatchThePmf) {
  // Both the inversion (4) and the PTRS (15, 60) samplers, each bin within 5 standard errors.
  for (double mean : {4.0, 15.0, 60.0}) {
    SCOPED_TRACE(mean);
    auto p = Poisson::make(mean).value();
    RandomStream s(9, Purpose::kEngine, static_cast<uint64_t>(mean));
    const int n = 200'000;
    std::vector<int> counts(400, 0);
    for (int i = 0; i < n; ++i) {
      auto k = p.draw(s);
      ASSERT_GE(k, 0);
      ++counts[static_cast<size_t>(std::min<int64_t>(k, 399))];
    }
    for (int k = 0; k < 200; ++k) {
      const double pmf = std::exp(-mean + k * std::log(mean) - std::lgamma(k + 1.0));
      EXPECT_NEAR(counts[static_cast<size_t>(k)], pmf * n, 5 * std::sqrt(pmf * (1 - pmf) * n) + 1)
          << "k=" << k;
    }
  }
}

TEST(Distributions, AliasTableFrequenciesMatchTheWeights) {
  const std::vector<double> weights = {1, 0, 3, 6, 0.5, 0, 2.25};
  auto d = DiscreteDistribution::make(weights).value();
  ASSERT_EQ(d.size(), 7u);
  EXPECT_DOUBLE_EQ(d.probability(3), 6 / 12.75);
  RandomStream s(10, Purpose::kEngine, 0);
  const int n = 300'000;
  std::vector<int> counts(weights.size(), 0);
  for (int i = 0; i < n; ++i) {
    ++counts[d.draw(s)];
  }
  for (size_t i = 0; i < weights.size(); ++i) {
    const double p = weights[i] / 12.75;
    // Per-bin z within 5; weight 0 exactly never.
    EXPECT_NEAR(counts[i], p * n, 5 * std::sqrt(p * (1 - p) * n)) << "outcome " << i;
  }
  EXPECT_EQ(counts[1], 0);
  EXPECT_EQ(counts[5], 0);
}

TEST(Distributions, AliasTableWithOneOutcomeAlwaysDrawsIt) {
  auto d = DiscreteDistribution::make({0, 0, 4, 0}).value();
  RandomStream s(11, Purpose::kEngine, 0);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ(d.draw(s), 2u);
  }
}

TEST(Distributions, EmpiricalCdfQuantilesInterpolateBetweenPoints) {
  auto e = EmpiricalCdf::make({{0, 0}, {10, 0.5}, {10, 0.7}, {20, 0.7}, {40, 1}}).value();
  EXPECT_DOUBLE_EQ(e.quantile(0), 0);
  EXPECT_DOUBLE_EQ(e.quantile(0.25), 5);
  EXPECT_DOUBLE_EQ(e.quantile(0.5), 10); // start of the atom at 10
  EXPECT_DOUBLE_EQ(e.quantile(0.6), 10); // inside the atom
  EXPECT_DOUBLE_EQ(e.quantile(0.7), 20); // the gap (10, 20) has no mass
  EXPECT_DOUBLE_EQ(e.quantile(0.85), 30);
  EXPECT_DOUBLE_EQ(e.quantile(1), 40);
}

TEST(Distributions, EmpiricalCdfSamplesFollowTheCdf) {
  auto e = EmpiricalCdf::make({{1, 0}, {2, 0.2}, {5, 0.9}, {9, 1}}).value();
  // Mixture of uniforms: 0.2·U[1,2] + 0.7·U[2,5] + 0.1·U[5,9].
  EXPECT_NEAR(e.mean(), 0.2 * 1.5 + 0.7 * 3.5 + 0.1 * 7, 1e-12);
  RandomStream s(12, Purpose::kEngine, 0);
  expect_moments([&] { return e.draw(s); }, e.mean(), e.variance());
  const int n = 100'000;
  int below_two = 0;
  int below_four = 0;
  for (int i = 0; i < n; ++i) {
    double x = e.draw(s);
    below_two += x < 2 ? 1 : 0;
    below_four += x < 4 ? 1 : 0;
  }
  const double p4 = 0.2 + 0.7 * 2 / 3;
  EXPECT_NEAR(below_two, 0.2 * n, 5 * std::sqrt(0.2 * 0.8 * n));
  EXPECT_NEAR(below_four, p4 * n, 5 * std::sqrt(p4 * (1 - p4) * n));
}

TEST(Distributions, FirstDrawsArePinned) {
  // Literal values: a change to any sampler changes every run and must be deliberate.
  RandomStream s(2024, Purpose::kEngine, 1);
  const double u = Uniform::make(0, 10).value().draw(s);
  const double e = Exponential::with_mean(1).value().draw(s);
  const double z = Normal::make(0, 1).value().draw(s);
  const double l = LogNormal::from_mean_sd(1, 0.5).value().draw(s);
  const int64_t p_small = Poisson::make(3).value().draw(s);
  const int64_t p_large = Poisson::make(500).value().draw(s);
  const uint32_t d = DiscreteDistribution::make({1, 2, 3, 4}).value().draw(s);
  const double c = EmpiricalCdf::make({{0, 0}, {1, 0.5}, {3, 1}}).value().draw(s);
  EXPECT_EQ(u, 0x1.39983cd0a4be8p+3);
  EXPECT_EQ(e, 0x1.9ad3cb619faa6p-4);
  EXPECT_EQ(z, -0x1.f9c0913fa8f41p-5);
  EXPECT_EQ(l, 0x1.d2170f0a7f1d5p+0);
  EXPECT_EQ(p_small, 5);
  EXPECT_EQ(p_large, 494);
  EXPECT_EQ(d, 3u);
  EXPECT_EQ(c, 0x1.814d0f0f55078p-1);
}

TEST(Distributions, DurationFromSecondsRoundsToTheNearestMicrosecond) {
  EXPECT_EQ(duration_from_seconds(1.5).us(), 1'500'000);
  EXPECT_EQ(duration_from_seconds(0.0000014).us(), 1);
  EXPECT_EQ(duration_from_seconds(0.0000016).us(), 2);
  EXPECT_EQ(duration_from_seconds(-2).us(), -2'000'000);
}

TEST(Distributions, BadParametersGivePreciseErrors) {
  EXPECT_EQ(Uniform::make(3, 3).error().what,
            "uniform needs finite bounds with a < b, got a=3 b=3");
  EXPECT_EQ(Exponential::with_mean(-1).error().what,
            "exponential mean must be a finite number > 0, got -1");
  EXPECT_EQ(Exponential::with_rate(0).error().what,
            "exponential rate must be a finite number > 0, got 0");
  EXPECT_EQ(Normal::make(0, -0.5).error().what, "normal sd must be a finite number >= 0, got -0.5");
  EXPECT_EQ(Normal::make(NAN, 1).error().what, "normal mean must be finite, got nan");
  EXPECT_EQ(LogNormal::from_mean_sd(0, 1).error().what,
            "lognormal mean must be a finite number > 0, got 0");
  EXPECT_EQ(LogNormal::from_mu_sigma(1, INFINITY).error().what,
            "lognormal sigma must be a finite number >= 0, got inf");
  EXPECT_EQ(Poisson::make(-3).error().what,
            "poisson mean must be a finite number in [0, 1e12], got -3");
}

TEST(Distributions, BadWeightsGivePreciseErrors) {
  EXPECT_EQ(DiscreteDistribution::make({}).error().what,
            "discrete distribution needs at least one weight, got none");
  auto neg = DiscreteDistribution::make({1, 2, -0.5});
  EXPECT_EQ(neg.error().to_string(), "weight 2: must be a finite number >= 0, got -0.5");
  auto nan = DiscreteDistribution::make({NAN, 1});
  EXPECT_EQ(nan.error().to_string(), "weight 0: must be a finite number >= 0, got nan");
  EXPECT_EQ(DiscreteDistribution::make({0, 0}).error().what,
            "discrete distribution weights are all zero");
  EXPECT_EQ(DiscreteDistribution::make({1e308, 1e308}).error().what,
            "discrete distribution weights sum to more than a double holds");
}

TEST(Distributions, BadCdfPointsGivePreciseErrors) {
  EXPECT_EQ(EmpiricalCdf::make({{0, 0}}).error().what,
            "empirical CDF needs at least 2 points, got 1");
  EXPECT_EQ(EmpiricalCdf::make({{0, 0.1}, {1, 1}}).error().to_string(),
            "point 0: cdf must start at 0, got 0.1");
  EXPECT_EQ(EmpiricalCdf::make({{0, 0}, {1, 0.9}}).error().to_string(),
            "point 1: cdf must end at 1, got 0.9");
  EXPECT_EQ(EmpiricalCdf::make({{0, 0}, {2, 0.5}, {1, 1}}).error().to_string(),
            "point 2: x must not decrease, got 1 after 2");
  EXPECT_EQ(EmpiricalCdf::make({{0, 0}, {1, 0.6}, {2, 0.5}, {3, 1}}).error().to_string(),
            "point 2: cdf must not decrease, got 0.5 after 0.6");
  EXPECT_EQ(EmpiricalCdf::make({{0, 0}, {NAN, 1}}).error().to_string(),
            "point 1: x and cdf must be finite, got x=nan cdf=1");
}

TEST(Distributions, OneObjectServingManyStreamsKeepsTheirNumbersApart) {
  // Common random numbers: a distribution keeps no state between draws (the polar method's
  // second value is discarded), so interleaving two entities' draws changes neither.
  auto n = Normal::make(0, 1).value();
  auto p = Poisson::make(25).value();
  RandomStream a_alone(13, Purpose::kTrips, 1);
  RandomStream b_alone(13, Purpose::kTrips, 2);
  std::vector<double> a_expected;
  std::vector<double> b_expected;
  for (int i = 0; i < 100; ++i) {
    a_expected.push_back(n.draw(a_alone) + static_cast<double>(p.draw(a_alone)));
  }
  for (int i = 0; i < 100; ++i) {
    b_expected.push_back(n.draw(b_alone) + static_cast<double>(p.draw(b_alone)));
  }
  RandomStream a(13, Purpose::kTrips, 1);
  RandomStream b(13, Purpose::kTrips, 2);
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(n.draw(a) + static_cast<double>(p.draw(a)), a_expected[static_cast<size_t>(i)]);
    ASSERT_EQ(n.draw(b) + static_cast<double>(p.draw(b)), b_expected[static_cast<size_t>(i)]);
  }
}
