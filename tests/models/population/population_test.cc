// Riders and their plans: determinism, common random numbers across policies, plausible days,
// and the memory each rider costs.
#include "models/population/population.h"

#include "../world_config.h"
#include "models/city/journey.h"
#include "models/city/synthetic_city.h"
#include "models/population/day_plan.h"
#include "models/population/trip_planner.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace hcesim;
using namespace hcesim::models;

namespace {

struct World {
  explicit World(const ScenarioConfig& c)
      : cfg(c), city(build_synthetic_city(cfg)), paths(PathTable::build(city)),
        population(Population::generate(cfg, city)) {}
  ScenarioConfig cfg;
  City city;
  PathTable paths;
  Population population;
};

const World& small_world() {
  static const World w(world_test::small_world());
  return w;
}

std::vector<PlannedTrip> plan(const ScenarioConfig& cfg, const World& w, uint32_t days) {
  const Population pop = Population::generate(cfg, w.city);
  const TripPlanner planner(cfg, w.city, w.paths, pop);
  std::vector<PlannedTrip> trips;
  for (uint32_t d = 0; d < days; ++d) {
    for (uint32_t r = 0; r < pop.size(); ++r) {
      planner.plan_day(r, d, trips);
    }
  }
  return trips;
}

double hours(Time t) {
  return t.time_of_day().to_seconds() / 3600.0;
}

} // namespace

TEST(Population, SameSeedGivesTheSameRidersAndPlans) {
  const World& w = small_world();
  const Population again = Population::generate(w.cfg, w.city);
  for (uint32_t r = 0; r < w.population.size(); ++r) {
    ASSERT_EQ(again.home_zone(r), w.population.home_zone(r));
    ASSERT_EQ(again.work_zone(r), w.population.work_zone(r));
    ASSERT_EQ(again.hce(r), w.population.hce(r));
    ASSERT_EQ(again.auto_top_up(r), w.population.auto_top_up(r));
  }
  EXPECT_EQ(plan(w.cfg, w, 2), plan(w.cfg, w, 2));
  ScenarioConfig other = w.cfg;
  other.seed = 8;
  EXPECT_NE(plan(other, w, 1), plan(w.cfg, w, 1));
}

TEST(Population, TokenAndTopUpPoliciesLeaveEveryPlannedTripUnchanged) {
  const World& w = small_world();
  ScenarioConfig policy = w.cfg;
  policy.token_policy.offline_limit = 10;
  policy.token_policy.lifetime = Duration::hours(72);
  policy.top_up.auto_share = 0.2;
  policy.top_up.threshold = Money(500, policy.population.initial_balance.currency());
  policy.top_up.amount = Money(10000, policy.population.initial_balance.currency());
  policy.refill.trigger = RefillTrigger::kBelowTaps;
  const auto base = plan(w.cfg, w, 7);
  const auto changed = plan(policy, w, 7);
  ASSERT_GT(base.size(), 10'000U);
  EXPECT_EQ(base, changed);
  // The policy did change riders' settings: only the top-up flag.
  const Population p = Population::generate(policy, w.city);
  uint32_t flipped = 0;
  for (uint32_t r = 0; r < p.size(); ++r) {
    ASSERT_EQ(p.home_zone(r), w.population.home_zone(r));
    ASSERT_EQ(p.hce(r), w.population.hce(r));
    flipped += p.auto_top_up(r) != w.population.auto_top_up(r) ? 1U : 0U;
  }
  EXPECT_GT(flipped, p.size() / 10);
}

TEST(Population, DayOfARiderDependsOnlyOnSeedRiderAndDay) {
  const World& w = small_world();
  const TripPlanner planner(w.cfg, w.city, w.paths, w.population);
  std::vector<PlannedTrip> alone;
  planner.plan_day(1234, 3, alone);
  std::vector<PlannedTrip> after_others;
  for (uint32_t r = 0; r < 50; ++r) {
    planner.plan_day(r, 2, after_others);
  }
  after_others.clear();
  planner.plan_day(1234, 3, after_others);
  EXPECT_EQ(alone, after_others);
}

TEST(Population, SharesAndFlagsFollowTheScenario) {
  ScenarioConfig cfg = world_test::small_world();
  cfg.population.riders = 20'000;
  cfg.population.classes = {RiderClassConfig{"student", 0.25, 1.0, 1.0},
                            RiderClassConfig{"regular", 0.75, 1.0, 1.0}};
  const World& w = small_world();
  const Population p = Population::generate(cfg, w.city);
  double hce = 0;
  double auto_top_up = 0;
  double students = 0;
  double data_off = 0;
  for (uint32_t r = 0; r < p.size(); ++r) {
    hce += p.hce(r) ? 1 : 0;
    auto_top_up += p.auto_top_up(r) ? 1 : 0;
    students += p.rider_class(r) == 0 ? 1 : 0;
    data_off += p.data_off(r) ? 1 : 0;
    ASSERT_TRUE(p.hce(r) || !p.auto_top_up(r)) << "auto top-up needs a cloud card";
    ASSERT_LT(p.home_zone(r), w.city.zone_count());
  }
  const double n = p.size();
  // Binomial proportions: 4 standard errors at n = 20,000 is about 0.014.
  EXPECT_NEAR(hce / n, cfg.population.hce_share, 0.014);
  EXPECT_NEAR(auto_top_up / hce, cfg.top_up.auto_share, 0.02);
  EXPECT_NEAR(students / n, 0.25, 0.013);
  EXPECT_NEAR(data_off / n, cfg.network.data_off_share, 0.007);
  EXPECT_EQ(p.initial_balance(7), cfg.population.initial_balance);
}

TEST(Population, RidersWhoTopUpStartAnywhereInTheirTopUpCycle) {
  // A city already running: a rider with automatic top-up is somewhere between its threshold and
  // threshold + amount, one topping up by hand between the issuing minimum and that + amount;
  // anyone else has initial_balance. No other attribute moves (a slot of its own).
  ScenarioConfig cfg = world_test::small_world();
  cfg.population.riders = 20'000;
  const Currency cny = cfg.population.initial_balance.currency();
  cfg.top_up.threshold = Money(1000, cny);
  cfg.top_up.amount = Money(5000, cny);
  cfg.token_policy.issuing_minimum_balance = Money(200, cny);
  const World& w = small_world();
  const Population fixed = Population::generate(cfg, w.city);
  cfg.population.start_balances = StartBalances::kInTopUpCycle;
  const Population p = Population::generate(cfg, w.city);
  double auto_sum = 0;
  double manual_sum = 0;
  int autos = 0;
  int manuals = 0;
  for (uint32_t r = 0; r < p.size(); ++r) {
    ASSERT_EQ(p.home_zone(r), fixed.home_zone(r));
    ASSERT_EQ(p.auto_top_up(r), fixed.auto_top_up(r));
    ASSERT_EQ(fixed.initial_balance(r), cfg.population.initial_balance);
    const int64_t b = p.initial_balance(r).minor();
    if (p.hce(r) && p.auto_top_up(r)) {
      ASSERT_GE(b, 1000);
      ASSERT_LE(b, 6000);
      auto_sum += static_cast<double>(b);
      ++autos;
    } else if (p.hce(r) && p.manual_top_up(r)) {
      ASSERT_GE(b, 200);
      ASSERT_LE(b, 5200);
      manual_sum += static_cast<double>(b);
      ++manuals;
    } else {
      ASSERT_EQ(b, 2000);
    }
    ASSERT_EQ(p.initial_balance(r), p.initial_balance(r)) << "drawn again, the same";
  }
  ASSERT_GT(autos, 1000);
  ASSERT_GT(manuals, 500);
  // Uniform: the mean is the cycle's middle (sd 1443 / sqrt(n): 4 standard errors under 200).
  EXPECT_NEAR(auto_sum / autos, 3500, 200);
  EXPECT_NEAR(manual_sum / manuals, 2700, 260);
}

TEST(Population, WeekdaysHaveTheConfiguredTripsAndAMorningPeak) {
  const World& w = small_world();
  const TripPlanner planner(w.cfg, w.city, w.paths, w.population);
  std::vector<PlannedTrip> trips;
  std::vector<PlannedTrip> day;
  double weekday_trips = 0;
  double morning = 0;
  double evening = 0;
  for (uint32_t r = 0; r < w.population.size(); ++r) {
    day.clear();
    planner.plan_day(r, 0, day); // a Monday
    weekday_trips += static_cast<double>(day.size());
    for (std::size_t i = 0; i < day.size(); ++i) {
      const PlannedTrip& t = day[i];
      ASSERT_EQ(t.rider, r);
      ASSERT_EQ(t.depart.day(), 0);
      // A chain: each trip starts where the last one ended, the first one at home.
      ASSERT_EQ(t.from_zone, i == 0 ? w.population.home_zone(r) : day[i - 1].to_zone);
      if (i > 0) {
        ASSERT_GE(t.depart, day[i - 1].depart);
      }
      if (t.purpose == TripPurpose::kToWork) {
        EXPECT_EQ(t.to_zone, w.population.work_zone(r));
      }
      morning += hours(t.depart) >= 7 && hours(t.depart) < 9 ? 1 : 0;
      evening += hours(t.depart) >= 16.5 && hours(t.depart) < 19.5 ? 1 : 0;
    }
  }
  const double n = w.population.size();
  // Mean 2.2 a day; the per-rider sd is about 1.1, so 4 standard errors at n = 4,000 is 0.07.
  EXPECT_NEAR(weekday_trips / n, w.cfg.population.weekday_trips, 0.08);
  EXPECT_GT(morning / weekday_trips, 0.25);
  EXPECT_LT(morning / weekday_trips, 0.45);
  EXPECT_GT(evening / weekday_trips, 0.20);
}

TEST(Population, WeekendsHaveFewerTripsAroundMidday) {
  const World& w = small_world();
  const TripPlanner planner(w.cfg, w.city, w.paths, w.population);
  ASSERT_TRUE(is_weekend(w.cfg, 5));
  ASSERT_FALSE(is_weekend(w.cfg, 4));
  std::vector<PlannedTrip> trips;
  for (uint32_t r = 0; r < w.population.size(); ++r) {
    planner.plan_day(r, 5, trips);
  }
  const double n = w.population.size();
  EXPECT_NEAR(static_cast<double>(trips.size()) / n, w.cfg.population.weekend_trips, 0.08);
  double midday = 0;
  for (const PlannedTrip& t : trips) {
    EXPECT_NE(t.purpose, TripPurpose::kToWork);
    midday += hours(t.depart) >= 9 && hours(t.depart) < 18 ? 1 : 0;
  }
  EXPECT_GT(midday / static_cast<double>(trips.size()), 0.6);
}

TEST(Population, TablesCostAtMostEightBytesPerRider) {
  const World& w = small_world();
  // home and work zone (2 + 2), class, coverage class, flags (1 each): 7 bytes.
  EXPECT_LE(w.population.bytes(), 8U * w.population.size());
  EXPECT_GE(w.population.bytes(), 7U * w.population.size());
}

TEST(Population, PlannedTripsExpandIntoTapsInTimeOrder) {
  const World& w = small_world();
  const TripPlanner planner(w.cfg, w.city, w.paths, w.population);
  std::vector<PlannedTrip> trips;
  for (uint32_t r = 0; r < 500; ++r) {
    planner.plan_day(r, 0, trips);
  }
  std::vector<Ride> rides;
  std::vector<PlannedTap> taps;
  uint64_t with_taps = 0;
  for (const PlannedTrip& t : trips) {
    rides.clear();
    taps.clear();
    const Time arrive =
        expand_journey(w.city, w.paths, t.from_zone, t.to_zone, t.depart, rides, taps);
    ASSERT_GE(arrive, t.depart);
    for (std::size_t i = 1; i < taps.size(); ++i) {
      ASSERT_GE(taps[i].time, taps[i - 1].time);
    }
    with_taps += taps.empty() ? 0U : 1U;
  }
  EXPECT_GT(with_taps, trips.size() * 7 / 10);
}

TEST(Population, EveryoneLivesAndWorksWithinWalkingReachOfAStop) {
  const World& w = small_world();
  const uint32_t reach =
      w.city.walk_seconds(Point{0, 0}, Point{w.city.walk_rules().max_access_m, 0});
  uint32_t unserved_zones = 0;
  for (uint32_t z = 0; z < w.city.zone_count(); ++z) {
    unserved_zones += w.city.access_of(z).front().walk_s > reach ? 1U : 0U;
  }
  ASSERT_GT(unserved_zones, 0U) << "the test city has zones beyond walking reach";
  for (uint32_t r = 0; r < w.population.size(); ++r) {
    ASSERT_LE(w.city.access_of(w.population.home_zone(r)).front().walk_s, reach);
    ASSERT_LE(w.city.access_of(w.population.work_zone(r)).front().walk_s, reach);
  }
}

TEST(DayPlan, HoldsExactlyThePlannerTripsInTwelveBytesPerTripAndRider) {
  const World& w = small_world();
  const TripPlanner planner(w.cfg, w.city, w.paths, w.population);
  DayPlan plan;
  plan.plan(planner, w.population.size(), 3);
  std::vector<PlannedTrip> trips;
  uint32_t i = 0;
  for (uint32_t r = 0; r < w.population.size(); ++r) {
    trips.clear();
    planner.plan_day(r, 3, trips);
    ASSERT_EQ(plan.trips_of(r), trips.size());
    ASSERT_EQ(plan.first_trip(r), i);
    for (const PlannedTrip& t : trips) {
      ASSERT_EQ(plan.trip(r, i), t);
      ASSERT_EQ(plan.trip(i), t);
      ++i;
    }
  }
  EXPECT_EQ(plan.trip_count(), i);
  // 4 bytes a rider (first trip) + 8 a trip (departure second and purpose, two zones).
  EXPECT_LE(plan.bytes(), 4U * (plan.riders() + 1) + 8U * plan.trip_count());
}
