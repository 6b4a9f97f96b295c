#pragma once
// The transit network of a simulated city: stops and stations on a plane (metres), metro lines and
// bus routes with run times and headways, and a grid of zones with walking access to nearby stops.
// Tables addressed by dense integer ids; built once at set-up, read-only during a run.
#include "base/time.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace hcesim::models {

enum class Mode : uint8_t { kMetro, kBus };

//! A position on the city's plane, metres east (x) and north (y) of its origin.
struct Point {
  int32_t x = 0;
  int32_t y = 0;
  bool operator==(const Point&) const = default;
};

//! How people walk and how they weigh a journey's parts (generalised cost, in seconds).
struct WalkRules {
  double speed_m_per_s = 1.2;     //!< walking speed
  double detour_factor = 1.3;     //!< walked distance / straight-line distance
  int32_t max_access_m = 900;     //!< a zone reaches stops within this straight-line distance
  uint32_t max_access_stops = 12; //!< nearest stops kept per zone (all metro stations in range)
  int32_t max_transfer_m = 650;   //!< walking transfers between stops within this distance
  int64_t walk_weight_pct = 150;  //!< a minute walked feels like 1.5 minutes in a vehicle
  int64_t wait_weight_pct = 150;  //!< the same for waiting (waits are headway / 2)
  Duration transfer_penalty = Duration::minutes(5); //!< per boarding after the first
};

//! How service thins out of the peaks: a route's headway is its peak headway (07:00–09:00 and
//! 17:00–19:00); off-peak vehicles leave every off_peak × headway and at night (22:00–06:00) every
//! night × headway, on the same grid of departures (so the bus rotation holds). 1 and 1: one
//! headway all day.
struct HeadwayFactors {
  uint32_t off_peak = 1;
  uint32_t night = 1;
  //! The factor for a departure at time of day `t`.
  uint32_t at(Duration t) const;
};

//! A metro line or bus route, served in both directions; headway by time of day (HeadwayFactors).
struct Route {
  std::string name;
  Mode mode = Mode::kBus;
  Duration headway;
  Duration phase;     //!< first departure of the day from either terminus, in [0, headway)
  uint32_t first = 0; //!< index of its first stop in the route-stop tables
  uint32_t count = 0; //!< stops on the route (>= 2)
};

//! A stop reached on foot from a zone or from another stop.
struct StopAccess {
  uint32_t stop = 0;
  uint32_t walk_s = 0; //!< walking time in seconds (not weighted)
};

//! One place where a route calls: the route and the stop's position along it.
struct RouteCall {
  uint32_t route = 0;
  uint32_t position = 0;
};

class City {
public:
  // --- building (a generator or a feed loader calls these, then finish()) ---
  uint32_t add_stop(std::string name, Point at, Mode mode);
  //! A route through `stops` (>= 2, no stop twice); `metres` and `run` hold, for each stop after
  //! the first, the track distance and run time from the previous stop.
  uint32_t add_route(std::string name, Mode mode, Duration headway, Duration phase,
                     std::span<const uint32_t> stops, std::span<const uint32_t> metres,
                     std::span<const Duration> run);
  //! Thins service off the peaks (default: one headway all day).
  void set_headway_factors(HeadwayFactors f) { headway_factors_ = f; }
  //! Zones: an nx × ny grid of squares of `side_m` metres whose lower-left corner is `origin`.
  void set_zone_grid(Point origin, int32_t side_m, uint32_t nx, uint32_t ny);
  //! The source feed's stop_id / route_id of a stop or route (a city from GTFS), for its fares.
  void set_feed_ids(uint32_t stop_or_route, bool route, std::string id);
  //! Builds the lookups (route calls per stop, zone access, walking transfers).
  void finish(const WalkRules& rules);

  // --- stops ---
  uint32_t stop_count() const { return static_cast<uint32_t>(stop_at_.size()); }
  Point stop_at(uint32_t s) const { return stop_at_[s]; }
  Mode stop_mode(uint32_t s) const { return stop_mode_[s]; }
  const std::string& stop_name(uint32_t s) const { return stop_name_[s]; }
  std::span<const RouteCall> calls_at(uint32_t s) const;
  //! The feed's stop_id ("" for a synthetic city).
  const std::string& stop_feed_id(uint32_t s) const;
  std::span<const StopAccess> transfers_from(uint32_t s) const;

  // --- routes ---
  uint32_t route_count() const { return static_cast<uint32_t>(routes_.size()); }
  const Route& route(uint32_t r) const { return routes_[r]; }
  //! The feed's route_id ("" for a synthetic city).
  const std::string& route_feed_id(uint32_t r) const;
  uint32_t route_stop(uint32_t r, uint32_t pos) const { return call_stop_[routes_[r].first + pos]; }
  //! Run time from the route's first stop to stop `pos`.
  Duration route_time(uint32_t r, uint32_t pos) const { return call_time_[routes_[r].first + pos]; }
  //! Route r's stops and run times by position (route_stop and route_time of every position).
  std::span<const uint32_t> route_stops(uint32_t r) const {
    return {call_stop_.data() + routes_[r].first, routes_[r].count};
  }
  std::span<const Duration> route_times(uint32_t r) const {
    return {call_time_.data() + routes_[r].first, routes_[r].count};
  }
  //! Track distance in metres from the route's first stop to stop `pos`.
  uint32_t route_metres(uint32_t r, uint32_t pos) const {
    return call_metres_[routes_[r].first + pos];
  }
  //! The first departure at or after `t` of a vehicle of route r leaving position `from` towards
  //! position `to` (vehicles leave each terminus at phase + k·headway, every day; off the peaks
  //! only departures with k a multiple of the period's factor run).
  Time next_departure(uint32_t r, uint32_t from, uint32_t to, Time t) const;
  //! In-vehicle time riding route r from position `from` to `to` (either direction).
  Duration ride_time(uint32_t r, uint32_t from, uint32_t to) const;

  // --- zones ---
  uint32_t zone_count() const { return zone_nx_ * zone_ny_; }
  uint32_t zone_columns() const { return zone_nx_; }
  uint32_t zone_rows() const { return zone_ny_; }
  int32_t zone_side_m() const { return zone_side_m_; }
  Point zone_centre(uint32_t z) const;
  //! The zone containing `p`, clamped to the grid.
  uint32_t zone_of(Point p) const;
  //! Stops reachable on foot from the zone's centre, nearest first.
  std::span<const StopAccess> access_of(uint32_t z) const;

  // --- walking ---
  const WalkRules& walk_rules() const { return rules_; }
  const HeadwayFactors& headway_factors() const { return headway_factors_; }
  //! Walking time in whole seconds between two points.
  uint32_t walk_seconds(Point a, Point b) const;

  //! Bytes held by the city's tables (capacity), for the memory report.
  std::size_t bytes() const;

private:
  std::vector<Point> stop_at_;
  std::vector<Mode> stop_mode_;
  std::vector<std::string> stop_name_;
  std::vector<Route> routes_;
  std::vector<std::string> stop_feed_id_;  // empty, or per stop
  std::vector<std::string> route_feed_id_; // empty, or per route
  std::vector<uint32_t> call_stop_;        // route-stop tables, routes_[r].first.. +count
  std::vector<Duration> call_time_;        // cumulative run time
  std::vector<uint32_t> call_metres_;      // cumulative track distance
  std::vector<uint32_t> calls_first_;      // per stop, CSR into calls_
  std::vector<RouteCall> calls_;
  std::vector<uint32_t> transfer_first_; // per stop, CSR into transfers_
  std::vector<StopAccess> transfers_;
  std::vector<uint32_t> access_first_; // per zone, CSR into access_
  std::vector<StopAccess> access_;
  Point zone_origin_;
  int32_t zone_side_m_ = 1000;
  uint32_t zone_nx_ = 0;
  uint32_t zone_ny_ = 0;
  WalkRules rules_;
  HeadwayFactors headway_factors_;
};

} // namespace hcesim::models
