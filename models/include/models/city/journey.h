#pragma once
// A planned trip turned into what happens on the network: the rides of its precomputed path timed
// by the timetable (walk, wait for the next vehicle, ride), and the taps they need (metro: entry
// and exit gates, none between lines at a shared station; bus: one tap on boarding).
#include "models/city/city.h"
#include "models/city/path_table.h"

#include <vector>

namespace hcesim::models {

enum class TapKind : uint8_t { kEntry, kExit, kBus };

struct Ride {
  Time board;
  Time alight;
  uint32_t board_stop = 0;
  uint32_t alight_stop = 0;
  uint32_t route = 0;
  uint16_t board_position = 0;
  uint16_t alight_position = 0;
};

struct PlannedTap {
  Time time;
  uint32_t stop = 0;
  uint32_t route = 0; //!< the route boarded (entry, bus) or left (exit)
  TapKind kind = TapKind::kBus;
};

//! Time from leaving a metro train to tapping out at the gate.
inline constexpr Duration kPlatformToGate = Duration::seconds(60);

//! Expands the trip from zone `from` to `to` leaving the zone centre at `depart`: appends its
//! rides and taps (callers clear the vectors) and returns the arrival time at `to`'s centre.
Time expand_journey(const City& city, const PathTable& paths, uint32_t from, uint32_t to,
                    Time depart, std::vector<Ride>& rides, std::vector<PlannedTap>& taps);

} // namespace hcesim::models
