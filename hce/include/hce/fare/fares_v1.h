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
#include <unordered_map>
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
  //! A fare rule filed under its (origin_id, destination_id) zones, by its fare's price rank.
  struct RankedRule {
    uint32_t rank = 0; //!< position of the rule's fare in by_price_
    uint32_t rule = 0; //!< index into feed.fare_rules_v1
  };
  //! The cheapest fare that matches and allows `transfers_needed` transfers; kNone if none.
  uint32_t first_match(uint32_t origin, uint32_t destination, const uint32_t* routes,
                       size_t route_count, int32_t transfers_needed) const;
  //! first_match by trying every fare in price order (no fare_rules.txt, or too many zones).
  uint32_t first_match_by_scan(uint32_t origin, uint32_t destination, const uint32_t* routes,
                               size_t route_count, int32_t transfers_needed) const;
  bool allows(uint32_t fare, const uint32_t* routes, size_t route_count,
              int32_t transfers_needed) const;
  bool fare_matches(uint32_t fare, uint32_t origin, uint32_t destination, const uint32_t* routes,
                    size_t route_count) const;
  bool rule_matches(const FareRuleV1& r, uint32_t route, uint32_t origin,
                    uint32_t destination) const;
  bool has_zone(uint32_t stop, uint32_t zone) const;
  bool same_station(uint32_t a, uint32_t b) const;
  static uint64_t zone_pair(uint32_t origin_zone, uint32_t destination_zone) {
    return uint64_t{origin_zone} << 32 | destination_zone;
  }

  const GtfsFeed& feed_;
  std::vector<std::vector<uint32_t>> rules_by_fare_; //!< indices into feed.fare_rules_v1
  std::vector<std::vector<uint32_t>> zones_; //!< per stop: its zones (a station: platforms')
  std::vector<uint32_t> by_price_;           //!< fares, cheapest first
  // Rules by zone_pair(origin_id, destination_id) (kNone for an empty field), sorted by rank then
  // rule: a trip can only match rules filed under its stops' zones or kNone, so pricing reads
  // those few lists instead of every rule of every fare.
  std::unordered_map<uint64_t, std::vector<RankedRule>> rules_by_zones_;
};

} // namespace hcesim::fare
