#include "hce/fare/fares_v1.h"

#include <algorithm>

namespace hcesim::fare {

FaresV1::FaresV1(const GtfsFeed& feed) : feed_(feed) {
  rules_by_fare_.resize(feed.fare_attributes.size());
  for (uint32_t i = 0; i < feed.fare_rules_v1.size(); ++i) {
    rules_by_fare_[feed.fare_rules_v1[i].fare].push_back(i);
  }
  zones_.resize(feed.stop.size());
  for (size_t s = 0; s < feed.stop.size(); ++s) {
    if (feed.stop[s].zone != kNone) {
      zones_[s].push_back(feed.stop[s].zone);
    }
    for (uint32_t c : feed.stop[s].children) {
      if (feed.stop[c].zone != kNone) {
        zones_[s].push_back(feed.stop[c].zone);
      }
    }
    std::sort(zones_[s].begin(), zones_[s].end());
    zones_[s].erase(std::unique(zones_[s].begin(), zones_[s].end()), zones_[s].end());
  }
  for (uint32_t f = 0; f < feed.fare_attributes.size(); ++f) {
    by_price_.push_back(f);
  }
  std::stable_sort(by_price_.begin(), by_price_.end(), [&](uint32_t a, uint32_t b) {
    return feed.fare_attributes[a].price.minor() < feed.fare_attributes[b].price.minor();
  });
  std::vector<uint32_t> rank(by_price_.size());
  for (uint32_t i = 0; i < by_price_.size(); ++i) {
    rank[by_price_[i]] = i;
  }
  for (uint32_t i = 0; i < feed.fare_rules_v1.size(); ++i) {
    const FareRuleV1& r = feed.fare_rules_v1[i];
    rules_by_zones_[zone_pair(r.origin, r.destination)].push_back(RankedRule{rank[r.fare], i});
  }
  for (auto& [pair, rules] : rules_by_zones_) {
    std::sort(rules.begin(), rules.end(), [](const RankedRule& a, const RankedRule& b) {
      return a.rank != b.rank ? a.rank < b.rank : a.rule < b.rule;
    });
  }
}

bool FaresV1::has_zone(uint32_t stop, uint32_t zone) const {
  if (stop >= zones_.size()) {
    return false; // kNone: no stop, no zone
  }
  const auto& z = zones_[stop];
  return std::binary_search(z.begin(), z.end(), zone);
}

bool FaresV1::same_station(uint32_t a, uint32_t b) const {
  if (a == kNone || b == kNone) {
    return false;
  }
  auto station = [&](uint32_t s) {
    return feed_.stop[s].parent != kNone ? feed_.stop[s].parent : s;
  };
  return station(a) == station(b);
}

bool FaresV1::rule_matches(const FareRuleV1& r, uint32_t route, uint32_t origin,
                           uint32_t destination) const {
  return (r.route == kNone || r.route == route) &&
         (r.origin == kNone || has_zone(origin, r.origin)) &&
         (r.destination == kNone || has_zone(destination, r.destination)) &&
         (r.contains == kNone || has_zone(origin, r.contains) || has_zone(destination, r.contains));
}

bool FaresV1::allows(uint32_t fare, const uint32_t* routes, size_t route_count,
                     int32_t transfers_needed) const {
  const FareAttribute& fa = feed_.fare_attributes[fare];
  if (fa.transfers >= 0 && transfers_needed > fa.transfers) {
    return false;
  }
  for (size_t i = 0; i < route_count; ++i) {
    if (fa.agency != kNone && routes[i] != kNone && feed_.route[routes[i]].agency != fa.agency) {
      return false;
    }
  }
  return true;
}

bool FaresV1::fare_matches(uint32_t fare, uint32_t origin, uint32_t destination,
                           const uint32_t* routes, size_t route_count) const {
  if (!feed_.has_fare_rules_v1_file) {
    return true;
  }
  for (size_t i = 0; i < route_count; ++i) {
    bool ok = false;
    for (uint32_t ri : rules_by_fare_[fare]) {
      if (rule_matches(feed_.fare_rules_v1[ri], routes[i], origin, destination)) {
        ok = true;
        break;
      }
    }
    if (!ok) {
      return false;
    }
  }
  return true;
}

uint32_t FaresV1::first_match_by_scan(uint32_t origin, uint32_t destination, const uint32_t* routes,
                                      size_t route_count, int32_t transfers_needed) const {
  for (uint32_t f : by_price_) {
    if (allows(f, routes, route_count, transfers_needed) &&
        fare_matches(f, origin, destination, routes, route_count)) {
      return f;
    }
  }
  return kNone;
}

uint32_t FaresV1::first_match(uint32_t origin, uint32_t destination, const uint32_t* routes,
                              size_t route_count, int32_t transfers_needed) const {
  if (!feed_.has_fare_rules_v1_file || route_count == 0) {
    // Every fare (of the right agency) matches: the cheapest allowed one, found by the scan.
    return first_match_by_scan(origin, destination, routes, route_count, transfers_needed);
  }
  // The rule lists of the zone pairs this trip can match, walked together in price order.
  struct Run {
    const RankedRule* at;
    const RankedRule* end;
    const RankedRule* rank_end; // the end of the current fare's rules in this list
  };
  constexpr size_t kMaxRuns = 32;
  std::array<Run, kMaxRuns> runs{};
  size_t run_count = 0;
  static const std::vector<uint32_t> kNoZones;
  const auto& from = origin < zones_.size() ? zones_[origin] : kNoZones;
  const auto& to = destination < zones_.size() ? zones_[destination] : kNoZones;
  for (size_t i = 0; i <= from.size(); ++i) {
    for (size_t j = 0; j <= to.size(); ++j) {
      const auto it = rules_by_zones_.find(
          zone_pair(i < from.size() ? from[i] : kNone, j < to.size() ? to[j] : kNone));
      if (it == rules_by_zones_.end()) {
        continue;
      }
      if (run_count == kMaxRuns) { // stations with many zoned platforms: rare, so just scan
        return first_match_by_scan(origin, destination, routes, route_count, transfers_needed);
      }
      runs[run_count++] = Run{it->second.data(), it->second.data() + it->second.size(), nullptr};
    }
  }
  for (;;) {
    uint32_t rank = UINT32_MAX;
    for (size_t k = 0; k < run_count; ++k) {
      if (runs[k].at != runs[k].end) {
        rank = std::min(rank, runs[k].at->rank);
      }
    }
    if (rank == UINT32_MAX) {
      return kNone;
    }
    for (size_t k = 0; k < run_count; ++k) {
      Run& r = runs[k];
      r.rank_end = r.at;
      while (r.rank_end != r.end && r.rank_end->rank == rank) {
        ++r.rank_end;
      }
    }
    const uint32_t fare = by_price_[rank];
    // As fare_matches, over the fare's rules that can match: every route needs one.
    bool matches = allows(fare, routes, route_count, transfers_needed);
    for (size_t i = 0; matches && i < route_count; ++i) {
      bool ok = false;
      for (size_t k = 0; !ok && k < run_count; ++k) {
        for (const RankedRule* e = runs[k].at; !ok && e != runs[k].rank_end; ++e) {
          ok = rule_matches(feed_.fare_rules_v1[e->rule], routes[i], origin, destination);
        }
      }
      matches = ok;
    }
    if (matches) {
      return fare;
    }
    for (size_t k = 0; k < run_count; ++k) {
      runs[k].at = runs[k].rank_end;
    }
  }
}

uint32_t FaresV1::cheapest(uint32_t origin, uint32_t destination, const uint32_t* routes,
                           size_t route_count) const {
  return first_match(origin, destination, routes, route_count, 0);
}

LegPrice FaresV1::price_next(V1State& state, const FareLeg& leg) const {
  LegPrice out;
  const uint32_t alone = cheapest(leg.from_stop, leg.to_stop, &leg.route, 1);
  int64_t best = alone == kNone ? -1 : feed_.fare_attributes[alone].price.minor();
  bool join = false;
  uint32_t joined_fare = kNone;
  if (state.open && state.route_count < V1State::kMaxRoutes) {
    const FareAttribute& cur = feed_.fare_attributes[state.fare];
    const bool may_transfer = cur.transfers < 0 || state.transfers < cur.transfers;
    const bool in_time =
        cur.transfer_duration_s >= 0
            ? leg.depart - state.first_depart <= Duration::seconds(cur.transfer_duration_s)
            : same_station(state.last_to_stop, leg.from_stop);
    if (may_transfer && in_time) {
      std::array<uint32_t, V1State::kMaxRoutes> routes = state.routes;
      size_t n = state.route_count;
      if (std::find(routes.begin(), routes.begin() + static_cast<std::ptrdiff_t>(n), leg.route) ==
          routes.begin() + static_cast<std::ptrdiff_t>(n)) {
        routes[n++] = leg.route;
      }
      // The cheapest fare covering the whole trip so far that allows one more transfer.
      const uint32_t f =
          first_match(state.origin, leg.to_stop, routes.data(), n, state.transfers + 1);
      if (f != kNone) {
        const int64_t extra =
            std::max<int64_t>(0, feed_.fare_attributes[f].price.minor() - state.charged);
        if (best < 0 || extra <= best) {
          best = extra;
          join = true;
          joined_fare = f;
        }
      }
    }
  }
  if (best < 0) {
    out.outcome = LegOutcome::kNoFareRule;
    return out;
  }
  out.outcome = LegOutcome::kPriced;
  out.amount = Money(best, feed_.currency);
  out.base = out.amount;
  out.transfer = join;
  if (join) {
    out.product = joined_fare;
    state.fare = joined_fare;
    state.transfers += 1;
    state.charged += best;
    if (std::find(state.routes.begin(), state.routes.begin() + state.route_count, leg.route) ==
        state.routes.begin() + state.route_count) {
      state.routes[state.route_count++] = leg.route;
    }
  } else {
    out.product = alone;
    state.open = true;
    state.fare = alone;
    state.origin = leg.from_stop;
    state.first_depart = leg.depart;
    state.transfers = 0;
    state.charged = best;
    state.route_count = 1;
    state.routes[0] = leg.route;
  }
  state.last_to_stop = leg.to_stop;
  return out;
}

} // namespace hcesim::fare
