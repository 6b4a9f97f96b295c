// Headways by time of day: vehicles leave every headway in the peaks, every off-peak × headway
// between them and every night × headway at night, on one grid of departures, so the bus
// rotation (ValidatorDirectory) still finds each departure's vehicle.
#include "models/city/city.h"
#include "models/validator/validator_directory.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

using namespace hcesim;
using namespace hcesim::models;

namespace {

City one_bus_route(HeadwayFactors f) {
  City c;
  const uint32_t a = c.add_stop("A", Point{0, 0}, Mode::kBus);
  const uint32_t b = c.add_stop("B", Point{600, 0}, Mode::kBus);
  const uint32_t d = c.add_stop("C", Point{1200, 0}, Mode::kBus);
  const std::array<uint32_t, 3> stops{a, b, d};
  const std::array<uint32_t, 2> metres{600, 600};
  const std::array<Duration, 2> run{Duration::minutes(2), Duration::minutes(2)};
  c.add_route("Bus 1", Mode::kBus, Duration::minutes(10), Duration::minutes(3), stops, metres, run);
  c.set_zone_grid(Point{-1000, -1000}, 1000, 4, 2);
  c.set_headway_factors(f);
  c.finish(WalkRules{});
  return c;
}

// Minutes between the departures from stop 0 after `from` (hours of day 0).
std::vector<int64_t> gaps(const City& c, int64_t from_h, int n) {
  std::vector<int64_t> out;
  Time t = Time::epoch() + Duration::hours(from_h);
  Time prev = c.next_departure(0, 0, 2, t);
  for (int i = 0; i < n; ++i) {
    const Time next = c.next_departure(0, 0, 2, prev + Duration::micros(1));
    out.push_back((next - prev) / Duration::minutes(1));
    prev = next;
  }
  return out;
}

} // namespace

TEST(Headways, VehiclesLeaveEveryHeadwayInThePeaksAndLessOftenOffPeakAndAtNight) {
  const City c = one_bus_route(HeadwayFactors{2, 3});
  EXPECT_EQ(gaps(c, 7, 4), (std::vector<int64_t>{10, 10, 10, 10}));
  EXPECT_EQ(gaps(c, 11, 4), (std::vector<int64_t>{20, 20, 20, 20}));
  EXPECT_EQ(gaps(c, 23, 4), (std::vector<int64_t>{30, 30, 30, 30}));
  // One headway all day when both factors are 1.
  const City flat = one_bus_route(HeadwayFactors{});
  EXPECT_EQ(gaps(flat, 23, 3), (std::vector<int64_t>{10, 10, 10}));
}

TEST(Headways, EveryDepartureStillHasItsBusInTheRotation) {
  const City c = one_bus_route(HeadwayFactors{2, 3});
  const ValidatorDirectory d(c);
  Time t = Time::epoch();
  for (int i = 0; i < 200; ++i) {
    const Time dep = c.next_departure(0, 1, 0, t); // inbound from the middle stop
    const uint32_t v = d.bus_reader(0, 1, 0, dep); // asserts the departure is on the grid
    EXPECT_EQ(d.kind(v), ValidatorKind::kBusReader);
    t = dep + Duration::micros(1);
  }
}
