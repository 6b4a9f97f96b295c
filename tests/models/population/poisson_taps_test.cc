// The validity mode's Poisson taps: a Poisson process per rider at the configured rate, from the
// rider's own stream (unchanged by policies and by other riders), each tap a bus tap at its time.
#include "models/population/poisson_taps.h"

#include "../world_config.h"
#include "models/city/synthetic_city.h"
#include "models/population/day_plan.h"

#include <gtest/gtest.h>

#include <cmath>

namespace hcesim::models {
namespace {

ScenarioConfig poisson(double per_hour) {
  ScenarioConfig cfg = world_test::small_world();
  cfg.population.riders = 300;
  cfg.population.trip_model = TripModel::kPoissonTaps;
  cfg.population.taps_per_hour = per_hour;
  return cfg;
}

TEST(PoissonTaps, CountsPerRiderDayHaveThePoissonMeanAndVariance) {
  const ScenarioConfig cfg = poisson(0.5); // 12 a day
  const City city = build_synthetic_city(cfg);
  const Population pop = Population::generate(cfg, city);
  std::vector<PlannedTrip> taps;
  double sum = 0;
  double sum2 = 0;
  int late_first = 0; // days whose first tap comes after 2 h: P = e^{-1}
  int n = 0;
  for (uint32_t r = 0; r < pop.size(); ++r) {
    for (uint32_t d = 0; d < 4; ++d) {
      taps.clear();
      plan_poisson_taps(cfg, pop, r, d, taps);
      const auto k = static_cast<double>(taps.size());
      late_first +=
          taps.empty() || taps[0].depart >= Time::epoch() + Duration::days(d) + Duration::hours(2)
              ? 1
              : 0;
      sum += k;
      sum2 += k * k;
      ++n;
      for (size_t i = 0; i < taps.size(); ++i) {
        EXPECT_EQ(taps[i].rider, r);
        EXPECT_GE(taps[i].depart, Time::epoch() + Duration::days(d));
        EXPECT_LT(taps[i].depart, Time::epoch() + Duration::days(d + 1));
        if (i > 0) {
          EXPECT_GE(taps[i].depart, taps[i - 1].depart);
        }
      }
    }
  }
  const double mean = sum / n;
  const double var = sum2 / n - mean * mean;
  // 1,200 rider-days of Poisson(12): the mean's standard error is 0.1, the variance's ~0.5.
  EXPECT_NEAR(mean, 12.0, 0.4);
  EXPECT_NEAR(var, 12.0, 2.0);
  // The wait for the first tap is exponential with mean 2 h: P(> 2 h) = e^{-1} (se 0.014).
  EXPECT_NEAR(late_first / static_cast<double>(n), std::exp(-1.0), 0.05);
}

TEST(PoissonTaps, ARidersTapsDependOnlyOnTheSeedTheRiderAndTheDay) {
  ScenarioConfig a = poisson(2.0);
  ScenarioConfig b = a;
  b.token_policy.offline_limit = 9;
  b.network.mean_offline = Duration::hours(3);
  b.population.riders = 50; // other riders gone
  const City city = build_synthetic_city(a);
  const Population pa = Population::generate(a, city);
  const Population pb = Population::generate(b, city);
  std::vector<PlannedTrip> ta;
  std::vector<PlannedTrip> tb;
  plan_poisson_taps(a, pa, 17, 3, ta);
  plan_poisson_taps(b, pb, 17, 3, tb);
  ASSERT_FALSE(ta.empty());
  EXPECT_EQ(ta, tb);
  // Another day or another rider: other taps.
  std::vector<PlannedTrip> other;
  plan_poisson_taps(a, pa, 17, 4, other);
  EXPECT_NE(ta.front().depart - Duration::days(3), other.front().depart - Duration::days(4));
  // Through TripPlanner and DayPlan (what CityRun reads) the day is the same.
  const PathTable paths = PathTable::build(city);
  const TripPlanner planner(a, city, paths, pa);
  DayPlan plan;
  plan.plan(planner, pa.size(), 3);
  ASSERT_EQ(plan.trips_of(17), ta.size());
  for (uint32_t i = 0; i < ta.size(); ++i) {
    EXPECT_EQ(plan.trip(17, plan.first_trip(17) + i), ta[i]);
  }
}

TEST(PoissonTaps, EachTapIsOneBusTapAtItsTime) {
  const ScenarioConfig cfg = poisson(1.0);
  const City city = build_synthetic_city(cfg);
  const PlannedTrip trip{Time::epoch() + Duration::seconds(12'345), 5, 0, 0, TripPurpose::kOther};
  std::vector<Ride> rides;
  std::vector<PlannedTap> taps;
  expand_poisson_tap(city, trip, rides, taps);
  ASSERT_EQ(taps.size(), 1u);
  ASSERT_EQ(rides.size(), 1u);
  EXPECT_EQ(taps[0].kind, TapKind::kBus);
  EXPECT_EQ(taps[0].time, trip.depart);
  EXPECT_EQ(city.route(taps[0].route).mode, Mode::kBus);
  EXPECT_EQ(rides[0].route, taps[0].route);
  EXPECT_EQ(rides[0].board_stop, taps[0].stop);
  EXPECT_GE(rides[0].board, trip.depart);
}

} // namespace
} // namespace hcesim::models
