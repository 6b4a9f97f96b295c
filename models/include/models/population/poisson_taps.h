#pragma once
// The validity mode's tap model (population.trip_model POISSON_TAPS): each rider taps at a bus
// reader at the times of a Poisson process of constant rate taps_per_hour, independent of every
// other rider and of the day of week, so the refusal share can be checked against an exact
// Markov chain (models/validity/refusal_chain.h).
//
// Each tap is a one-tap "trip" in the DayPlan table, so it runs through CityRun's trip and tap
// path with the real wallet and validator. Day d of rider r comes from the rider's own
// Purpose::kTrips stream keyed (r, d) with a key bit trip chains never use: a pure function of
// (seed, r, d), unchanged by token, refill, network or cloud policies (common random numbers).
#include "models/city/city.h"
#include "models/city/journey.h"
#include "models/population/population.h"
#include "models/population/trip_planner.h"
#include "models/scenario/scenario_config.h"

#include <vector>

namespace hcesim::models {

//! Appends rider r's taps of `day` as PlannedTrips (depart = the tap time in whole seconds,
//! from_zone = to_zone = the home zone, purpose kOther), in time order. Superposed over days they
//! are a Poisson process of rate cfg.population.taps_per_hour (times rounded down to the second).
void plan_poisson_taps(const ScenarioConfig& cfg, const Population& population, uint32_t rider,
                       uint32_t day, std::vector<PlannedTrip>& out);

//! The one tap of a Poisson-tap trip: at trip.depart, boarding a bus route chosen by the rider id
//! (the bus of the route's next departure from its first stop). Appends one Ride and one kBus
//! PlannedTap (callers clear the vectors). The city must have a bus route (the loader checks).
void expand_poisson_tap(const City& city, const PlannedTrip& trip, std::vector<Ride>& rides,
                        std::vector<PlannedTap>& taps);

} // namespace hcesim::models
