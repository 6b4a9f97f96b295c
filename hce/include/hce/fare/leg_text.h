#pragma once
// Legs written as text, as `hcesim fare` and tests take them: "route:from_stop:to_stop:HH:MM" or
// "route:from_stop:to_stop:HH:MM:HH:MM" (departure, arrival). The route may be a network id; a
// parent station stands for its platforms (FareEngine::platform_for).
#include "base/error.h"
#include "hce/fare/fare_engine.h"

#include <string_view>

namespace hcesim::fare {

//! Resolves string ids into a FareLeg; errors name the unknown id and what it should be.
//! `medium` and `category` may be empty (any medium, default category).
Result<FareLeg> make_leg(const FareEngine& engine, std::string_view route_or_network,
                         std::string_view from_stop, std::string_view to_stop, Time depart,
                         Time arrive, std::string_view medium, std::string_view category);

//! Parses "route:from:to:HH:MM[:HH:MM]" on service day `day`.
Result<FareLeg> parse_leg(const FareEngine& engine, std::string_view text, int64_t day,
                          std::string_view medium, std::string_view category);

} // namespace hcesim::fare
