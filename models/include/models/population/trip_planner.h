#pragma once
// Each rider's trips for one day, from the rider's own Purpose::kTrips stream keyed by (rider,
// day): day d of rider r is a pure function of (seed, r, d) and of the city and the population's
// zones and classes, never of token, top-up or network policies (common random numbers).
//
// Weekdays: a commute (home → work in the morning peak, work → home in the evening) on most days,
// plus Poisson extra trips chained after work or, on a day without the commute, from home around
// midday. Weekends: no commute, the extra trips only. The mean number of trips per day is the
// configured weekday_trips / weekend_trips × the rider class's trip_factor (trips that would leave
// after 23:45 are dropped, which takes a little off). With population.trip_model POISSON_TAPS the
// day is the validity mode's Poisson taps instead (poisson_taps.h).
#include "models/city/path_table.h"
#include "models/population/destination_choice.h"
#include "models/population/population.h"
#include "models/scenario/scenario_config.h"

#include <vector>

namespace hcesim::models {

enum class TripPurpose : uint8_t { kToWork, kToHome, kOther };

struct PlannedTrip {
  Time depart; //!< leaving the origin zone's centre (absolute: day × 24 h + time of day)
  uint32_t rider = 0;
  uint16_t from_zone = 0;
  uint16_t to_zone = 0;
  TripPurpose purpose = TripPurpose::kOther;
  bool operator==(const PlannedTrip&) const = default;
};

//! True for Saturday and Sunday; day 0 is the scenario's first_weekday.
bool is_weekend(const ScenarioConfig& cfg, uint32_t day);

class TripPlanner {
public:
  //! Keeps references: the objects must outlive the planner.
  TripPlanner(const ScenarioConfig& cfg, const City& city, const PathTable& paths,
              const Population& population);

  //! Appends rider r's trips of `day`, in departure order.
  void plan_day(uint32_t rider, uint32_t day, std::vector<PlannedTrip>& out) const;

  //! Share of weekday riders who commute on a day, from the mean trips (at most 0.85).
  static double commute_probability(double mean_trips);

private:
  const ScenarioConfig& cfg_;
  const PathTable& paths_;
  const Population& population_;
  DestinationChoice destinations_;
};

} // namespace hcesim::models
