#include "models/population/day_plan.h"

#include <algorithm>
#include <cassert>
#include <stdexcept>

namespace hcesim::models {

void DayPlan::plan(const TripPlanner& planner, uint32_t riders, uint32_t day) {
  day_ = day;
  first_.assign(1, 0);
  first_.reserve(std::size_t{riders} + 1);
  rows_.clear();
  const Time midnight = Time::epoch() + Duration::days(day);
  std::vector<PlannedTrip> trips;
  for (uint32_t r = 0; r < riders; ++r) {
    trips.clear();
    planner.plan_day(r, day, trips);
    for (const PlannedTrip& t : trips) {
      const Duration since = t.depart - midnight;
      assert(since >= Duration::zero() && since % Duration::seconds(1) == Duration::zero());
      const auto seconds = static_cast<uint64_t>(since / Duration::seconds(1));
      if (seconds >= (uint64_t{1} << kDepartBits)) {
        throw std::logic_error("DayPlan: a trip departs 2^24 s or more after its day's midnight");
      }
      rows_.push_back(Row{static_cast<uint32_t>(seconds) | uint32_t{static_cast<uint8_t>(t.purpose)}
                                                               << kDepartBits,
                          t.from_zone, t.to_zone});
    }
    first_.push_back(static_cast<uint32_t>(rows_.size()));
  }
  rows_.shrink_to_fit();
}

PlannedTrip DayPlan::trip(uint32_t rider, uint32_t i) const {
  assert(i >= first_[rider] && i < first_[rider + 1]);
  const Row row = rows_[i];
  const uint32_t depart_s = row.depart_and_purpose & ((uint32_t{1} << kDepartBits) - 1);
  return PlannedTrip{Time::epoch() + Duration::days(day_) + Duration::seconds(depart_s), rider,
                     row.from_zone, row.to_zone,
                     static_cast<TripPurpose>(row.depart_and_purpose >> kDepartBits)};
}

PlannedTrip DayPlan::trip(uint32_t i) const {
  const auto it = std::upper_bound(first_.begin(), first_.end(), i);
  return trip(static_cast<uint32_t>(it - first_.begin() - 1), i);
}

std::size_t DayPlan::bytes() const {
  return first_.capacity() * sizeof(uint32_t) + rows_.capacity() * sizeof(Row);
}

} // namespace hcesim::models
