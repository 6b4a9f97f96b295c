#pragma once
// A city built from a GTFS feed's stops, routes, trips and stop_times for one service date. Each
// route becomes one two-way route of City: its most frequent stop pattern that day (platforms
// merged into their stations), run times from that pattern's middle trip, and the mean headway of
// the pattern's trips over the day. Zones: a grid of at least 1 km over the stops.
#include "base/error.h"
#include "models/city/city.h"

#include <string>

namespace hcesim::models {

struct GtfsCityOptions {
  std::string folder;       //!< the feed's folder
  std::string service_date; //!< "YYYY-MM-DD"; empty: the feed's first day with service
  WalkRules walk;
};

//! Errors name the file (and line:column for a bad value): a missing folder or file, a bad field,
//! a date with no service, a feed with no usable route. Every trips.txt and stop_times.txt row is
//! checked, whatever its service: a trip's route_id and service_id must be defined and its id
//! unique; a stop time needs a known trip_id and stop_id, a non-negative integer stop_sequence
//! unique within its trip, times HH:MM:SS (hours may pass 24) or empty, and the header's number
//! of fields.
Result<City> build_gtfs_city(const GtfsCityOptions& options);

} // namespace hcesim::models
