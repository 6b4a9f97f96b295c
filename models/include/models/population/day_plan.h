#pragma once
// One day's planned trips of every rider as a table in rider order, 8 bytes a trip plus 4 a rider
// (an index of each rider's first trip), so a day of a million riders takes ~22 MB (a run holds
// two days) and only each rider's next trip is scheduled as an event. A trip is one packed row, not
// a field in each of four arrays: reading it is one cache miss, not four (a trip and each of its
// taps read it).
#include "models/population/trip_planner.h"

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace hcesim::models {

class DayPlan {
public:
  //! Plans `day` for riders 0..riders-1 (replacing what was held).
  void plan(const TripPlanner& planner, uint32_t riders, uint32_t day);

  uint32_t day() const { return day_; }
  uint32_t riders() const { return static_cast<uint32_t>(first_.size()) - 1; }
  uint32_t trip_count() const { return static_cast<uint32_t>(rows_.size()); }
  //! Rider r's trips are first_trip(r) .. first_trip(r) + trips_of(r) − 1, in departure order.
  uint32_t first_trip(uint32_t rider) const { return first_[rider]; }
  uint32_t trips_of(uint32_t rider) const { return first_[rider + 1] - first_[rider]; }
  //! The trip at table index i (the rider is found by a binary search).
  PlannedTrip trip(uint32_t i) const;
  //! The trip at table index i of a rider the caller knows.
  PlannedTrip trip(uint32_t rider, uint32_t i) const;
  //! Starts loading trip i's row (for prefetching; i past the table is ignored).
  void prefetch(uint32_t i) const {
    if (i < rows_.size()) {
      __builtin_prefetch(&rows_[i]);
    }
  }
  //! Trip i's zones (from, to) when i is in the table, read without the rest of the trip.
  std::optional<std::pair<uint16_t, uint16_t>> zones(uint32_t i) const {
    if (i >= rows_.size()) {
      return std::nullopt;
    }
    return std::pair{rows_[i].from_zone, rows_[i].to_zone};
  }
  //! Bytes held (capacity).
  std::size_t bytes() const;

private:
  //! Departures are under 2^24 s (194 days) after the day's midnight: the purpose takes the top
  //! byte.
  static constexpr uint32_t kDepartBits = 24;
  struct Row {
    uint32_t depart_and_purpose = 0; //!< purpose << kDepartBits | seconds after the day's midnight
    uint16_t from_zone = 0;
    uint16_t to_zone = 0;
  };
  static_assert(sizeof(Row) == 8);
  uint32_t day_ = 0;
  std::vector<uint32_t> first_{0}; // riders + 1
  std::vector<Row> rows_;
};

} // namespace hcesim::models
