#pragma once
// Calendar dates as whole days since 1970-01-01 (proleptic Gregorian), as GTFS calendars and the
// fare engine's service days need them; no time zones, no wall clock.
#include "base/error.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace hcesim::fare {

//! Days since 1970-01-01 for a civil date.
int32_t days_from_civil(int32_t year, uint32_t month, uint32_t day);
//! 0 = Monday … 6 = Sunday.
int weekday(int32_t days);
//! Parses GTFS "YYYYMMDD" or ISO "YYYY-MM-DD"; errors name the text.
Result<int32_t> parse_date(std::string_view text);
//! "YYYY-MM-DD".
std::string format_date(int32_t days);

} // namespace hcesim::fare
