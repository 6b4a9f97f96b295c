#include "models/city/journey.h"

#include <cassert>

namespace hcesim::models {

Time expand_journey(const City& city, const PathTable& paths, uint32_t from, uint32_t to,
                    Time depart, std::vector<Ride>& rides, std::vector<PlannedTap>& taps) {
  const auto legs = paths.legs(from, to);
  Point here = city.zone_centre(from);
  Time t = depart;
  bool inside_metro = false; // between an entry and an exit tap
  uint32_t last_stop = 0;
  uint32_t last_route = 0;
  for (std::size_t i = 0; i < legs.size(); ++i) {
    const PathLeg& leg = legs[i];
    const uint32_t board_stop = city.route_stop(leg.route, leg.board);
    const uint32_t alight_stop = city.route_stop(leg.route, leg.alight);
    const bool metro = city.route(leg.route).mode == Mode::kMetro;
    if (inside_metro && !(metro && board_stop == last_stop)) {
      // Leaving the paid area to walk or change to a bus.
      t += kPlatformToGate;
      taps.push_back(PlannedTap{t, last_stop, last_route, TapKind::kExit});
      inside_metro = false;
    }
    t += Duration::seconds(city.walk_seconds(here, city.stop_at(board_stop)));
    if (metro && !inside_metro) {
      taps.push_back(PlannedTap{t, board_stop, leg.route, TapKind::kEntry});
      inside_metro = true;
    }
    const Time board = city.next_departure(leg.route, leg.board, leg.alight, t);
    if (!metro) {
      taps.push_back(PlannedTap{board, board_stop, leg.route, TapKind::kBus});
    }
    const Time alight = board + city.ride_time(leg.route, leg.board, leg.alight);
    rides.push_back(Ride{board, alight, board_stop, alight_stop, leg.route, leg.board, leg.alight});
    t = alight;
    here = city.stop_at(alight_stop);
    last_stop = alight_stop;
    last_route = leg.route;
  }
  if (inside_metro) {
    t += kPlatformToGate;
    taps.push_back(PlannedTap{t, last_stop, last_route, TapKind::kExit});
  }
  return t + Duration::seconds(city.walk_seconds(here, city.zone_centre(to)));
}

} // namespace hcesim::models
