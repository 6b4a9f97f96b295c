#include "models/population/day_plan.h"

#include <algorithm>
#include <cassert>

namespace hcesim::models {

void DayPlan::plan(const TripPlanner& planner, uint32_t riders, uint32_t day) {
  day_ = day;
  first_.assign(1, 0);
  first_.reserve(std::size_t{riders} + 1);
  depart_s_.clear();
  from_zone_.clear();
  to_zone_.clear();
  purpose_.clear();
  const Time midnight = Time::epoch() + Duration::days(day);
  std::vector<PlannedTrip> trips;
  for (uint32_t r = 0; r < riders; ++r) {
    trips.clear();
    planner.plan_day(r, day, trips);
    for (const PlannedTrip& t : trips) {
      const Duration since = t.depart - midnight;
      assert(since >= Duration::zero() && since % Duration::seconds(1) == Duration::zero());
      depart_s_.push_back(static_cast<uint32_t>(since / Duration::seconds(1)));
      from_zone_.push_back(t.from_zone);
      to_zone_.push_back(t.to_zone);
      purpose_.push_back(t.purpose);
    }
    first_.push_back(static_cast<uint32_t>(depart_s_.size()));
  }
  depart_s_.shrink_to_fit();
  from_zone_.shrink_to_fit();
  to_zone_.shrink_to_fit();
  purpose_.shrink_to_fit();
}

PlannedTrip DayPlan::trip(uint32_t rider, uint32_t i) const {
  assert(i >= first_[rider] && i < first_[rider + 1]);
  return PlannedTrip{Time::epoch() + Duration::days(day_) + Duration::seconds(depart_s_[i]), rider,
                     from_zone_[i], to_zone_[i], purpose_[i]};
}

PlannedTrip DayPlan::trip(uint32_t i) const {
  const auto it = std::upper_bound(first_.begin(), first_.end(), i);
  return trip(static_cast<uint32_t>(it - first_.begin() - 1), i);
}

std::size_t DayPlan::bytes() const {
  return first_.capacity() * sizeof(uint32_t) + depart_s_.capacity() * sizeof(uint32_t) +
         (from_zone_.capacity() + to_zone_.capacity()) * sizeof(uint16_t) +
         purpose_.capacity() * sizeof(TripPurpose);
}

} // namespace hcesim::models
