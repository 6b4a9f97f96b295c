#pragma once
// FaresV2: GTFS Fares v2 pricing (fare_leg_rules, fare_transfer_rules, fare_leg_join_rules,
// timeframes, fare media, rider categories) over a loaded GtfsFeed, leg after leg. Exact rules:
// - Leg matching, no rule_priority column: fields are filtered in turn (network, from_area,
//   to_area, from_timeframe, to_timeframe); a rule whose field equals the leg's value wins over
//   rules with that field empty, which match only when no rule names the leg's value. With a
//   rule_priority column, an empty field matches anything and only the highest priority is kept.
// - Before matching, rules whose product is not sold on the rider's medium / category are set
//   aside (so "cash" finds the cash product), as are MBTA `transfer_only` rules on a first leg.
// - Several matching products: the cheapest is used.
// - Transfers: rules are filtered by from_leg_group then to_leg_group (empty = default as above);
//   transfer_count is compared with the sub-journey's transfer count (-1 unlimited) and among
//   such rules the smallest count that covers the transfer is used; duration_limit is measured
//   from the first leg of the transfer sub-journey (the leg whose fare was bought) with
//   duration_limit_type 0..3; fare_transfer_type 0 charges AB, 1 AB + B, 2 replaces the first
//   leg's fare by AB (later type-2 transfers add their BC, as the reference's table says). A
//   transfer is used only when it costs no more than a new fare (ties go to the transfer).
// - Effective fare legs: consecutive legs matching a join rule are priced as one leg from the
//   first departure to the last arrival; the later tap pays the difference.
#include "hce/fare/fare_leg.h"
#include "hce/fare/gtfs_feed.h"

#include <optional>
#include <vector>

namespace hcesim::fare {

//! What a transfer sub-journey remembers between legs.
struct V2Chain {
  bool open = false;
  uint32_t last_group = kNone;
  uint32_t last_product = kNone;
  int32_t transfers = 0; //!< transfers so far in this sub-journey
  Time start_depart;
  Time start_arrive;
  int64_t charged = 0; //!< minor units paid in this sub-journey
};

//! An account's Fares v2 state during a day: the chain, and the effective leg being built.
struct V2State {
  V2Chain chain;
  V2Chain before_effective; //!< the chain before the current effective leg began
  uint32_t last_network = kNone;
  uint32_t last_to_stop = kNone;
  uint32_t effective_from = kNone;
  uint32_t effective_network = kNone; //!< kNone when the joined legs' networks differ
  Time effective_depart;
  int64_t effective_charged = 0;
};

class FaresV2 {
public:
  explicit FaresV2(const GtfsFeed& feed, int32_t day0);
  //! Prices the next leg and advances the state.
  LegPrice price_next(V2State& state, const FareLeg& leg) const;

  //! A matching leg rule and its price on the rider's medium and category (minor units).
  struct Candidate {
    uint32_t rule;
    int64_t amount;
  };

private:
  struct EffectiveLeg {
    uint32_t network;
    uint32_t from_stop, to_stop;
    Time depart, arrive;
    uint32_t medium, category;
  };
  struct Step {
    LegOutcome outcome = LegOutcome::kNoFareRule;
    V2Chain chain;
    int64_t charge = 0;
    uint32_t product = kNone;
    bool transfer = false;
  };
  Step step(const V2Chain& chain, const EffectiveLeg& leg) const;
  // Matching rules (indices into feed.leg_rules) with their cheapest eligible amounts.
  LegOutcome match(const EffectiveLeg& leg, bool as_transfer, std::vector<Candidate>& out) const;
  //! Rules of a network slot usable on a medium by the default category, sorted by from_area.
  struct Eligible {
    std::vector<uint32_t> from_area;
    std::vector<Candidate> cands;
  };
  // The precomputed list for the leg's medium, or nullptr for a non-default rider category.
  const Eligible* eligible(uint32_t network_slot, const EffectiveLeg& leg, bool as_transfer) const;
  // Appends the rules of a network slot usable on the leg's medium and category.
  void gather(uint32_t network_slot, const EffectiveLeg& leg, bool as_transfer,
              std::vector<Candidate>& into) const;
  // Cheapest offer of a product on the medium for the category; none when it is not sold there.
  // (An amount may be negative: GTFS allows it for a transfer discount.)
  std::optional<int64_t> offer(uint32_t product, uint32_t medium, uint32_t category) const;
  bool in_timeframe(uint32_t group, Time t) const;
  bool in_area(uint32_t stop, uint32_t area) const;
  bool joins(const V2State& s, const FareLeg& leg, uint32_t network) const;
  uint32_t network_of(const FareLeg& leg) const;

  const GtfsFeed& feed_;
  int32_t day0_;
  std::vector<std::vector<uint32_t>> rules_by_network_; //!< last entry: rules with no network
  std::vector<std::vector<uint32_t>> areas_;            //!< per stop, incl. a station's platforms'
  std::vector<std::vector<uint32_t>> timeframes_;       //!< per group: indices into feed.timeframes
  std::vector<std::pair<uint32_t, uint32_t>> offer_range_; //!< per product: [begin, end) of offers
  std::vector<std::vector<uint32_t>> transfers_from_; //!< per from_leg_group; last: empty group
  size_t media_slots_ = 1;
  std::vector<Eligible> eligible_; //!< [(network, medium, as_transfer)]
};

} // namespace hcesim::fare
