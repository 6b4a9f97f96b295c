#pragma once
// Which validator a tap meets: metro gates per station (a rider uses the same gate bank position
// at a station, spread by rider id) and one reader per bus. Buses run a fixed rotation: the vehicle
// leaving the first terminus on its k-th departure leaves the other terminus `turn` departures
// later, after a layover, and comes back `fleet = 2 × turn` departures later. Ids are dense: the
// gates of every metro station first, then each bus route's readers.
#include "models/city/city.h"

#include <cstdint>
#include <vector>

namespace hcesim::models {

enum class ValidatorKind : uint8_t { kStationGate, kBusReader };

class ValidatorDirectory {
public:
  //! Least time a bus waits at a terminus before turning back.
  static constexpr Duration kLayover = Duration::minutes(5);

  //! Keeps a reference to `city`, which must outlive the directory.
  explicit ValidatorDirectory(const City& city, uint32_t gates_per_station = 4);

  uint32_t count() const { return static_cast<uint32_t>(kind_.size()); }
  ValidatorKind kind(uint32_t v) const { return kind_[v]; }
  //! The stop of a station gate, or the route of a bus reader.
  uint32_t place(uint32_t v) const { return place_[v]; }

  //! The gate rider `rider` taps at metro station `stop` (entry or exit).
  uint32_t station_gate(uint32_t stop, uint32_t rider) const;
  //! The reader on the bus of route r leaving position `from` towards `to` at `departure` (a time
  //! City::next_departure gave).
  uint32_t bus_reader(uint32_t route, uint32_t from, uint32_t to, Time departure) const;
  //! Buses needed to run route r at its headway.
  uint32_t fleet(uint32_t route) const { return fleet_[route]; }

private:
  const City& city_;
  uint32_t gates_per_station_;
  std::vector<ValidatorKind> kind_;
  std::vector<uint32_t> place_;
  std::vector<uint32_t> first_gate_;   // per stop: its first gate, or UINT32_MAX for a bus stop
  std::vector<uint32_t> first_reader_; // per route: its first reader, or UINT32_MAX for metro
  std::vector<uint32_t> fleet_;        // per route (0 for metro)
};

} // namespace hcesim::models
