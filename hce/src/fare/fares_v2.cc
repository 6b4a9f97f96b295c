#include "hce/fare/fares_v2.h"

#include <algorithm>
#include <cassert>

namespace hcesim::fare {

const char* to_string(LegOutcome o) {
  switch (o) {
  case LegOutcome::kPriced:
    return "priced";
  case LegOutcome::kNoFareRule:
    return "no fare rule covers this leg";
  case LegOutcome::kNotOnMedium:
    return "no fare product for this leg is sold on this fare medium / rider category";
  case LegOutcome::kNoRoute:
    return "the stations are not connected";
  }
  return "?";
}

FaresV2::FaresV2(const GtfsFeed& feed, int32_t day0) : feed_(feed), day0_(day0) {
  rules_by_network_.resize(feed.networks.size() + 1);
  for (uint32_t i = 0; i < feed.leg_rules.size(); ++i) {
    const uint32_t n = feed.leg_rules[i].network;
    rules_by_network_[n == kNone ? feed.networks.size() : n].push_back(i);
  }
  areas_ = feed.stop_areas;
  areas_.resize(feed.stop.size());
  for (size_t s = 0; s < feed.stop.size(); ++s) {
    for (uint32_t c : feed.stop[s].children) {
      if (c < feed.stop_areas.size()) {
        areas_[s].insert(areas_[s].end(), feed.stop_areas[c].begin(), feed.stop_areas[c].end());
      }
    }
    std::sort(areas_[s].begin(), areas_[s].end());
    areas_[s].erase(std::unique(areas_[s].begin(), areas_[s].end()), areas_[s].end());
  }
  timeframes_.resize(feed.timeframe_groups.size());
  for (uint32_t i = 0; i < feed.timeframes.size(); ++i) {
    timeframes_[feed.timeframes[i].group].push_back(i);
  }
  transfers_from_.resize(feed.leg_groups.size() + 1);
  for (uint32_t i = 0; i < feed.transfer_rules.size(); ++i) {
    const uint32_t g = feed.transfer_rules[i].from_group;
    transfers_from_[g == kNone ? feed.leg_groups.size() : g].push_back(i);
  }
  offer_range_.assign(feed.products.size(), {0, 0});
  for (uint32_t i = 0; i < feed.offers.size();) {
    uint32_t j = i;
    while (j < feed.offers.size() && feed.offers[j].product == feed.offers[i].product) {
      ++j;
    }
    offer_range_[feed.offers[i].product] = {i, j};
    i = j;
  }
  // Rules usable per (network, medium) for the default rider category, with their amounts: the
  // common case needs no product lookups while pricing.
  media_slots_ = feed.media.size() + 1;
  eligible_.resize(rules_by_network_.size() * media_slots_ * 2);
  for (size_t n = 0; n < rules_by_network_.size(); ++n) {
    for (size_t m = 0; m < media_slots_; ++m) {
      const uint32_t medium = m == 0 ? kNone : static_cast<uint32_t>(m - 1);
      for (uint32_t r : rules_by_network_[n]) {
        const FareLegRule& rule = feed.leg_rules[r];
        const std::optional<int64_t> amount = offer(rule.product, medium, kNone);
        if (!amount) {
          continue;
        }
        eligible_[(n * media_slots_ + m) * 2 + 1].cands.push_back({r, *amount});
        if (!rule.transfer_only) {
          eligible_[(n * media_slots_ + m) * 2].cands.push_back({r, *amount});
        }
      }
    }
  }
  // Sorted by from_area (empty last) so a stop's areas find their rules by binary search.
  for (Eligible& e : eligible_) {
    std::stable_sort(e.cands.begin(), e.cands.end(), [&](const Candidate& a, const Candidate& b) {
      return feed.leg_rules[a.rule].from_area < feed.leg_rules[b.rule].from_area;
    });
    for (const Candidate& c : e.cands) {
      e.from_area.push_back(feed.leg_rules[c.rule].from_area);
    }
  }
}

std::optional<int64_t> FaresV2::offer(uint32_t product, uint32_t medium, uint32_t category) const {
  const uint32_t cat = category != kNone ? category : feed_.default_category;
  std::optional<int64_t> best;
  for (uint32_t i = offer_range_[product].first; i < offer_range_[product].second; ++i) {
    const FareOffer& o = feed_.offers[i];
    if (o.medium != kNone && medium != kNone && o.medium != medium) {
      continue;
    }
    if (o.category != kNone && o.category != cat) {
      continue;
    }
    if (!best || o.amount.minor() < *best) {
      best = o.amount.minor();
    }
  }
  return best;
}

bool FaresV2::in_timeframe(uint32_t group, Time t) const {
  const int32_t day = day0_ + static_cast<int32_t>(t.day());
  const Duration tod = t.time_of_day();
  for (uint32_t i : timeframes_[group]) {
    const Timeframe& f = feed_.timeframes[i];
    if (tod >= f.start && tod < f.end && f.service != kNone && f.service < feed_.service.size() &&
        feed_.service[f.service].active(day)) {
      return true;
    }
  }
  return false;
}

bool FaresV2::in_area(uint32_t stop, uint32_t area) const {
  const auto& a = areas_[stop];
  return std::binary_search(a.begin(), a.end(), area);
}

uint32_t FaresV2::network_of(const FareLeg& leg) const {
  return leg.route != kNone ? feed_.route[leg.route].network : leg.network;
}

namespace {
// Keeps the candidates whose rule field equals the leg's value; when none do, those with the field
// empty.
template <typename Field, typename Matches>
void narrow(std::vector<FaresV2::Candidate>& cands, const std::vector<FareLegRule>& all,
            Field field, Matches matches) {
  bool any_exact = false;
  for (const FaresV2::Candidate& c : cands) {
    const uint32_t v = field(all[c.rule]);
    if (v != kNone && matches(v)) {
      any_exact = true;
      break;
    }
  }
  size_t w = 0;
  for (const FaresV2::Candidate& c : cands) {
    const uint32_t v = field(all[c.rule]);
    if (any_exact ? (v != kNone && matches(v)) : v == kNone) {
      cands[w++] = c;
    }
  }
  cands.resize(w);
}
} // namespace

const FaresV2::Eligible* FaresV2::eligible(uint32_t network_slot, const EffectiveLeg& leg,
                                           bool as_transfer) const {
  if (leg.category != kNone) {
    return nullptr; // not precomputed: gather() prices each rule for the category
  }
  const size_t medium_slot = leg.medium == kNone ? 0 : leg.medium + 1;
  return &eligible_[(network_slot * media_slots_ + medium_slot) * 2 + (as_transfer ? 1 : 0)];
}

void FaresV2::gather(uint32_t network_slot, const EffectiveLeg& leg, bool as_transfer,
                     std::vector<Candidate>& into) const {
  if (const Eligible* pre = eligible(network_slot, leg, as_transfer)) {
    into.insert(into.end(), pre->cands.begin(), pre->cands.end());
    return;
  }
  for (uint32_t r : rules_by_network_[network_slot]) {
    const FareLegRule& rule = feed_.leg_rules[r];
    if (as_transfer || !rule.transfer_only) {
      if (const std::optional<int64_t> amount = offer(rule.product, leg.medium, leg.category)) {
        into.push_back({r, *amount});
      }
    }
  }
}

LegOutcome FaresV2::match(const EffectiveLeg& leg, bool as_transfer,
                          std::vector<Candidate>& out) const {
  out.clear();
  const std::vector<FareLegRule>& all = feed_.leg_rules;
  const auto none_slot = static_cast<uint32_t>(rules_by_network_.size() - 1);
  bool some_rule = false; // with priorities: a rule matched before media were considered
  if (!feed_.has_rule_priority) {
    const Eligible* pre = nullptr;
    if (leg.network != kNone) {
      pre = eligible(leg.network, leg, as_transfer);
    }
    if (pre != nullptr && pre->cands.empty()) {
      pre = eligible(none_slot, leg, as_transfer);
    }
    if (pre == nullptr && leg.category == kNone) {
      pre = eligible(none_slot, leg, as_transfer); // a leg without a network
    }
    if (pre != nullptr) {
      // The from_area filter through the index: the rules naming one of the stop's areas, else
      // those with no from_area.
      auto append = [&](uint32_t area) {
        auto lo = std::lower_bound(pre->from_area.begin(), pre->from_area.end(), area);
        auto hi = std::upper_bound(lo, pre->from_area.end(), area);
        out.insert(out.end(), pre->cands.begin() + (lo - pre->from_area.begin()),
                   pre->cands.begin() + (hi - pre->from_area.begin()));
      };
      for (uint32_t a : areas_[leg.from_stop]) {
        append(a);
      }
      if (out.empty()) {
        append(kNone);
      }
    } else {
      if (leg.network != kNone) {
        gather(leg.network, leg, as_transfer, out);
      }
      if (out.empty()) {
        gather(none_slot, leg, as_transfer, out);
      }
      narrow(
          out, all, [](const FareLegRule& r) { return r.from_area; },
          [&](uint32_t a) { return in_area(leg.from_stop, a); });
    }
    narrow(
        out, all, [](const FareLegRule& r) { return r.to_area; },
        [&](uint32_t a) { return in_area(leg.to_stop, a); });
    narrow(
        out, all, [](const FareLegRule& r) { return r.from_timeframe; },
        [&](uint32_t g) { return in_timeframe(g, leg.depart); });
    narrow(
        out, all, [](const FareLegRule& r) { return r.to_timeframe; },
        [&](uint32_t g) { return in_timeframe(g, leg.arrive); });
  } else {
    auto fits = [&](const FareLegRule& r) {
      return (r.from_area == kNone || in_area(leg.from_stop, r.from_area)) &&
             (r.to_area == kNone || in_area(leg.to_stop, r.to_area)) &&
             (r.from_timeframe == kNone || in_timeframe(r.from_timeframe, leg.depart)) &&
             (r.to_timeframe == kNone || in_timeframe(r.to_timeframe, leg.arrive));
    };
    for (uint32_t slot : {leg.network, none_slot}) {
      if (slot == kNone) {
        continue;
      }
      for (uint32_t r : rules_by_network_[slot]) {
        some_rule = some_rule || fits(all[r]);
      }
      gather(slot, leg, as_transfer, out);
    }
    int32_t best = INT32_MIN;
    for (const Candidate& c : out) {
      if (fits(all[c.rule])) {
        best = std::max(best, all[c.rule].priority);
      }
    }
    size_t w = 0;
    for (const Candidate& c : out) {
      if (fits(all[c.rule]) && all[c.rule].priority == best) {
        out[w++] = c;
      }
    }
    out.resize(w);
  }
  if (!out.empty()) {
    return LegOutcome::kPriced;
  }
  if (!feed_.has_rule_priority && (leg.medium != kNone || leg.category != kNone)) {
    // Would the rules match on any medium and category? Then say so rather than "no rule".
    EffectiveLeg any = leg;
    any.medium = kNone;
    any.category = kNone;
    std::vector<Candidate> probe;
    if (match(any, as_transfer, probe) == LegOutcome::kPriced) {
      return LegOutcome::kNotOnMedium;
    }
  }
  return some_rule ? LegOutcome::kNotOnMedium : LegOutcome::kNoFareRule;
}

FaresV2::Step FaresV2::step(const V2Chain& chain, const EffectiveLeg& leg) const {
  Step best;
  thread_local std::vector<Candidate> fresh;
  thread_local std::vector<Candidate> onward;
  const LegOutcome fresh_outcome = match(leg, false, fresh);
  bool have = false;
  // A new fare.
  for (const Candidate& c : fresh) {
    if (!have || c.amount < best.charge) {
      have = true;
      best.outcome = LegOutcome::kPriced;
      best.charge = c.amount;
      best.product = feed_.leg_rules[c.rule].product;
      best.transfer = false;
      best.chain = V2Chain{
          true,    feed_.leg_rules[c.rule].leg_group, best.product, 0, leg.depart, leg.arrive,
          c.amount};
    }
  }
  // A transfer from the previous effective leg.
  LegOutcome onward_outcome = LegOutcome::kNoFareRule;
  if (chain.open && chain.last_group != kNone) {
    onward_outcome = match(leg, true, onward);
    const auto& rules = feed_.transfer_rules;
    // Filter by from_leg_group_id (empty = default), then to_leg_group_id likewise.
    const auto& named = transfers_from_[chain.last_group];
    const auto& from_rules = named.empty() ? transfers_from_.back() : named;
    for (const Candidate& c : onward) {
      const uint32_t to_group = feed_.leg_rules[c.rule].leg_group;
      if (to_group == kNone) {
        continue;
      }
      bool to_exact = false;
      for (uint32_t ti : from_rules) {
        to_exact = to_exact || rules[ti].to_group == to_group;
      }
      // A rule applies when its product filter, transfer count and duration limit allow.
      const int32_t transfers = chain.transfers + 1; // this transfer's count in the sub-journey
      auto applies = [&](const FareTransferRule& t) {
        if (to_exact ? t.to_group != to_group : t.to_group != kNone) {
          return false;
        }
        if (t.filter_product != kNone && t.filter_product != chain.last_product) {
          return false;
        }
        if (t.transfer_count > 0 && transfers > t.transfer_count) {
          return false;
        }
        if (t.duration_limit_s >= 0) {
          const Time from = t.duration_limit_type <= 1 ? chain.start_depart : chain.start_arrive;
          const Time to =
              (t.duration_limit_type == 1 || t.duration_limit_type == 2) ? leg.depart : leg.arrive;
          if (to - from > Duration::seconds(t.duration_limit_s)) {
            return false;
          }
        }
        return t.product == kNone || offer(t.product, leg.medium, leg.category).has_value();
      };
      // Among rules with a transfer_count, the smallest count that still covers this transfer.
      int64_t min_count = INT64_MAX;
      for (uint32_t ti : from_rules) {
        const FareTransferRule& t = rules[ti];
        if (t.transfer_count != 0 && applies(t)) {
          min_count =
              std::min<int64_t>(min_count, t.transfer_count < 0 ? INT64_MAX - 1 : t.transfer_count);
        }
      }
      for (uint32_t ti : from_rules) {
        const FareTransferRule& t = rules[ti];
        if (!applies(t) ||
            (t.transfer_count != 0 &&
             (t.transfer_count < 0 ? INT64_MAX - 1 : t.transfer_count) != min_count)) {
          continue;
        }
        // applies(t) checked the product is sold on the leg's medium and category.
        const int64_t ab =
            t.product == kNone ? 0 : offer(t.product, leg.medium, leg.category).value_or(0);
        // Reference, fare_transfer_type: A > B costs A + AB (0), A + AB + B (1) or AB (2); each
        // later transfer B > C adds BC (0, 2) or BC + C (1) to what was paid so far. So type 2
        // replaces only a first leg's own fare.
        int64_t charge = ab;
        if (t.fare_transfer_type == 1) {
          charge = ab + c.amount;
        } else if (t.fare_transfer_type == 2 && chain.transfers == 0) {
          charge = ab - chain.charged;
        }
        if (!have || charge <= best.charge) {
          have = true;
          best.outcome = LegOutcome::kPriced;
          best.charge = charge;
          best.product = t.product != kNone && t.fare_transfer_type != 1
                             ? t.product
                             : feed_.leg_rules[c.rule].product;
          best.transfer = true;
          best.chain = chain;
          best.chain.last_group = to_group;
          best.chain.last_product = feed_.leg_rules[c.rule].product;
          best.chain.transfers = transfers;
          best.chain.charged = chain.charged + charge;
        }
      }
    }
  }
  if (!have) {
    best.outcome =
        fresh_outcome == LegOutcome::kNotOnMedium || onward_outcome == LegOutcome::kNotOnMedium
            ? LegOutcome::kNotOnMedium
            : LegOutcome::kNoFareRule;
  }
  return best;
}

bool FaresV2::joins(const V2State& s, const FareLeg& leg, uint32_t network) const {
  if (!s.chain.open || feed_.join_rules.empty()) {
    return false;
  }
  auto same_place = [&](uint32_t rule_stop, uint32_t stop) {
    return rule_stop == kNone || rule_stop == stop ||
           (stop != kNone && feed_.stop[stop].parent == rule_stop);
  };
  for (const FareLegJoinRule& j : feed_.join_rules) {
    if (j.from_network == s.last_network && j.to_network == network &&
        same_place(j.from_stop, s.last_to_stop) && same_place(j.to_stop, leg.from_stop)) {
      return true;
    }
  }
  return false;
}

LegPrice FaresV2::price_next(V2State& state, const FareLeg& leg) const {
  const uint32_t network = network_of(leg);
  const bool join = joins(state, leg, network);
  EffectiveLeg eff{network,    leg.from_stop, leg.to_stop, leg.depart,
                   leg.arrive, leg.medium,    leg.category};
  const V2Chain& base = join ? state.before_effective : state.chain;
  if (join) {
    eff.from_stop = state.effective_from;
    eff.depart = state.effective_depart;
    eff.network = state.effective_network == network ? network : kNone;
  }
  const Step s = step(base, eff);
  LegPrice out;
  out.outcome = s.outcome;
  if (s.outcome != LegOutcome::kPriced) {
    return out; // an unpriced leg leaves the state as it was
  }
  const int64_t already = join ? state.effective_charged : 0;
  out.product = s.product;
  out.amount = Money(s.charge - already, feed_.currency);
  out.base = out.amount;
  out.transfer = s.transfer || join;
  if (!join) {
    state.before_effective = state.chain;
    state.effective_from = leg.from_stop;
    state.effective_depart = leg.depart;
    state.effective_network = network;
  } else if (state.effective_network != network) {
    state.effective_network = kNone;
  }
  state.effective_charged = s.charge;
  state.chain = s.chain;
  state.last_network = network;
  state.last_to_stop = leg.to_stop;
  return out;
}

} // namespace hcesim::fare
