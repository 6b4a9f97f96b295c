#include "models/population/poisson_taps.h"

#include "sim/random_stream.h"

#include <cassert>
#include <cmath>

namespace hcesim::models {
namespace {

// Trip chains key their stream (rider << 32 | day) with day < 2^31; this bit keeps the taps'
// stream apart.
constexpr uint64_t kPoissonTapsKey = uint64_t{1} << 31;

} // namespace

void plan_poisson_taps(const ScenarioConfig& cfg, const Population& population, uint32_t rider,
                       uint32_t day, std::vector<PlannedTrip>& out) {
  assert(day < kPoissonTapsKey);
  sim::RandomStream s(cfg.seed, sim::Purpose::kTrips,
                      (uint64_t{rider} << 32) | kPoissonTapsKey | day);
  const double mean_gap_s = 3600.0 / cfg.population.taps_per_hour;
  const Time midnight = Time::epoch() + Duration::days(day);
  const auto home = static_cast<uint16_t>(population.home_zone(rider));
  constexpr double kDay = 86'400.0;
  // Exponential gaps from midnight; the process restarts each day, which is still Poisson.
  double t = -mean_gap_s * std::log(s.next_open_double());
  while (t < kDay) {
    const auto whole = static_cast<int64_t>(std::floor(t));
    out.push_back(
        PlannedTrip{midnight + Duration::seconds(whole), rider, home, home, TripPurpose::kOther});
    t += -mean_gap_s * std::log(s.next_open_double());
  }
}

void expand_poisson_tap(const City& city, const PlannedTrip& trip, std::vector<Ride>& rides,
                        std::vector<PlannedTap>& taps) {
  const uint32_t routes = city.route_count();
  assert(routes > 0);
  uint32_t r = trip.rider % routes;
  for (uint32_t i = 0; i < routes && city.route(r).mode != Mode::kBus; ++i) {
    r = (r + 1) % routes;
  }
  assert(city.route(r).mode == Mode::kBus && "POISSON_TAPS needs a bus route");
  Ride ride;
  ride.route = r;
  ride.board_position = 0;
  ride.alight_position = 1;
  ride.board_stop = city.route_stop(r, 0);
  ride.alight_stop = city.route_stop(r, 1);
  ride.board = city.next_departure(r, 0, 1, trip.depart);
  ride.alight = ride.board + city.ride_time(r, 0, 1);
  rides.push_back(ride);
  taps.push_back(PlannedTap{trip.depart, ride.board_stop, r, TapKind::kBus});
}

} // namespace hcesim::models
