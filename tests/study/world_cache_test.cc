// Runs with equal world inputs share one World; a World nobody holds is dropped when the next
// one is built; the key sees the seed and the city but not the token policy.
#include "study/world_cache.h"

#include <gtest/gtest.h>

namespace hcesim::study {
namespace {

models::ScenarioConfig small(uint64_t seed) {
  models::ScenarioConfig cfg;
  cfg.seed = seed;
  cfg.city.metro_lines = 2;
  cfg.city.stations_per_line = 6;
  cfg.city.bus_routes = 4;
  cfg.city.stops_per_bus_route = 5;
  cfg.city.size_km = 5;
  cfg.population.riders = 50;
  cfg.population.classes = {models::RiderClassConfig{"regular", 1.0, 1.0, 1.0}};
  cfg.network.coverage = {models::CoverageClassConfig{"good", 1.0, 1.0}};
  const Currency cny = Currency::from_code("CNY").value();
  cfg.population.initial_balance = Money(2000, cny);
  cfg.city.currency = cny;
  cfg.city.bus_fare = Money(200, cny);
  cfg.city.transfer_discount = Money(100, cny);
  cfg.city.transfer_window = Duration::minutes(90);
  cfg.city.metro_fare_rules = HCESIM_SOURCE_DIR "/scenarios/fares/nanchang.txtpb";
  return cfg;
}

TEST(WorldKey, SeesTheSeedAndTheCityButNotTheTokenPolicy) {
  proto::Scenario a;
  a.mutable_city()->mutable_synthetic()->set_metro_lines(2);
  proto::Scenario b = a;
  b.mutable_token_policy()->set_offline_limit(9);
  EXPECT_EQ(world_key(a, 1, "x"), world_key(b, 1, "x"));
  EXPECT_NE(world_key(a, 1, "x"), world_key(a, 2, "x"));
  proto::Scenario c = a;
  c.mutable_city()->mutable_synthetic()->set_metro_lines(3);
  EXPECT_NE(world_key(a, 1, "x"), world_key(c, 1, "x"));
}

TEST(WorldCache, EqualKeysShareOneWorldAndUnusedWorldsAreDropped) {
  WorldCache cache;
  auto first = cache.acquire("k1", small(1));
  auto again = cache.acquire("k1", small(1));
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(first->get(), again->get());
  EXPECT_EQ(cache.built(), 1U);
  first = Error{};
  again = Error{};
  auto second = cache.acquire("k2", small(2));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(cache.built(), 2U);
  EXPECT_EQ(cache.size(), 1U); // k1 was held by nobody
  auto held = cache.acquire("k3", small(3));
  EXPECT_EQ(cache.size(), 2U); // k2 is still held
}

} // namespace
} // namespace hcesim::study
