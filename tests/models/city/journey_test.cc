// Trips expanded into timed rides and taps.
#include "models/city/journey.h"

#include "../world_config.h"
#include "models/city/synthetic_city.h"

#include <gtest/gtest.h>

using namespace hcesim;
using namespace hcesim::models;

TEST(Journey, MetroRideTapsInAtTheFirstStationAndOutAtTheLast) {
  const City c = build_synthetic_city(world_test::small_world());
  const PathTable p = PathTable::build(c);
  // Zones at Line 1's two ends: the best path there rides Line 1 (perhaps with other legs).
  const uint32_t from = c.zone_of(c.stop_at(c.route_stop(0, 0)));
  const uint32_t to = c.zone_of(c.stop_at(c.route_stop(0, 23)));
  std::vector<Ride> rides;
  std::vector<PlannedTap> taps;
  const Time depart = Time::epoch() + Duration::hours(8);
  const Time arrive = expand_journey(c, p, from, to, depart, rides, taps);
  ASSERT_EQ(rides.size(), p.legs(from, to).size());
  ASSERT_FALSE(rides.empty());
  EXPECT_GT(arrive, rides.back().alight);
  Time last = depart;
  int entries = 0;
  int exits = 0;
  for (const PlannedTap& t : taps) {
    EXPECT_GE(t.time, last);
    last = t.time;
    entries += t.kind == TapKind::kEntry ? 1 : 0;
    exits += t.kind == TapKind::kExit ? 1 : 0;
    if (t.kind == TapKind::kEntry) {
      EXPECT_EQ(exits + 1, entries) << "entries and exits alternate";
    }
  }
  EXPECT_EQ(entries, exits);
  for (const Ride& r : rides) {
    EXPECT_EQ(r.alight - r.board, c.ride_time(r.route, r.board_position, r.alight_position));
    EXPECT_EQ(r.board, c.next_departure(r.route, r.board_position, r.alight_position, r.board));
  }
  // Door to door is close to the table's expected duration (waits differ from half a headway).
  EXPECT_NEAR((arrive - depart).to_seconds(), p.duration_s(from, to), 1800);
}

TEST(Journey, ChangingLinesAtASharedStationNeedsNoTaps) {
  City c;
  c.set_zone_grid(Point{0, 0}, 5000, 3, 1);
  const uint32_t a = c.add_stop("A", Point{2500, 2500}, Mode::kMetro);
  const uint32_t b = c.add_stop("B", Point{7500, 2500}, Mode::kMetro);
  const uint32_t d = c.add_stop("D", Point{12500, 2500}, Mode::kMetro);
  const std::vector<uint32_t> ab{a, b};
  const std::vector<uint32_t> bd{b, d};
  c.add_route("L1", Mode::kMetro, Duration::minutes(5), Duration::zero(), ab,
              std::vector<uint32_t>{5000}, std::vector<Duration>{Duration::minutes(6)});
  c.add_route("L2", Mode::kMetro, Duration::minutes(5), Duration::minutes(1), bd,
              std::vector<uint32_t>{5000}, std::vector<Duration>{Duration::minutes(6)});
  c.finish(WalkRules{});
  const PathTable p = PathTable::build(c);
  std::vector<Ride> rides;
  std::vector<PlannedTap> taps;
  const Time depart = Time::epoch() + Duration::hours(7) + Duration::seconds(10);
  expand_journey(c, p, 0, 2, depart, rides, taps);
  ASSERT_EQ(rides.size(), 2U);
  ASSERT_EQ(taps.size(), 2U);
  EXPECT_EQ(taps[0].kind, TapKind::kEntry);
  EXPECT_EQ(taps[0].stop, a);
  EXPECT_EQ(taps[0].time, depart);
  EXPECT_EQ(taps[1].kind, TapKind::kExit);
  EXPECT_EQ(taps[1].stop, d);
  EXPECT_EQ(taps[1].time, rides[1].alight + kPlatformToGate);
  // L1 leaves A at 07:05; arrives B 07:11; L2 leaves B at 07:11 (phase 1 min + 5 min steps).
  EXPECT_EQ(rides[0].board, Time::epoch() + Duration::hours(7) + Duration::minutes(5));
  EXPECT_EQ(rides[1].board, Time::epoch() + Duration::hours(7) + Duration::minutes(11));
}
