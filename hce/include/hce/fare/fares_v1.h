#pragma once
// FaresV1: GTFS Fares v1 pricing (fare_attributes + fare_rules) over a loaded GtfsFeed, leg after
// leg. Exact rules:
// - A fare matches a trip when, for every route ridden, one of its fare_rules rows has route_id
//   empty or equal, origin_id empty or the first stop's zone, destination_id empty or the last
//   stop's zone, contains_id empty or a zone of a stop of the trip (legs carry no intermediate
//   stops, so contains_id sees only the taps' zones). A fare with an agency_id covers only that
//   agency's routes. Without fare_rules.txt every fare matches. The cheapest matching fare is used.
// - A station stands for its platforms: its zones are its own and its platforms'.
// - Transfers: the next leg continues the current fare (priced as one trip from the first origin
//   to the new destination over all routes ridden) when the fare allows one more transfer
//   (`transfers` empty = unlimited) and either the leg departs within transfer_duration of the
//   first departure or, when transfer_duration is empty, the leg starts at the station where the
//   last one ended. It pays the difference from what the trip has cost so far, never below zero;
//   when a new fare is cheaper, a new fare is bought.
#include "hce/fare/fare_leg.h"
#include "hce/fare/gtfs_feed.h"

#include <array>
#include <vector>

namespace hcesim::fare {

struct V1State {
  static constexpr size_t kMaxRoutes = 8;
  bool open = false;
  uint32_t fare = kNone;
  uint32_t origin = kNone;
  uint32_t last_to_stop = kNone;
  Time first_depart;
  int32_t transfers = 0;
  int64_t charged = 0;
  uint8_t route_count = 0;
  std::array<uint32_t, kMaxRoutes> routes{};
};

class FaresV1 {
public:
  explicit FaresV1(const GtfsFeed& feed);
  LegPrice price_next(V1State& state, const FareLeg& leg) const;
  //! The cheapest fare for a trip from `origin` to `destination` over `routes`; kNone if none.
  uint32_t cheapest(uint32_t origin, uint32_t destination, const uint32_t* routes,
                    size_t route_count) const;

private:
  bool fare_matches(uint32_t fare, uint32_t origin, uint32_t destination, const uint32_t* routes,
                    size_t route_count) const;
  bool has_zone(uint32_t stop, uint32_t zone) const;
  bool same_station(uint32_t a, uint32_t b) const;

  const GtfsFeed& feed_;
  std::vector<std::vector<uint32_t>> rules_by_fare_; //!< indices into feed.fare_rules_v1
  std::vector<std::vector<uint32_t>> zones_; //!< per stop: its zones (a station: platforms')
  std::vector<uint32_t> by_price_;           //!< fares, cheapest first
};

} // namespace hcesim::fare
