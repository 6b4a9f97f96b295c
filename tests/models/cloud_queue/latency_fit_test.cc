// The calibration's latency model: Erlang C waits, and F and the service-time cv recovered from
// mean latencies that follow the model exactly; the fit's bounds.
#include "models/cloud_queue/latency_fit.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>

namespace hcesim::models {
namespace {

TEST(ErlangC, MatchesTheClosedFormsForOneAndTwoServers) {
  EXPECT_NEAR(erlang_c_wait_s(1, 5, 10), 0.5 / 5, 1e-12);             // M/M/1: ρ / (μ − λ)
  EXPECT_NEAR(erlang_c_wait_s(2, 1, 2), (2 * 0.25 / 1.5) / 1, 1e-12); // M/M/2: 2ρ²/(1+ρ) / (cμ − λ)
  EXPECT_TRUE(std::isinf(erlang_c_wait_s(1, 10, 10)));
}

//! Points of a service with capacity 40,000/s on c servers that follow the model exactly.
std::vector<LatencyPoint> exact(uint32_t c, double fixed_ms, double cv) {
  const double capacity = 40'000;
  const double service_ms = c / capacity * 1e3;
  std::vector<LatencyPoint> points;
  for (const double rho : {0.1, 0.3, 0.5, 0.7, 0.85}) {
    const double wait_ms = erlang_c_wait_s(c, rho * capacity, capacity) * 1e3;
    points.push_back({wait_ms, fixed_ms + service_ms + (1 + cv * cv) / 2 * wait_ms, rho});
  }
  return points;
}

TEST(LatencyFit, RecoversTheFixedLatencyAndCvOfExactPoints) {
  for (const uint32_t c : {1u, 2u}) {
    for (const double cv : {0.0, 1.0, 6.0}) {
      const LatencyFit fit = fit_latency(exact(c, 0.3, cv), c / 40'000.0 * 1e3);
      EXPECT_NEAR(fit.fixed_ms, 0.3, 1e-9) << "c " << c << " cv " << cv;
      ASSERT_TRUE(fit.cv.has_value());
      EXPECT_NEAR(*fit.cv, cv, 1e-6) << "c " << c;
    }
  }
}

TEST(LatencyFit, StaysWithinItsBounds) {
  // Latency falling with load: no negative variance, cv 0 (the steepest fit allowed is flat).
  std::vector<LatencyPoint> falling = {{0.001, 0.5, 0.3}, {0.01, 0.4, 0.6}, {0.05, 0.35, 0.8}};
  LatencyFit fit = fit_latency(falling, 0.025);
  ASSERT_TRUE(fit.cv.has_value());
  EXPECT_EQ(*fit.cv, 0.0);
  EXPECT_GE(fit.fixed_ms, 0.0);
  // Measured below the service time alone: F is 0, not negative.
  fit = fit_latency(exact(1, 0.0, 2.0), 0.05);
  EXPECT_EQ(fit.fixed_ms, 0.0);
  // An enormous rise: the cv stops at the scenario field's 100.
  EXPECT_EQ(*fit_latency(exact(1, 0.3, 1000), 0.025).cv, 100.0);
}

TEST(LatencyFit, TooLittleQueueingKeepsTheExponentialAndTheSmallestExcess) {
  std::vector<LatencyPoint> light = {{0.0001, 0.40, 0.05}, {0.0004, 0.33, 0.2}};
  const LatencyFit fit = fit_latency(light, 0.025);
  EXPECT_FALSE(fit.cv.has_value());
  EXPECT_NEAR(fit.fixed_ms, 0.33 - 0.025 - 0.0004, 1e-12);
  EXPECT_EQ(fit_latency({}, 0.025).fixed_ms, 0.0);
}

//! Loads of a service with capacity 40,000/s on c servers whose means follow the model exactly.
std::vector<MeasuredLoad> exact_loads(uint32_t c, double fixed_ms, double cv) {
  std::vector<MeasuredLoad> loads;
  for (const LatencyPoint& p : exact(c, fixed_ms, cv)) {
    loads.push_back({p.utilisation * 40'000, p.measured_ms});
  }
  return loads;
}

TEST(QueueFit, FindsTheServerCountOfExactLoads) {
  const std::array<uint32_t, 6> candidates = {1, 2, 4, 8, 16, 32};
  for (const uint32_t c : {1u, 2u, 8u}) {
    for (const double cv : {0.5, 1.0, 3.0}) {
      const QueueFit q = fit_queue(exact_loads(c, 0.3, cv), 40'000, candidates);
      EXPECT_EQ(q.servers, c) << "cv " << cv;
      ASSERT_TRUE(q.cv.has_value());
      EXPECT_NEAR(*q.cv, cv, 1e-6) << "c " << c;
      EXPECT_NEAR(q.fixed_ms, 0.3, 1e-9);
      EXPECT_LT(q.rms_relative_error, 1e-9);
      for (const MeasuredLoad& l : exact_loads(c, 0.3, cv)) {
        EXPECT_NEAR(queue_mean_ms(q, l.offered, 40'000), l.mean_ms, 1e-9 * l.mean_ms);
      }
    }
  }
}

TEST(QueueFit, KeepsTheFirstServerCountWhenTheLoadsShowNoQueueing) {
  // Light loads with a flat 0.5 ms: 32 servers of 0.8 ms would "explain" it with F = 0; the fixed
  // latency is what it is.
  const std::vector<MeasuredLoad> light = {{400, 0.5}, {2000, 0.5}, {4000, 0.5}};
  const std::array<uint32_t, 6> candidates = {1, 2, 4, 8, 16, 32};
  const QueueFit q = fit_queue(light, 40'000, candidates);
  EXPECT_EQ(q.servers, 1u);
  EXPECT_FALSE(q.cv.has_value());
  EXPECT_NEAR(q.fixed_ms, 0.5 - 0.025 - erlang_c_wait_s(1, 4000, 40'000) * 1e3, 1e-9);
}

TEST(QueueFit, IgnoresLoadsAtOrAboveCapacityAndReportsItsError) {
  std::vector<MeasuredLoad> loads = exact_loads(2, 0.2, 1.0);
  const std::array<uint32_t, 3> candidates = {1, 2, 4};
  const QueueFit clean = fit_queue(loads, 40'000, candidates);
  loads.push_back({40'000, 5000});  // a saturated probe: no mean to fit
  loads.push_back({50'000, 90000}); // an overloaded one
  const QueueFit with = fit_queue(loads, 40'000, candidates);
  EXPECT_EQ(with.servers, clean.servers);
  EXPECT_EQ(with.fixed_ms, clean.fixed_ms);
  // Noise on one load shows in the error; only one count given: it is kept.
  loads = exact_loads(2, 0.2, 1.0);
  loads[2].mean_ms *= 1.5;
  const std::array<uint32_t, 1> one = {2};
  const QueueFit noisy = fit_queue(loads, 40'000, one);
  EXPECT_EQ(noisy.servers, 2u);
  EXPECT_GT(noisy.rms_relative_error, 0.01);
}

} // namespace
} // namespace hcesim::models
