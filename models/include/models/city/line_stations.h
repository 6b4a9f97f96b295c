#pragma once
// A metro line given as data: stations in line order with the distance from the previous one and
// a geographic position. Nanchang Line 1 (scenarios/cities/nanchang-line1.csv) is built in.
#include "base/error.h"

#include <string>
#include <string_view>
#include <vector>

namespace hcesim::models {

struct LineStation {
  std::string name;
  uint32_t metres_from_previous = 0; //!< 0 for the first station
  double lat = 0;                    //!< degrees
  double lon = 0;                    //!< degrees
};

//! Parses "seq,name,km_from_previous,lat,lon" rows (a header row, '#' comment lines). Errors name
//! `source`:line and the column.
Result<std::vector<LineStation>> parse_line_stations(std::string_view csv,
                                                     const std::string& source);

//! The text of scenarios/cities/nanchang-line1.csv, embedded at build time so a fresh clone runs
//! without outside data.
std::string_view nanchang_line1_csv();

} // namespace hcesim::models
