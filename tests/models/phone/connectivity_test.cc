// Phone coverage as a lazily sampled on/off Markov process: long-run share, transition law, the
// length of outages, and where a phone is offline whatever the coverage.
#include "models/phone/connectivity.h"

#include "../world_config.h"
#include "models/city/synthetic_city.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace hcesim;
using namespace hcesim::models;

namespace {

struct Phones {
  explicit Phones(ScenarioConfig c)
      : cfg(std::move(c)), city(build_synthetic_city(cfg)),
        population(Population::generate(cfg, city)) {}
  ScenarioConfig cfg;
  City city;
  Population population;
};

ScenarioConfig network_world() {
  ScenarioConfig cfg = world_test::small_world();
  cfg.population.riders = 20'000;
  cfg.network.mean_online = Duration::hours(2);
  cfg.network.mean_offline = Duration::minutes(20);
  cfg.network.coverage = {CoverageClassConfig{"good", 0.5, 1.0},
                          CoverageClassConfig{"poor", 0.5, 6.0}};
  cfg.network.data_off_share = 0.1;
  cfg.network.offline_underground = true;
  return cfg;
}

const Phones& phones() {
  static const Phones p(network_world());
  return p;
}

} // namespace

TEST(Connectivity, LongRunShareWithCoverageFollowsTheMeansOfEachCoverageClass) {
  const Phones& p = phones();
  Connectivity net(p.cfg, p.population);
  double on[2] = {0, 0};
  double n[2] = {0, 0};
  for (uint32_t r = 0; r < p.population.size(); ++r) {
    const uint32_t k = p.population.coverage_class(r);
    // Each phone asked at a few hours' spacing: nearly independent looks at the process.
    for (int h = 0; h < 5; ++h) {
      on[k] += net.has_coverage(r, Time::epoch() + Duration::hours(6) * h) ? 1 : 0;
      n[k] += 1;
    }
  }
  // good: 120 / (120 + 20); poor: 120 / (120 + 120).
  EXPECT_NEAR(on[0] / n[0], 120.0 / 140.0, 0.01);
  EXPECT_NEAR(on[1] / n[1], 0.5, 0.015);
}

TEST(Connectivity, StateAfterADelayFollowsTheTwoStateChain) {
  const Phones& p = phones();
  Connectivity net(p.cfg, p.population);
  const Duration delta = Duration::minutes(15);
  double on_on = 0;
  double on_first = 0;
  for (uint32_t r = 0; r < p.population.size(); ++r) {
    if (p.population.coverage_class(r) != 0) {
      continue;
    }
    for (int k = 0; k < 4; ++k) {
      const Time t = Time::epoch() + Duration::hours(8) * k;
      if (net.has_coverage(r, t)) {
        on_first += 1;
        on_on += net.has_coverage(r, t + delta) ? 1 : 0;
      }
    }
  }
  const double a = 1.0 / 7200.0;
  const double b = 1.0 / 1200.0;
  const double pi_on = b / (a + b);
  const double expected = pi_on + (1 - pi_on) * std::exp(-(a + b) * delta.to_seconds());
  const double se = std::sqrt(expected * (1 - expected) / on_first);
  EXPECT_NEAR(on_on / on_first, expected, 4 * se);
  EXPECT_GT(std::fabs(on_on / on_first - pi_on), 8 * se) << "not a fresh stationary draw";
}

TEST(Connectivity, OutagesLastTheirMeanAndAreConsistentWhenAskedAgain) {
  const Phones& p = phones();
  Connectivity net(p.cfg, p.population);
  double sum = 0;
  double count = 0;
  for (uint32_t r = 0; r < p.population.size(); ++r) {
    if (p.population.coverage_class(r) != 1) {
      continue;
    }
    const Time t = Time::epoch() + Duration::hours(9);
    const Time back = net.next_coverage(r, t);
    if (back == t) {
      continue;
    }
    sum += (back - t).to_seconds();
    count += 1;
    ASSERT_FALSE(net.has_coverage(r, back - Duration::micros(1)));
    ASSERT_TRUE(net.has_coverage(r, back));
    ASSERT_EQ(net.next_coverage(r, back), back);
  }
  const double mean = 120 * 60.0; // 20 min × offline_factor 6
  EXPECT_NEAR(sum / count, mean, 4 * mean / std::sqrt(count));
}

TEST(Connectivity, UndergroundAndDataOffPhonesAreOfflineWhateverTheCoverage) {
  const Phones& p = phones();
  Connectivity net(p.cfg, p.population);
  const Time t = Time::epoch() + Duration::hours(10);
  uint32_t checked_data_off = 0;
  for (uint32_t r = 0; r < 2000; ++r) {
    const Time end = net.coverage_ends(r, t);
    if (end == t) {
      continue; // no coverage now
    }
    EXPECT_FALSE(net.online(r, t, Place::kUnderground, true));
    EXPECT_EQ(net.online(r, t, Place::kAboveGround, false), !p.population.data_off(r));
    EXPECT_TRUE(net.online(r, t, Place::kAboveGround, true));
    checked_data_off += p.population.data_off(r) ? 1U : 0U;
  }
  EXPECT_GT(checked_data_off, 50U);
}

TEST(Connectivity, SameQuestionsGetTheSameAnswersAndStateIsThirteenBytesPerRider) {
  const Phones& p = phones();
  Connectivity a(p.cfg, p.population);
  Connectivity b(p.cfg, p.population);
  for (uint32_t r = 0; r < 1000; ++r) {
    for (int m = 0; m < 10; ++m) {
      const Time t = Time::epoch() + Duration::minutes(37) * m;
      ASSERT_EQ(a.has_coverage(r, t), b.has_coverage(r, t));
    }
    ASSERT_EQ(a.next_coverage(r, Time::epoch() + Duration::hours(7)),
              b.next_coverage(r, Time::epoch() + Duration::hours(7)));
  }
  EXPECT_EQ(a.bytes(), 13U * p.population.size());
}
