// The synthetic city: Nanchang Line 1 as published, generated lines and routes from the seed,
// zones with walking access, and determinism.
#include "models/city/synthetic_city.h"

#include "../world_config.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

using namespace hcesim;
using namespace hcesim::models;

namespace {

// Everything a run reads from a city, flattened so two cities compare with ==.
std::vector<int64_t> fingerprint(const City& c) {
  std::vector<int64_t> v;
  for (uint32_t s = 0; s < c.stop_count(); ++s) {
    v.insert(v.end(), {c.stop_at(s).x, c.stop_at(s).y, static_cast<int64_t>(c.stop_mode(s))});
  }
  for (uint32_t r = 0; r < c.route_count(); ++r) {
    v.insert(v.end(), {c.route(r).headway.us(), c.route(r).phase.us(), c.route(r).count});
    for (uint32_t p = 0; p < c.route(r).count; ++p) {
      v.insert(v.end(), {c.route_stop(r, p), c.route_time(r, p).us(), c.route_metres(r, p)});
    }
  }
  for (uint32_t z = 0; z < c.zone_count(); ++z) {
    for (const StopAccess& a : c.access_of(z)) {
      v.insert(v.end(), {z, a.stop, a.walk_s});
    }
  }
  return v;
}

} // namespace

TEST(SyntheticCity, LineOneIsNanchangLineOneWithItsPublishedDistances) {
  const City c = build_synthetic_city(world_test::small_world());
  const Route& l1 = c.route(0);
  EXPECT_EQ(l1.name, "Line 1");
  EXPECT_EQ(l1.mode, Mode::kMetro);
  ASSERT_EQ(l1.count, 24U);
  EXPECT_EQ(c.stop_name(c.route_stop(0, 0)), "双港");
  EXPECT_EQ(c.route_metres(0, 23), 28'400U);
  // 八一广场 is the city's origin; 瑶湖西 lies ~13 km east of it, 双港 ~7.6 km north.
  EXPECT_EQ(c.stop_at(c.route_stop(0, 12)), (Point{0, 0}));
  EXPECT_NEAR(c.stop_at(c.route_stop(0, 23)).x, 13'300, 300);
  EXPECT_NEAR(c.stop_at(c.route_stop(0, 0)).y, 7'600, 300);
  // End to end in under an hour, as the real line.
  EXPECT_GT(c.route_time(0, 23), Duration::minutes(40));
  EXPECT_LT(c.route_time(0, 23), Duration::minutes(60));
}

TEST(SyntheticCity, HasTheConfiguredLinesAndRoutesAndEveryLineMeetsAnother) {
  const auto cfg = world_test::small_world();
  const City c = build_synthetic_city(cfg);
  uint32_t metro = 0;
  uint32_t bus = 0;
  for (uint32_t r = 0; r < c.route_count(); ++r) {
    (c.route(r).mode == Mode::kMetro ? metro : bus) += 1;
    std::set<uint32_t> stops;
    for (uint32_t p = 0; p < c.route(r).count; ++p) {
      EXPECT_TRUE(stops.insert(c.route_stop(r, p)).second) << c.route(r).name << " calls twice";
      if (p > 0) {
        EXPECT_GT(c.route_time(r, p), c.route_time(r, p - 1));
      }
    }
  }
  EXPECT_EQ(metro, cfg.city.metro_lines);
  EXPECT_EQ(bus, cfg.city.bus_routes);
  for (uint32_t r = 1; r < cfg.city.metro_lines; ++r) {
    EXPECT_EQ(c.route(r).count, cfg.city.stations_per_line);
    bool interchange = false;
    for (uint32_t p = 0; p < c.route(r).count; ++p) {
      interchange |= c.calls_at(c.route_stop(r, p)).size() > 1;
    }
    EXPECT_TRUE(interchange) << c.route(r).name;
  }
}

TEST(SyntheticCity, EveryZoneReachesAStopOnFoot) {
  const City c = build_synthetic_city(world_test::small_world());
  EXPECT_GE(c.zone_side_m(), 1000);
  EXPECT_LE(c.zone_columns(), kMaxZonesPerSide);
  for (uint32_t z = 0; z < c.zone_count(); ++z) {
    const auto access = c.access_of(z);
    ASSERT_FALSE(access.empty()) << "zone " << z;
    for (std::size_t i = 1; i < access.size(); ++i) {
      EXPECT_LE(access[i - 1].walk_s, access[i].walk_s) << "nearest first";
    }
    EXPECT_EQ(c.zone_of(c.zone_centre(z)), z);
  }
}

TEST(SyntheticCity, SameSeedGivesTheSameCityAndAnotherSeedAnother) {
  const City a = build_synthetic_city(world_test::small_world(7));
  const City b = build_synthetic_city(world_test::small_world(7));
  const City c = build_synthetic_city(world_test::small_world(8));
  EXPECT_EQ(fingerprint(a), fingerprint(b));
  EXPECT_NE(fingerprint(a), fingerprint(c));
}

TEST(SyntheticCity, NextDepartureFollowsTheHeadwayFromEachTerminus) {
  const City c = build_synthetic_city(world_test::small_world());
  const Route& l1 = c.route(0);
  const Time t = Time::epoch() + Duration::hours(8);
  const Time dep = c.next_departure(0, 3, 10, t);
  EXPECT_GE(dep, t);
  EXPECT_LT(dep - t, l1.headway);
  EXPECT_EQ((dep.since_epoch() - l1.phase - c.route_time(0, 3)) % l1.headway, Duration::zero());
  const Time back = c.next_departure(0, 10, 3, t);
  EXPECT_EQ((back.since_epoch() - l1.phase - (c.route_time(0, 23) - c.route_time(0, 10))) %
                l1.headway,
            Duration::zero());
  EXPECT_EQ(c.next_departure(0, 3, 10, dep), dep);
  EXPECT_EQ(c.ride_time(0, 3, 10), c.ride_time(0, 10, 3));
}
