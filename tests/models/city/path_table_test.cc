// Zone-to-zone paths: least generalised cost on hand-made networks, and sanity on the synthetic
// city (every pair reachable, costs symmetric on a symmetric network, legs well formed).
#include "models/city/path_table.h"

#include "../world_config.h"
#include "models/city/synthetic_city.h"

#include <gtest/gtest.h>

using namespace hcesim;
using namespace hcesim::models;

namespace {

// Three 5 km zones in a row with a stop at each centre: A, B, C (too far apart to walk).
City three_stop_city(bool with_metro, bool split_bus) {
  City c;
  c.set_zone_grid(Point{0, 0}, 5000, 3, 1);
  const uint32_t a = c.add_stop("A", Point{2500, 2500}, Mode::kBus);
  const uint32_t b = c.add_stop("B", Point{7500, 2500}, Mode::kBus);
  const uint32_t s = c.add_stop("C", Point{12500, 2500}, Mode::kBus);
  const Duration five = Duration::minutes(5);
  const Duration ten = Duration::minutes(10);
  if (split_bus) {
    const std::vector<uint32_t> ab{a, b};
    const std::vector<uint32_t> bc{b, s};
    c.add_route("AB", Mode::kBus, ten, Duration::zero(), ab, std::vector<uint32_t>{5000},
                std::vector<Duration>{five});
    c.add_route("BC", Mode::kBus, ten, Duration::zero(), bc, std::vector<uint32_t>{5000},
                std::vector<Duration>{five});
  } else {
    const std::vector<uint32_t> abc{a, b, s};
    c.add_route("ABC", Mode::kBus, ten, Duration::zero(), abc, std::vector<uint32_t>{5000, 5000},
                std::vector<Duration>{five, five});
  }
  if (with_metro) {
    const std::vector<uint32_t> ac{a, s};
    c.add_route("M", Mode::kMetro, Duration::minutes(4), Duration::zero(), ac,
                std::vector<uint32_t>{10000}, std::vector<Duration>{Duration::minutes(6)});
  }
  c.finish(WalkRules{});
  return c;
}

} // namespace

TEST(PathTable, ChoosesTheLeastGeneralisedCostRide) {
  const City c = three_stop_city(true, false);
  const PathTable p = PathTable::build(c);
  // Bus A→C: wait 5 min × 1.5 + 10 min ride = 1050 s; metro: 2 min × 1.5 + 6 min = 540 s.
  ASSERT_EQ(p.legs(0, 2).size(), 1U);
  EXPECT_EQ(p.legs(0, 2)[0], (PathLeg{1, 0, 1}));
  EXPECT_EQ(p.cost_s(0, 2), 540U);
  EXPECT_EQ(p.duration_s(0, 2), 120U + 360U);
  ASSERT_EQ(p.legs(2, 1).size(), 1U);
  EXPECT_EQ(p.legs(2, 1)[0], (PathLeg{0, 2, 1}));
  EXPECT_EQ(p.cost_s(0, 1), 450U + 300U);
  EXPECT_TRUE(p.legs(1, 1).empty());
  EXPECT_EQ(p.cost_s(1, 1), 0U);
}

TEST(PathTable, PaysTheTransferPenaltyOnceForEachBoardingAfterTheFirst) {
  const City c = three_stop_city(false, true);
  const PathTable p = PathTable::build(c);
  ASSERT_EQ(p.legs(0, 2).size(), 2U);
  EXPECT_EQ(p.legs(0, 2)[0], (PathLeg{0, 0, 1}));
  EXPECT_EQ(p.legs(0, 2)[1], (PathLeg{1, 0, 1}));
  EXPECT_EQ(p.cost_s(0, 2), 2 * (450U + 300U) + 300U);
  EXPECT_EQ(p.duration_s(0, 2), 2 * (300U + 300U));
}

TEST(PathTable, UnconnectedZonesAreUnreachable) {
  City c;
  c.set_zone_grid(Point{0, 0}, 5000, 2, 1);
  c.add_stop("A", Point{2500, 2500}, Mode::kBus);
  c.add_stop("B", Point{7500, 2500}, Mode::kBus);
  c.finish(WalkRules{});
  const PathTable p = PathTable::build(c);
  EXPECT_FALSE(p.reachable(0, 1));
  EXPECT_TRUE(p.reachable(1, 1));
}

// The small synthetic city and its paths, built once for the tests below.
const City& small_city() {
  static const City c = build_synthetic_city(world_test::small_world());
  return c;
}
const PathTable& small_paths() {
  static const PathTable p = PathTable::build(small_city());
  return p;
}

TEST(PathTable, SyntheticCityConnectsEveryZonePairWithSymmetricCosts) {
  const City& c = small_city();
  const PathTable& p = small_paths();
  ASSERT_EQ(p.zone_count(), c.zone_count());
  uint64_t transit = 0;
  uint64_t legs_total = 0;
  for (uint32_t o = 0; o < p.zone_count(); ++o) {
    for (uint32_t d = 0; d < p.zone_count(); ++d) {
      ASSERT_TRUE(p.reachable(o, d)) << o << " -> " << d;
      // Every route runs both ways with the same times and headway, walks are symmetric.
      ASSERT_EQ(p.cost_s(o, d), p.cost_s(d, o)) << o << " <-> " << d;
      ASSERT_LE(p.duration_s(o, d), p.cost_s(o, d)) << "weights and penalties only add";
      const auto legs = p.legs(o, d);
      transit += legs.empty() ? 0U : 1U;
      legs_total += legs.size();
      for (const PathLeg& leg : legs) {
        ASSERT_LT(leg.route, c.route_count());
        EXPECT_NE(leg.board, leg.alight);
        EXPECT_LT(leg.board, c.route(leg.route).count);
        EXPECT_LT(leg.alight, c.route(leg.route).count);
      }
      for (std::size_t i = 1; i < legs.size(); ++i) {
        EXPECT_FALSE(legs[i].route == legs[i - 1].route) << "never re-boards the same route";
      }
    }
  }
  // Zones more than a few km apart need a ride: most pairs use transit.
  EXPECT_GT(transit, uint64_t{p.zone_count()} * p.zone_count() * 8U / 10U);
  // A sparse test city (40 bus routes over ~220 km²) needs a few rides per trip, not a dozen.
  EXPECT_LT(static_cast<double>(legs_total) / static_cast<double>(transit), 5.0);
}

TEST(PathTable, SameCityGivesTheSamePaths) {
  const City& c = small_city();
  const PathTable& a = small_paths();
  const PathTable b = PathTable::build(c);
  for (uint32_t o = 0; o < a.zone_count(); ++o) {
    for (uint32_t d = 0; d < a.zone_count(); ++d) {
      ASSERT_EQ(a.cost_s(o, d), b.cost_s(o, d));
      ASSERT_TRUE(std::ranges::equal(a.legs(o, d), b.legs(o, d)));
    }
  }
}
