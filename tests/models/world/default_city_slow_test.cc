// The default synthetic city at full size (4 lines, 300 bus routes, 30 km): every zone pair
// connected, symmetric costs, and Nanchang-like figures.
#include "models/city/path_table.h"
#include "models/city/synthetic_city.h"

#include <gtest/gtest.h>

using namespace hcesim;
using namespace hcesim::models;

TEST(DefaultCity, EveryZonePairIsConnectedWithSymmetricCosts) {
  const ScenarioConfig cfg; // the schema's defaults for the city
  const City c = build_synthetic_city(cfg);
  EXPECT_EQ(c.zone_count(), 30U * 30U);
  uint32_t metro_stations = 0;
  for (uint32_t s = 0; s < c.stop_count(); ++s) {
    metro_stations += c.stop_mode(s) == Mode::kMetro ? 1U : 0U;
  }
  // 24 + 3 × 25 stations less the interchanges: "several lines with ~100 stations".
  EXPECT_GE(metro_stations, 85U);
  EXPECT_LE(metro_stations, 99U);
  const PathTable p = PathTable::build(c);
  uint64_t legs = 0;
  for (uint32_t o = 0; o < p.zone_count(); ++o) {
    for (uint32_t d = 0; d < p.zone_count(); ++d) {
      ASSERT_TRUE(p.reachable(o, d)) << o << " -> " << d;
      ASSERT_EQ(p.cost_s(o, d), p.cost_s(d, o)) << o << " <-> " << d;
      legs += p.legs(o, d).size();
    }
  }
  const double pairs = static_cast<double>(p.zone_count()) * p.zone_count();
  EXPECT_LT(static_cast<double>(legs) / pairs, 4.0) << "rides per zone pair, corner to corner";
  EXPECT_LT(p.bytes(), 48U << 20);
}
