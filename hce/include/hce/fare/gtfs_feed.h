#pragma once
// GtfsFeed: the parts of a GTFS Schedule feed that pricing needs (agency, routes with networks,
// stops with stations and platforms, calendars, Fares v1 and v2), with every id interned as a dense
// index. load_gtfs reads a folder, validating each field; see docs in the .cc for the exact rules.
#include "base/error.h"
#include "base/money.h"
#include "base/time.h"
#include "hce/fare/id_table.h"

#include <cstdint>
#include <filesystem>
#include <vector>

namespace hcesim::fare {

struct GtfsStop {
  uint32_t parent = kNone;   //!< parent station, for platforms and entrances
  uint32_t zone = kNone;     //!< Fares v1 zone_id
  uint8_t location_type = 0; //!< 0 platform/stop, 1 station, 2 entrance, …
  std::vector<uint32_t> children;
};

struct GtfsRoute {
  uint32_t agency = kNone;
  uint32_t network = kNone; //!< routes.network_id or route_networks.txt
};

//! A service_id: weekly pattern over a date range plus single-day exceptions.
struct ServiceCalendar {
  uint8_t weekdays = 0; //!< bit 0 = Monday … bit 6 = Sunday
  int32_t start_day = 0;
  int32_t end_day = -1;
  std::vector<std::pair<int32_t, bool>> exceptions; //!< (day, added) sorted by day
  bool active(int32_t day) const;
};

struct Timeframe {
  uint32_t group = kNone;
  Duration start; //!< inclusive time of day
  Duration end;   //!< exclusive; 24h when empty
  uint32_t service = kNone;
};

//! One row of fare_products.txt: a product's price on one medium for one rider category.
struct FareOffer {
  uint32_t product = kNone;
  uint32_t medium = kNone;   //!< kNone: not tied to a medium
  uint32_t category = kNone; //!< kNone: every rider category
  Money amount;
};

struct FareLegRule {
  uint32_t leg_group = kNone;
  uint32_t network = kNone;
  uint32_t from_area = kNone;
  uint32_t to_area = kNone;
  uint32_t from_timeframe = kNone; //!< a timeframe group
  uint32_t to_timeframe = kNone;
  uint32_t product = kNone;
  int32_t priority = 0;
  bool transfer_only =
      false; //!< MBTA extension column: the rule prices only a leg reached by transfer
};

struct FareTransferRule {
  uint32_t from_group = kNone;
  uint32_t to_group = kNone;
  int32_t transfer_count = 0;    //!< -1 unlimited; 0 when empty (from and to groups differ)
  int64_t duration_limit_s = -1; //!< -1: no limit
  uint8_t duration_limit_type = 0;
  uint8_t fare_transfer_type = 0;  //!< 0 A+AB, 1 A+AB+B, 2 AB
  uint32_t product = kNone;        //!< the transfer's own cost; kNone = free
  uint32_t filter_product = kNone; //!< MBTA extension: the earlier leg's product must be this one
};

struct FareLegJoinRule {
  uint32_t from_network = kNone;
  uint32_t to_network = kNone;
  uint32_t from_stop = kNone; //!< where the earlier leg ends (a stop or its station)
  uint32_t to_stop = kNone;   //!< where the later leg starts
};

//! Fares v1: fare_attributes.txt.
struct FareAttribute {
  Money price;
  int32_t transfers = -1;           //!< -1: unlimited (empty field)
  int64_t transfer_duration_s = -1; //!< -1: empty
  uint32_t agency = kNone;
  uint8_t payment_method = 0;
};

//! Fares v1: fare_rules.txt.
struct FareRuleV1 {
  uint32_t fare = kNone;
  uint32_t route = kNone;
  uint32_t origin = kNone; //!< zones
  uint32_t destination = kNone;
  uint32_t contains = kNone;
};

struct GtfsFeed {
  IdTable agencies, routes, stops, zones, networks, areas, services, media, categories, products,
      leg_groups, timeframe_groups, fares_v1;
  std::vector<GtfsRoute> route;
  std::vector<GtfsStop> stop;
  std::vector<std::vector<uint32_t>> stop_areas;  //!< per stop: areas, incl. its station's, sorted
  std::vector<std::vector<uint32_t>> route_stops; //!< per route: stops its trips serve, sorted
  std::vector<ServiceCalendar> service;
  std::vector<Timeframe> timeframes;
  std::vector<FareOffer> offers; //!< sorted by product
  std::vector<FareLegRule> leg_rules;
  bool has_rule_priority = false; //!< the column exists: empty fields then match anything
  std::vector<FareTransferRule> transfer_rules;
  std::vector<FareLegJoinRule> join_rules;
  std::vector<FareAttribute> fare_attributes;
  std::vector<FareRuleV1> fare_rules_v1;
  bool has_fare_rules_v1_file = false;
  uint32_t default_category = kNone;
  bool has_v1 = false;
  bool has_v2 = false; //!< fare_products + fare_leg_rules present: v2 wins
  Currency currency;
  int32_t first_service_day = 0; //!< earliest day any service runs (days since 1970)
  std::string agency_timezone;
};

struct GtfsLoadOptions {
  bool strict = false; //!< references to unknown ids are errors instead of warnings
};

struct GtfsLoad {
  GtfsFeed feed;
  Errors warnings; //!< rows set aside, each with file:line
};

//! Loads a GTFS folder. Unknown files and columns are ignored; a missing required column or a
//! malformed value is an error at file:line:column; a reference to an unknown id sets the row
//! aside with a warning (an error when strict).
Result<GtfsLoad> load_gtfs(const std::filesystem::path& dir, const GtfsLoadOptions& options = {});

} // namespace hcesim::fare
