#pragma once
// FareLeg: one ride as the fare engine sees it (where from, where to, when, on which route, how the
// rider pays and who they are), and LegPrice / JourneyPrice, what pricing gives back.
#include "base/money.h"
#include "base/time.h"
#include "hce/fare/id_table.h"

#include <cstdint>
#include <vector>

namespace hcesim::fare {

//! A ride between two taps. Ids are the engine's dense indices (FareEngine::find_*).
struct FareLeg {
  uint32_t route = kNone;   //!< the route ridden (GTFS route, or a line of a rule file)
  uint32_t network = kNone; //!< used when route is kNone: the network ridden
  uint32_t from_stop = kNone;
  uint32_t to_stop = kNone;
  Time depart;               //!< tap in / departure
  Time arrive;               //!< tap out / arrival (== depart when unknown)
  uint32_t medium = kNone;   //!< fare medium; kNone = any
  uint32_t category = kNone; //!< rider category; kNone = the default category
};

//! Why a leg could not be priced: an outcome of the world (a ride the rules do not cover), not bad
//! input.
enum class LegOutcome : uint8_t {
  kPriced,
  kNoFareRule,  //!< no rule prices this ride (e.g. Transcollines inside Gatineau)
  kNotOnMedium, //!< rules match, but no product is sold on the rider's medium
  kNoRoute,     //!< distance fares: the two stations are not connected
};

const char* to_string(LegOutcome o);

struct LegPrice {
  LegOutcome outcome = LegOutcome::kNoFareRule;
  uint32_t product = kNone; //!< FareEngine::product_name names it
  //! Charged for this leg, after transfers, discounts and caps. Fares v2 only: negative (a credit)
  //! when a fare_leg_join_rules join or a type-2 transfer makes the journey so far cheaper than
  //! what was already charged; Fares v1 and distance fares never go below zero.
  Money amount;
  Money base;              //!< before rider-category discount and caps
  bool transfer = false;   //!< priced as a transfer from an earlier leg
  bool capped = false;     //!< a daily or rolling cap lowered the amount
  int32_t distance_m = -1; //!< distance fares: the distance priced
};

struct JourneyPrice {
  std::vector<LegPrice> legs;
  Money total;
  bool complete = true; //!< every leg priced
};

} // namespace hcesim::fare
