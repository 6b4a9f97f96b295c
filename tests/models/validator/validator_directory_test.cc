// Which validator each tap meets: gates per station, and buses that run a consistent rotation.
#include "models/validator/validator_directory.h"

#include "../world_config.h"
#include "models/city/synthetic_city.h"

#include <gtest/gtest.h>

#include <set>

using namespace hcesim;
using namespace hcesim::models;

namespace {

const City& city() {
  static const City c = build_synthetic_city(world_test::small_world());
  return c;
}

uint32_t first_bus_route(const City& c) {
  for (uint32_t r = 0; r < c.route_count(); ++r) {
    if (c.route(r).mode == Mode::kBus) {
      return r;
    }
  }
  return UINT32_MAX;
}

} // namespace

TEST(ValidatorDirectory, EveryStationHasItsGatesAndEveryBusItsReader) {
  const City& c = city();
  const ValidatorDirectory v(c, 3);
  uint32_t stations = 0;
  uint32_t buses = 0;
  for (uint32_t s = 0; s < c.stop_count(); ++s) {
    stations += c.stop_mode(s) == Mode::kMetro ? 1U : 0U;
  }
  for (uint32_t r = 0; r < c.route_count(); ++r) {
    buses += v.fleet(r);
    EXPECT_EQ(v.fleet(r) > 0, c.route(r).mode == Mode::kBus);
  }
  EXPECT_EQ(v.count(), 3 * stations + buses);
  const uint32_t s = c.route_stop(0, 5);
  std::set<uint32_t> gates;
  for (uint32_t rider = 0; rider < 30; ++rider) {
    const uint32_t g = v.station_gate(s, rider);
    EXPECT_EQ(v.kind(g), ValidatorKind::kStationGate);
    EXPECT_EQ(v.place(g), s);
    gates.insert(g);
  }
  EXPECT_EQ(gates.size(), 3U);
}

TEST(ValidatorDirectory, ABusComesBackAsTheSameVehicleAndSimultaneousBusesDiffer) {
  const City& c = city();
  const ValidatorDirectory v(c);
  const uint32_t r = first_bus_route(c);
  ASSERT_NE(r, UINT32_MAX);
  const Route& route = c.route(r);
  const uint32_t last = route.count - 1;
  const Duration one_way = c.route_time(r, last);
  // A bus leaving the first terminus at about 08:00…
  const Time out = c.next_departure(r, 0, last, Time::epoch() + Duration::hours(8));
  const uint32_t bus = v.bus_reader(r, 0, last, out);
  EXPECT_EQ(v.kind(bus), ValidatorKind::kBusReader);
  EXPECT_EQ(v.place(bus), r);
  // …is the same bus at a middle stop…
  EXPECT_EQ(v.bus_reader(r, 3, last, out + c.route_time(r, 3)), bus);
  // …leaves the far terminus on the first departure after its layover…
  const Time back = c.next_departure(r, last, 0, out + one_way + ValidatorDirectory::kLayover);
  // (both termini send buses at phase + k·headway).
  EXPECT_EQ(back, out + route.headway * (v.fleet(r) / 2));
  EXPECT_EQ(v.bus_reader(r, last, 0, back), bus);
  // …and leaves the first terminus again a fleet's worth of departures later.
  EXPECT_EQ(v.bus_reader(r, 0, last, out + route.headway * v.fleet(r)), bus);
  // The buses leaving either terminus within one trip's time are all different vehicles.
  std::set<uint32_t> on_road;
  for (uint32_t k = 0; k < v.fleet(r) / 2; ++k) {
    on_road.insert(v.bus_reader(r, 0, last, out + route.headway * k));
    on_road.insert(v.bus_reader(r, last, 0, out + route.headway * k));
  }
  EXPECT_EQ(on_road.size(), v.fleet(r));
}
