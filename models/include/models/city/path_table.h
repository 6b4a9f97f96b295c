#pragma once
// Paths between every pair of zones, computed once at set-up by least generalised cost (walks,
// waits of half a headway, in-vehicle time, a transfer penalty; weights in WalkRules), never per
// trip. A path is a short list of legs; walks between legs are implied by their stops.
#include "models/city/city.h"

#include <cstdint>
#include <span>
#include <vector>

namespace hcesim::models {

//! One ride: a route boarded at one of its positions and left at another (either direction).
struct PathLeg {
  uint16_t route = 0;
  uint16_t board = 0;  //!< position along the route
  uint16_t alight = 0; //!< position along the route
  bool operator==(const PathLeg&) const = default;
};

class PathTable {
public:
  static constexpr uint32_t kUnreachable = UINT32_MAX;
  //! Walk-only trips are considered up to this straight-line distance between zone centres.
  static constexpr int32_t kMaxWalkOnlyM = 3000;

  //! One least-cost search per origin zone. Needs < 65536 routes and stops per route.
  static PathTable build(const City& city);

  uint32_t zone_count() const { return zones_; }
  //! The rides from zone `from` to zone `to`, in order; empty for a walk-only trip.
  std::span<const PathLeg> legs(uint32_t from, uint32_t to) const {
    const std::size_t i = index(from, to);
    return {legs_.data() + first_[i], first_[i + 1] - first_[i]};
  }
  //! Prefetching a trip's path (CityRun::prefetch): where its legs are, then the legs.
  void prefetch_offsets(uint32_t from, uint32_t to) const {
    __builtin_prefetch(first_.data() + index(from, to));
  }
  void prefetch_legs(uint32_t from, uint32_t to) const {
    __builtin_prefetch(legs_.data() + first_[index(from, to)]);
  }
  //! Generalised cost in seconds, or kUnreachable.
  uint32_t cost_s(uint32_t from, uint32_t to) const { return cost_[index(from, to)]; }
  //! Expected door-to-door time in seconds (walks, mean waits, rides), or kUnreachable.
  uint32_t duration_s(uint32_t from, uint32_t to) const { return duration_[index(from, to)]; }
  bool reachable(uint32_t from, uint32_t to) const { return cost_s(from, to) != kUnreachable; }
  //! Bytes held (capacity of every table).
  std::size_t bytes() const;

private:
  std::size_t index(uint32_t from, uint32_t to) const {
    return static_cast<std::size_t>(from) * zones_ + to;
  }
  uint32_t zones_ = 0;
  std::vector<uint32_t> cost_;
  std::vector<uint32_t> duration_;
  std::vector<uint32_t> first_; // zones² + 1 offsets into legs_
  std::vector<PathLeg> legs_;
};

} // namespace hcesim::models
