// Loading the fare files of a GTFS folder: Fares v1 (fare_attributes, fare_rules) and Fares v2
// (areas, stop_areas, fare_media, rider_categories, timeframes, fare_products, fare_leg_rules,
// fare_transfer_rules, fare_leg_join_rules). Same rules as gtfs_feed.cc.
#include "gtfs_loader.h"
#include "hce/fare/service_date.h"

#include <algorithm>

namespace hcesim::fare::detail {

Result<void> Loader::fares_v1() {
  auto fa = open("fare_attributes.txt", false);
  HCESIM_GTFS_TRY(fa);
  if (!*fa) {
    return {};
  }
  feed_.has_v1 = true;
  const CsvTable& a = **fa;
  auto id = a.require_column("fare_id");
  HCESIM_GTFS_TRY(id);
  auto price = a.require_column("price");
  HCESIM_GTFS_TRY(price);
  auto currency = a.require_column("currency_type");
  HCESIM_GTFS_TRY(currency);
  auto payment = a.column("payment_method");
  auto transfers = a.column("transfers");
  auto duration = a.column("transfer_duration");
  auto agency = a.column("agency_id");
  for (size_t r = 0; r < a.rows(); ++r) {
    const uint32_t f = feed_.fares_v1.intern(a.field(r, *id));
    if (f < feed_.fare_attributes.size()) {
      return a.error(r, *id, "duplicate fare_id");
    }
    FareAttribute fare;
    auto m = amount(a, r, *price, a.field(r, *currency));
    HCESIM_GTFS_TRY(m);
    if (m->is_negative()) {
      // GTFS: a non-negative float. A negative one would sort cheapest and hide every fare.
      return a.error(r, *price, "must be >= 0, got " + std::string(a.field(r, *price)));
    }
    fare.price = *m;
    if (payment && !a.field(r, *payment).empty()) {
      auto v = integer(a, r, *payment, 0, 1);
      HCESIM_GTFS_TRY(v);
      fare.payment_method = static_cast<uint8_t>(*v);
    }
    if (transfers && !a.field(r, *transfers).empty()) {
      auto v = integer(a, r, *transfers, 0, 2);
      HCESIM_GTFS_TRY(v);
      fare.transfers = static_cast<int32_t>(*v);
    }
    if (duration && !a.field(r, *duration).empty()) {
      auto v = integer(a, r, *duration, 0, INT32_MAX);
      HCESIM_GTFS_TRY(v);
      fare.transfer_duration_s = *v;
    }
    if (std::string_view ag = a.field(r, agency); !ag.empty()) {
      if (auto ai = feed_.agencies.find(ag)) {
        fare.agency = *ai;
      } else {
        HCESIM_GTFS_TRY(unknown(a, r, *agency, "agency_id", ag));
      }
    }
    feed_.fare_attributes.push_back(fare);
  }
  auto fr = open("fare_rules.txt", false);
  HCESIM_GTFS_TRY(fr);
  if (!*fr) {
    return {};
  }
  feed_.has_fare_rules_v1_file = true;
  const CsvTable& t = **fr;
  auto fid = t.require_column("fare_id");
  HCESIM_GTFS_TRY(fid);
  auto route = t.column("route_id");
  auto origin = t.column("origin_id");
  auto dest = t.column("destination_id");
  auto contains = t.column("contains_id");
  for (size_t r = 0; r < t.rows(); ++r) {
    bool skip = false;
    FareRuleV1 rule;
    auto f = ref(t, r, *fid, feed_.fares_v1, "fare_id", &skip);
    HCESIM_GTFS_TRY(f);
    auto rt = ref(t, r, route, feed_.routes, "route_id", &skip);
    HCESIM_GTFS_TRY(rt);
    auto o = ref(t, r, origin, feed_.zones, "origin_id (zone)", &skip);
    HCESIM_GTFS_TRY(o);
    auto d = ref(t, r, dest, feed_.zones, "destination_id (zone)", &skip);
    HCESIM_GTFS_TRY(d);
    auto c = ref(t, r, contains, feed_.zones, "contains_id (zone)", &skip);
    HCESIM_GTFS_TRY(c);
    if (skip || *f == kNone) {
      if (!skip) {
        return t.error(r, *fid, "empty fare_id");
      }
      continue;
    }
    rule.fare = *f;
    rule.route = *rt;
    rule.origin = *o;
    rule.destination = *d;
    rule.contains = *c;
    feed_.fare_rules_v1.push_back(rule);
  }
  return {};
}

Result<void> Loader::fares_v2() {
  if (!std::filesystem::exists(dir_ / "fare_products.txt") ||
      !std::filesystem::exists(dir_ / "fare_leg_rules.txt")) {
    return {};
  }
  feed_.has_v2 = true;
  // Areas, then which stops are in them.
  HCESIM_GTFS_TRY(intern_ids("areas.txt", "area_id", feed_.areas));
  auto sa = open("stop_areas.txt", false);
  HCESIM_GTFS_TRY(sa);
  if (*sa) {
    const CsvTable& t = **sa;
    auto area = t.require_column("area_id");
    HCESIM_GTFS_TRY(area);
    auto stop = t.require_column("stop_id");
    HCESIM_GTFS_TRY(stop);
    for (size_t r = 0; r < t.rows(); ++r) {
      bool skip = false;
      auto a = ref(t, r, *area, feed_.areas, "area_id", &skip);
      HCESIM_GTFS_TRY(a);
      auto s = ref(t, r, *stop, feed_.stops, "stop_id", &skip);
      HCESIM_GTFS_TRY(s);
      if (skip || *a == kNone || *s == kNone) {
        continue;
      }
      feed_.stop_areas[*s].push_back(*a);
    }
    // A station in an area puts its platforms there too (reference: stop_areas.stop_id).
    std::vector<std::vector<uint32_t>> own = feed_.stop_areas;
    for (size_t s = 0; s < feed_.stop.size(); ++s) {
      const uint32_t p = feed_.stop[s].parent;
      if (p != kNone) {
        feed_.stop_areas[s].insert(feed_.stop_areas[s].end(), own[p].begin(), own[p].end());
      }
    }
    for (auto& v : feed_.stop_areas) {
      std::sort(v.begin(), v.end());
      v.erase(std::unique(v.begin(), v.end()), v.end());
    }
  }
  HCESIM_GTFS_TRY(intern_ids("fare_media.txt", "fare_media_id", feed_.media));
  auto cats = open("rider_categories.txt", false);
  HCESIM_GTFS_TRY(cats);
  if (*cats) {
    const CsvTable& t = **cats;
    auto id = t.require_column("rider_category_id");
    HCESIM_GTFS_TRY(id);
    auto def = t.column("is_default_fare_category");
    for (size_t r = 0; r < t.rows(); ++r) {
      const uint32_t c = feed_.categories.intern(t.field(r, *id));
      if (t.field(r, def) == "1") {
        feed_.default_category = c;
      }
    }
  }
  auto tf = open("timeframes.txt", false);
  HCESIM_GTFS_TRY(tf);
  if (*tf) {
    const CsvTable& t = **tf;
    auto group = t.require_column("timeframe_group_id");
    HCESIM_GTFS_TRY(group);
    auto service = t.require_column("service_id");
    HCESIM_GTFS_TRY(service);
    auto start = t.column("start_time");
    auto end = t.column("end_time");
    for (size_t r = 0; r < t.rows(); ++r) {
      Timeframe f;
      f.group = feed_.timeframe_groups.intern(t.field(r, *group));
      bool skip = false;
      auto s = ref(t, r, *service, feed_.services, "service_id", &skip);
      HCESIM_GTFS_TRY(s);
      f.service = *s;
      f.start = Duration::zero();
      f.end = Duration::hours(24);
      if (std::string_view v = t.field(r, start); !v.empty()) {
        auto d = parse_time_of_day(v);
        if (!d) {
          return t.error(r, *start, d.error().what);
        }
        f.start = *d;
      }
      if (std::string_view v = t.field(r, end); !v.empty()) {
        auto d = parse_time_of_day(v);
        if (!d) {
          return t.error(r, *end, d.error().what);
        }
        f.end = *d;
      }
      if (!skip) {
        feed_.timeframes.push_back(f);
      }
    }
  }
  auto fp = open("fare_products.txt", true);
  HCESIM_GTFS_TRY(fp);
  {
    const CsvTable& t = **fp;
    auto id = t.require_column("fare_product_id");
    HCESIM_GTFS_TRY(id);
    auto amt = t.require_column("amount");
    HCESIM_GTFS_TRY(amt);
    auto cur = t.require_column("currency");
    HCESIM_GTFS_TRY(cur);
    auto medium = t.column("fare_media_id");
    auto category = t.column("rider_category_id");
    for (size_t r = 0; r < t.rows(); ++r) {
      bool skip = false;
      FareOffer o;
      o.product = feed_.products.intern(t.field(r, *id));
      auto m = ref(t, r, medium, feed_.media, "fare_media_id", &skip);
      HCESIM_GTFS_TRY(m);
      auto c = ref(t, r, category, feed_.categories, "rider_category_id", &skip);
      HCESIM_GTFS_TRY(c);
      auto a = amount(t, r, *amt, t.field(r, *cur));
      HCESIM_GTFS_TRY(a);
      if (skip) {
        continue;
      }
      o.medium = *m;
      o.category = *c;
      o.amount = *a;
      feed_.offers.push_back(o);
    }
    std::stable_sort(feed_.offers.begin(), feed_.offers.end(),
                     [](const FareOffer& a, const FareOffer& b) { return a.product < b.product; });
  }
  HCESIM_GTFS_TRY(leg_rules());
  HCESIM_GTFS_TRY(transfer_rules());
  HCESIM_GTFS_TRY(join_rules());
  return {};
}

Result<void> Loader::leg_rules() {
  auto fl = open("fare_leg_rules.txt", true);
  HCESIM_GTFS_TRY(fl);
  const CsvTable& t = **fl;
  auto product = t.require_column("fare_product_id");
  HCESIM_GTFS_TRY(product);
  auto group = t.column("leg_group_id");
  auto network = t.column("network_id");
  auto from_area = t.column("from_area_id");
  auto to_area = t.column("to_area_id");
  auto from_tf = t.column("from_timeframe_group_id");
  auto to_tf = t.column("to_timeframe_group_id");
  auto priority = t.column("rule_priority");
  auto transfer_only = t.column("transfer_only");
  feed_.has_rule_priority = priority.has_value();
  for (size_t r = 0; r < t.rows(); ++r) {
    bool skip = false;
    FareLegRule rule;
    if (std::string_view g = t.field(r, group); !g.empty()) {
      rule.leg_group = feed_.leg_groups.intern(g);
    }
    auto n = ref(t, r, network, feed_.networks, "network_id", &skip);
    HCESIM_GTFS_TRY(n);
    auto fa = ref(t, r, from_area, feed_.areas, "area_id", &skip);
    HCESIM_GTFS_TRY(fa);
    auto ta = ref(t, r, to_area, feed_.areas, "area_id", &skip);
    HCESIM_GTFS_TRY(ta);
    auto ft = ref(t, r, from_tf, feed_.timeframe_groups, "timeframe_group_id", &skip);
    HCESIM_GTFS_TRY(ft);
    auto tt = ref(t, r, to_tf, feed_.timeframe_groups, "timeframe_group_id", &skip);
    HCESIM_GTFS_TRY(tt);
    auto p = ref(t, r, *product, feed_.products, "fare_product_id", &skip);
    HCESIM_GTFS_TRY(p);
    if (priority && !t.field(r, *priority).empty()) {
      auto v = integer(t, r, *priority, 0, INT32_MAX);
      HCESIM_GTFS_TRY(v);
      rule.priority = static_cast<int32_t>(*v);
    }
    if (transfer_only && !t.field(r, *transfer_only).empty()) {
      auto v = integer(t, r, *transfer_only, 0, 1);
      HCESIM_GTFS_TRY(v);
      rule.transfer_only = *v == 1;
    }
    if (skip) {
      continue;
    }
    if (*p == kNone) {
      return t.error(r, *product, "empty fare_product_id");
    }
    // GTFS allows a negative amount for a transfer's discount; as a leg's own fare it would be
    // the cheapest of every leg it matches, and credit the rider (a typo'd sign, most likely).
    for (const FareOffer& o : feed_.offers) {
      if (o.product == *p && o.amount.is_negative()) {
        return t.error(r, *product,
                       "product \"" + std::string(t.field(r, *product)) + "\" costs " +
                           o.amount.to_string() +
                           ": a leg's fare cannot be negative (only a transfer's product may be)");
      }
    }
    rule.network = *n;
    rule.from_area = *fa;
    rule.to_area = *ta;
    rule.from_timeframe = *ft;
    rule.to_timeframe = *tt;
    rule.product = *p;
    feed_.leg_rules.push_back(rule);
  }
  return {};
}

Result<void> Loader::transfer_rules() {
  auto ft = open("fare_transfer_rules.txt", false);
  HCESIM_GTFS_TRY(ft);
  if (!*ft) {
    return {};
  }
  const CsvTable& t = **ft;
  auto type = t.require_column("fare_transfer_type");
  HCESIM_GTFS_TRY(type);
  auto from = t.column("from_leg_group_id");
  auto to = t.column("to_leg_group_id");
  auto count = t.column("transfer_count");
  auto limit = t.column("duration_limit");
  auto limit_type = t.column("duration_limit_type");
  auto product = t.column("fare_product_id");
  auto filter = t.column("filter_fare_product_id");
  for (size_t r = 0; r < t.rows(); ++r) {
    bool skip = false;
    FareTransferRule rule;
    auto f = ref(t, r, from, feed_.leg_groups, "leg_group_id", &skip);
    HCESIM_GTFS_TRY(f);
    auto g = ref(t, r, to, feed_.leg_groups, "leg_group_id", &skip);
    HCESIM_GTFS_TRY(g);
    auto p = ref(t, r, product, feed_.products, "fare_product_id", &skip);
    HCESIM_GTFS_TRY(p);
    auto fp = ref(t, r, filter, feed_.products, "fare_product_id", &skip);
    HCESIM_GTFS_TRY(fp);
    auto ty = integer(t, r, *type, 0, 2);
    HCESIM_GTFS_TRY(ty);
    if (count && !t.field(r, *count).empty()) {
      auto v = integer(t, r, *count, -1, INT32_MAX);
      HCESIM_GTFS_TRY(v);
      if (*v == 0) {
        return t.error(r, *count, "transfer_count must be -1 or at least 1");
      }
      rule.transfer_count = static_cast<int32_t>(*v);
    }
    if (limit && !t.field(r, *limit).empty()) {
      auto v = integer(t, r, *limit, 1, INT32_MAX);
      HCESIM_GTFS_TRY(v);
      rule.duration_limit_s = *v;
      if (!limit_type || t.field(r, *limit_type).empty()) {
        return t.error(r, limit_type ? *limit_type : *limit,
                       "duration_limit_type is required when duration_limit is set");
      }
      auto lt = integer(t, r, *limit_type, 0, 3);
      HCESIM_GTFS_TRY(lt);
      rule.duration_limit_type = static_cast<uint8_t>(*lt);
    }
    if (skip) {
      continue;
    }
    rule.from_group = *f;
    rule.to_group = *g;
    rule.product = *p;
    rule.filter_product = *fp;
    rule.fare_transfer_type = static_cast<uint8_t>(*ty);
    feed_.transfer_rules.push_back(rule);
  }
  return {};
}

Result<void> Loader::join_rules() {
  auto fj = open("fare_leg_join_rules.txt", false);
  HCESIM_GTFS_TRY(fj);
  if (!*fj) {
    return {};
  }
  const CsvTable& t = **fj;
  auto fn = t.require_column("from_network_id");
  HCESIM_GTFS_TRY(fn);
  auto tn = t.require_column("to_network_id");
  HCESIM_GTFS_TRY(tn);
  auto fs = t.column("from_stop_id");
  auto ts = t.column("to_stop_id");
  for (size_t r = 0; r < t.rows(); ++r) {
    bool skip = false;
    FareLegJoinRule rule;
    auto a = ref(t, r, *fn, feed_.networks, "network_id", &skip);
    HCESIM_GTFS_TRY(a);
    auto b = ref(t, r, *tn, feed_.networks, "network_id", &skip);
    HCESIM_GTFS_TRY(b);
    auto c = ref(t, r, fs, feed_.stops, "stop_id", &skip);
    HCESIM_GTFS_TRY(c);
    auto d = ref(t, r, ts, feed_.stops, "stop_id", &skip);
    HCESIM_GTFS_TRY(d);
    if (skip) {
      continue;
    }
    rule.from_network = *a;
    rule.to_network = *b;
    rule.from_stop = *c;
    rule.to_stop = *d;
    feed_.join_rules.push_back(rule);
  }
  return {};
}

} // namespace hcesim::fare::detail
