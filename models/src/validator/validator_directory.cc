#include "models/validator/validator_directory.h"

#include <cassert>

namespace hcesim::models {

ValidatorDirectory::ValidatorDirectory(const City& city, uint32_t gates_per_station)
    : city_(city), gates_per_station_(gates_per_station),
      first_gate_(city.stop_count(), UINT32_MAX), first_reader_(city.route_count(), UINT32_MAX),
      fleet_(city.route_count(), 0) {
  assert(gates_per_station >= 1);
  for (uint32_t s = 0; s < city.stop_count(); ++s) {
    if (city.stop_mode(s) != Mode::kMetro) {
      continue;
    }
    first_gate_[s] = count();
    for (uint32_t g = 0; g < gates_per_station; ++g) {
      kind_.push_back(ValidatorKind::kStationGate);
      place_.push_back(s);
    }
  }
  for (uint32_t r = 0; r < city.route_count(); ++r) {
    const Route& route = city.route(r);
    if (route.mode != Mode::kBus) {
      continue;
    }
    // Departures from one terminus until the same bus leaves the other one.
    const Duration one_way = city.route_time(r, route.count - 1) + kLayover;
    const auto turn =
        static_cast<uint32_t>((one_way.us() + route.headway.us() - 1) / route.headway.us());
    fleet_[r] = 2 * turn;
    first_reader_[r] = count();
    for (uint32_t b = 0; b < fleet_[r]; ++b) {
      kind_.push_back(ValidatorKind::kBusReader);
      place_.push_back(r);
    }
  }
}

uint32_t ValidatorDirectory::station_gate(uint32_t stop, uint32_t rider) const {
  assert(first_gate_[stop] != UINT32_MAX);
  return first_gate_[stop] + rider % gates_per_station_;
}

uint32_t ValidatorDirectory::bus_reader(uint32_t route, uint32_t from, uint32_t to,
                                        Time departure) const {
  assert(first_reader_[route] != UINT32_MAX && from != to);
  const Route& r = city_.route(route);
  const bool outbound = from < to;
  const Duration offset =
      outbound ? city_.route_time(route, from)
               : city_.route_time(route, r.count - 1) - city_.route_time(route, from);
  // Departure number k from the terminus this bus left (terminus departures are phase + k·h).
  const int64_t since = (departure - offset).us() - r.phase.us();
  assert(since % r.headway.us() == 0);
  const int64_t k = since / r.headway.us();
  const auto fleet = static_cast<int64_t>(fleet_[route]);
  const int64_t turn = fleet / 2;
  const int64_t vehicle = ((outbound ? k : k - turn) % fleet + fleet) % fleet;
  return first_reader_[route] + static_cast<uint32_t>(vehicle);
}

} // namespace hcesim::models
