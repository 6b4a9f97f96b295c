// Loading a GTFS folder for pricing. Rules (GTFS Schedule reference, plus what real feeds do):
// - agency.txt, routes.txt and stops.txt are required; every other file is optional, and files
//   this loader does not use are never opened.
// - Columns are found by name; unknown columns are ignored; a required column that is missing is
//   an error at file:1.
// - A malformed value (a bad integer, date, time or amount) is an error at file:line:column.
// - A reference to an id the feed never defines (a stop's parent, a rule's area, timeframe or
//   product) sets that row aside with a warning at file:line, or is an error when strict.
// - Amounts become exact integer minor units in the currency's decimals (base/money.h).
#include "hce/fare/gtfs_feed.h"

#include "hce/fare/csv_reader.h"
#include "hce/fare/service_date.h"

#include <algorithm>
#include <optional>

namespace hcesim::fare {

bool ServiceCalendar::active(int32_t day) const {
  auto it = std::lower_bound(exceptions.begin(), exceptions.end(), std::make_pair(day, false));
  if (it != exceptions.end() && it->first == day) {
    return it->second;
  }
  return day >= start_day && day <= end_day && ((weekdays >> weekday(day)) & 1) != 0;
}

namespace {

// Reads the feed's tables and records warnings; every method returns an error for bad input.
class Loader {
public:
  Loader(std::filesystem::path dir, GtfsLoadOptions options)
      : dir_(std::move(dir)), options_(options) {}

  Result<GtfsLoad> run();

private:
  // The table when the file exists (nullopt when absent); a read error ends the load.
  Result<std::optional<CsvTable>> open(const char* file, bool required);
  // An unknown reference: a warning (row skipped) or, when strict, an error.
  Result<void> unknown(const CsvTable& t, size_t row, size_t col, std::string_view kind,
                       std::string_view id);
  // An optional reference field: kNone when empty, the index when known, else unknown().
  Result<uint32_t> ref(const CsvTable& t, size_t row, std::optional<size_t> col,
                       const IdTable& table, std::string_view kind, bool* skip);
  Result<int64_t> integer(const CsvTable& t, size_t row, size_t col, int64_t lo, int64_t hi);
  Result<Money> amount(const CsvTable& t, size_t row, size_t col, std::string_view currency);

  Result<void> agencies();
  Result<void> routes();
  Result<void> stops();
  Result<void> calendars();
  Result<void> route_stops();
  Result<void> networks();
  Result<void> fares_v1();
  Result<void> fares_v2();
  Result<void> leg_rules();
  Result<void> transfer_rules();
  Result<void> join_rules();

  std::filesystem::path dir_;
  GtfsLoadOptions options_;
  GtfsFeed feed_;
  Errors warnings_;
  bool currency_set_ = false;
};

Result<std::optional<CsvTable>> Loader::open(const char* file, bool required) {
  std::filesystem::path p = dir_ / file;
  if (!std::filesystem::exists(p)) {
    if (required) {
      return Error{(dir_ / file).string(), "required GTFS file is missing"};
    }
    return std::optional<CsvTable>();
  }
  auto t = CsvTable::read(p);
  if (!t) {
    return t.error();
  }
  return std::optional<CsvTable>(std::move(t).value());
}

Result<void> Loader::unknown(const CsvTable& t, size_t row, size_t col, std::string_view kind,
                             std::string_view id) {
  Error e = t.error(row, col, "unknown " + std::string(kind) + " \"" + std::string(id) + "\"");
  if (options_.strict) {
    return e;
  }
  e.where = t.where(row);
  e.what += "; row set aside";
  warnings_.push_back(std::move(e));
  return {};
}

Result<uint32_t> Loader::ref(const CsvTable& t, size_t row, std::optional<size_t> col,
                             const IdTable& table, std::string_view kind, bool* skip) {
  std::string_view v = t.field(row, col);
  if (v.empty()) {
    return kNone;
  }
  if (auto i = table.find(v)) {
    return *i;
  }
  if (auto r = unknown(t, row, *col, kind, v); !r) {
    return r.error();
  }
  *skip = true;
  return kNone;
}

Result<int64_t> Loader::integer(const CsvTable& t, size_t row, size_t col, int64_t lo, int64_t hi) {
  auto v = parse_int(t.field(row, col));
  if (!v) {
    return t.error(row, col, v.error().what);
  }
  if (*v < lo || *v > hi) {
    return t.error(row, col,
                   "expected " + std::to_string(lo) + ".." + std::to_string(hi) + ", found " +
                       std::to_string(*v));
  }
  return *v;
}

Result<Money> Loader::amount(const CsvTable& t, size_t row, size_t col,
                             std::string_view currency_code) {
  auto cur = Currency::from_code(currency_code);
  if (!cur) {
    return t.error(row, col, cur.error().what);
  }
  if (!currency_set_) {
    feed_.currency = *cur;
    currency_set_ = true;
  } else if (!(feed_.currency == *cur)) {
    return t.error(row, col,
                   "currency " + std::string(currency_code) + " differs from the feed's " +
                       std::string(feed_.currency.code()) + "; one currency per feed");
  }
  auto m = Money::parse(t.field(row, col), *cur);
  if (!m) {
    return t.error(row, col, m.error().what);
  }
  return *m;
}

#define HCESIM_TRY(expr)                                                                           \
  if (auto r_ = (expr); !r_) {                                                                     \
    return r_.error();                                                                             \
  }

Result<void> Loader::agencies() {
  auto t = open("agency.txt", true);
  HCESIM_TRY(t);
  const CsvTable& a = **t;
  auto id = a.column("agency_id");
  auto tz = a.column("agency_timezone");
  for (size_t r = 0; r < a.rows(); ++r) {
    feed_.agencies.intern(a.field(r, id)); // a lone agency may leave agency_id empty
    if (feed_.agency_timezone.empty()) {
      feed_.agency_timezone = std::string(a.field(r, tz));
    }
  }
  return {};
}

Result<void> Loader::routes() {
  auto t = open("routes.txt", true);
  HCESIM_TRY(t);
  const CsvTable& rt = **t;
  auto id = rt.require_column("route_id");
  HCESIM_TRY(id);
  auto agency = rt.column("agency_id");
  auto network = rt.column("network_id");
  for (size_t r = 0; r < rt.rows(); ++r) {
    std::string_view rid = rt.field(r, *id);
    if (rid.empty()) {
      return rt.error(r, *id, "empty route_id");
    }
    const uint32_t i = feed_.routes.intern(rid);
    if (i < feed_.route.size()) {
      return rt.error(r, *id, "duplicate route_id \"" + std::string(rid) + "\"");
    }
    GtfsRoute route;
    std::string_view ag = rt.field(r, agency);
    if (auto a = feed_.agencies.find(ag)) {
      route.agency = *a;
    } else if (!ag.empty()) {
      HCESIM_TRY(unknown(rt, r, *agency, "agency_id", ag));
    }
    std::string_view nw = rt.field(r, network);
    if (!nw.empty()) {
      route.network = feed_.networks.intern(nw);
    }
    feed_.route.push_back(route);
  }
  return {};
}

Result<void> Loader::stops() {
  auto t = open("stops.txt", true);
  HCESIM_TRY(t);
  const CsvTable& st = **t;
  auto id = st.require_column("stop_id");
  HCESIM_TRY(id);
  auto zone = st.column("zone_id");
  auto type = st.column("location_type");
  auto parent = st.column("parent_station");
  for (size_t r = 0; r < st.rows(); ++r) {
    std::string_view sid = st.field(r, *id);
    if (sid.empty()) {
      return st.error(r, *id, "empty stop_id");
    }
    const uint32_t i = feed_.stops.intern(sid);
    if (i < feed_.stop.size()) {
      return st.error(r, *id, "duplicate stop_id \"" + std::string(sid) + "\"");
    }
    GtfsStop s;
    if (std::string_view z = st.field(r, zone); !z.empty()) {
      s.zone = feed_.zones.intern(z);
    }
    if (type && !st.field(r, *type).empty()) {
      auto v = integer(st, r, *type, 0, 4);
      HCESIM_TRY(v);
      s.location_type = static_cast<uint8_t>(*v);
    }
    feed_.stop.push_back(s);
  }
  // Parents may be listed after their platforms: resolve in a second pass.
  for (size_t r = 0; parent && r < st.rows(); ++r) {
    std::string_view p = st.field(r, *parent);
    if (p.empty()) {
      continue;
    }
    const uint32_t i = *feed_.stops.find(st.field(r, *id));
    if (auto pi = feed_.stops.find(p)) {
      feed_.stop[i].parent = *pi;
      feed_.stop[*pi].children.push_back(i);
    } else {
      HCESIM_TRY(unknown(st, r, *parent, "parent_station", p));
    }
  }
  feed_.stop_areas.assign(feed_.stop.size(), {});
  return {};
}

Result<void> Loader::calendars() {
  auto cal = open("calendar.txt", false);
  HCESIM_TRY(cal);
  int32_t first = INT32_MAX;
  if (*cal) {
    const CsvTable& c = **cal;
    static constexpr const char* kDays[] = {"monday", "tuesday",  "wednesday", "thursday",
                                            "friday", "saturday", "sunday"};
    auto id = c.require_column("service_id");
    HCESIM_TRY(id);
    std::vector<size_t> day_cols;
    for (const char* d : kDays) {
      auto col = c.require_column(d);
      HCESIM_TRY(col);
      day_cols.push_back(*col);
    }
    auto start = c.require_column("start_date");
    HCESIM_TRY(start);
    auto end = c.require_column("end_date");
    HCESIM_TRY(end);
    for (size_t r = 0; r < c.rows(); ++r) {
      const uint32_t s = feed_.services.intern(c.field(r, *id));
      feed_.service.resize(feed_.services.size());
      ServiceCalendar& sc = feed_.service[s];
      for (size_t d = 0; d < 7; ++d) {
        auto v = integer(c, r, day_cols[d], 0, 1);
        HCESIM_TRY(v);
        sc.weekdays = static_cast<uint8_t>(sc.weekdays | (*v << d));
      }
      auto sd = parse_date(c.field(r, *start));
      if (!sd) {
        return c.error(r, *start, sd.error().what);
      }
      auto ed = parse_date(c.field(r, *end));
      if (!ed) {
        return c.error(r, *end, ed.error().what);
      }
      sc.start_day = *sd;
      sc.end_day = *ed;
      if (sc.weekdays != 0) {
        first = std::min(first, *sd);
      }
    }
  }
  auto dates = open("calendar_dates.txt", false);
  HCESIM_TRY(dates);
  if (*dates) {
    const CsvTable& c = **dates;
    auto id = c.require_column("service_id");
    HCESIM_TRY(id);
    auto date = c.require_column("date");
    HCESIM_TRY(date);
    auto type = c.require_column("exception_type");
    HCESIM_TRY(type);
    for (size_t r = 0; r < c.rows(); ++r) {
      const uint32_t s = feed_.services.intern(c.field(r, *id));
      feed_.service.resize(feed_.services.size());
      auto d = parse_date(c.field(r, *date));
      if (!d) {
        return c.error(r, *date, d.error().what);
      }
      auto e = integer(c, r, *type, 1, 2);
      HCESIM_TRY(e);
      feed_.service[s].exceptions.emplace_back(*d, *e == 1);
      if (*e == 1) {
        first = std::min(first, *d);
      }
    }
  }
  for (ServiceCalendar& sc : feed_.service) {
    std::sort(sc.exceptions.begin(), sc.exceptions.end());
  }
  feed_.first_service_day = first == INT32_MAX ? 0 : first;
  return {};
}

// Which stops each route's trips serve: lets a parent station stand for the right platform.
Result<void> Loader::route_stops() {
  feed_.route_stops.assign(feed_.route.size(), {});
  auto trips = open("trips.txt", false);
  HCESIM_TRY(trips);
  auto times = open("stop_times.txt", false);
  HCESIM_TRY(times);
  if (!*trips || !*times) {
    return {};
  }
  const CsvTable& tr = **trips;
  auto trip_id = tr.require_column("trip_id");
  HCESIM_TRY(trip_id);
  auto route_id = tr.require_column("route_id");
  HCESIM_TRY(route_id);
  IdTable trip_ids;
  std::vector<uint32_t> trip_route;
  for (size_t r = 0; r < tr.rows(); ++r) {
    auto route = feed_.routes.find(tr.field(r, *route_id));
    if (!route) {
      HCESIM_TRY(unknown(tr, r, *route_id, "route_id", tr.field(r, *route_id)));
      continue;
    }
    const uint32_t t = trip_ids.intern(tr.field(r, *trip_id));
    trip_route.resize(trip_ids.size(), kNone);
    trip_route[t] = *route;
  }
  const CsvTable& st = **times;
  auto st_trip = st.require_column("trip_id");
  HCESIM_TRY(st_trip);
  auto st_stop = st.column("stop_id");
  for (size_t r = 0; st_stop && r < st.rows(); ++r) {
    auto t = trip_ids.find(st.field(r, *st_trip));
    auto s = feed_.stops.find(st.field(r, *st_stop));
    if (t && s && trip_route[*t] != kNone) {
      feed_.route_stops[trip_route[*t]].push_back(*s);
    }
  }
  for (auto& v : feed_.route_stops) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  }
  return {};
}

Result<void> Loader::networks() {
  auto nw = open("networks.txt", false);
  HCESIM_TRY(nw);
  if (*nw) {
    auto id = (*nw)->require_column("network_id");
    HCESIM_TRY(id);
    for (size_t r = 0; r < (*nw)->rows(); ++r) {
      feed_.networks.intern((*nw)->field(r, *id));
    }
  }
  auto rn = open("route_networks.txt", false);
  HCESIM_TRY(rn);
  if (*rn) {
    const CsvTable& t = **rn;
    auto n = t.require_column("network_id");
    HCESIM_TRY(n);
    auto rt = t.require_column("route_id");
    HCESIM_TRY(rt);
    for (size_t r = 0; r < t.rows(); ++r) {
      bool skip = false;
      auto route = ref(t, r, *rt, feed_.routes, "route_id", &skip);
      HCESIM_TRY(route);
      if (skip || *route == kNone) {
        continue;
      }
      feed_.route[*route].network = feed_.networks.intern(t.field(r, *n));
    }
  }
  return {};
}

Result<void> Loader::fares_v1() {
  auto fa = open("fare_attributes.txt", false);
  HCESIM_TRY(fa);
  if (!*fa) {
    return {};
  }
  feed_.has_v1 = true;
  const CsvTable& a = **fa;
  auto id = a.require_column("fare_id");
  HCESIM_TRY(id);
  auto price = a.require_column("price");
  HCESIM_TRY(price);
  auto currency = a.require_column("currency_type");
  HCESIM_TRY(currency);
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
    HCESIM_TRY(m);
    fare.price = *m;
    if (payment && !a.field(r, *payment).empty()) {
      auto v = integer(a, r, *payment, 0, 1);
      HCESIM_TRY(v);
      fare.payment_method = static_cast<uint8_t>(*v);
    }
    if (transfers && !a.field(r, *transfers).empty()) {
      auto v = integer(a, r, *transfers, 0, 2);
      HCESIM_TRY(v);
      fare.transfers = static_cast<int32_t>(*v);
    }
    if (duration && !a.field(r, *duration).empty()) {
      auto v = integer(a, r, *duration, 0, INT32_MAX);
      HCESIM_TRY(v);
      fare.transfer_duration_s = *v;
    }
    if (std::string_view ag = a.field(r, agency); !ag.empty()) {
      if (auto ai = feed_.agencies.find(ag)) {
        fare.agency = *ai;
      } else {
        HCESIM_TRY(unknown(a, r, *agency, "agency_id", ag));
      }
    }
    feed_.fare_attributes.push_back(fare);
  }
  auto fr = open("fare_rules.txt", false);
  HCESIM_TRY(fr);
  if (!*fr) {
    return {};
  }
  feed_.has_fare_rules_v1_file = true;
  const CsvTable& t = **fr;
  auto fid = t.require_column("fare_id");
  HCESIM_TRY(fid);
  auto route = t.column("route_id");
  auto origin = t.column("origin_id");
  auto dest = t.column("destination_id");
  auto contains = t.column("contains_id");
  for (size_t r = 0; r < t.rows(); ++r) {
    bool skip = false;
    FareRuleV1 rule;
    auto f = ref(t, r, *fid, feed_.fares_v1, "fare_id", &skip);
    HCESIM_TRY(f);
    auto rt = ref(t, r, route, feed_.routes, "route_id", &skip);
    HCESIM_TRY(rt);
    auto o = ref(t, r, origin, feed_.zones, "origin_id (zone)", &skip);
    HCESIM_TRY(o);
    auto d = ref(t, r, dest, feed_.zones, "destination_id (zone)", &skip);
    HCESIM_TRY(d);
    auto c = ref(t, r, contains, feed_.zones, "contains_id (zone)", &skip);
    HCESIM_TRY(c);
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
  auto areas = open("areas.txt", false);
  HCESIM_TRY(areas);
  if (*areas) {
    auto id = (*areas)->require_column("area_id");
    HCESIM_TRY(id);
    for (size_t r = 0; r < (*areas)->rows(); ++r) {
      feed_.areas.intern((*areas)->field(r, *id));
    }
  }
  auto sa = open("stop_areas.txt", false);
  HCESIM_TRY(sa);
  if (*sa) {
    const CsvTable& t = **sa;
    auto area = t.require_column("area_id");
    HCESIM_TRY(area);
    auto stop = t.require_column("stop_id");
    HCESIM_TRY(stop);
    for (size_t r = 0; r < t.rows(); ++r) {
      bool skip = false;
      auto a = ref(t, r, *area, feed_.areas, "area_id", &skip);
      HCESIM_TRY(a);
      auto s = ref(t, r, *stop, feed_.stops, "stop_id", &skip);
      HCESIM_TRY(s);
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
  auto media = open("fare_media.txt", false);
  HCESIM_TRY(media);
  if (*media) {
    auto id = (*media)->require_column("fare_media_id");
    HCESIM_TRY(id);
    for (size_t r = 0; r < (*media)->rows(); ++r) {
      feed_.media.intern((*media)->field(r, *id));
    }
  }
  auto cats = open("rider_categories.txt", false);
  HCESIM_TRY(cats);
  if (*cats) {
    const CsvTable& t = **cats;
    auto id = t.require_column("rider_category_id");
    HCESIM_TRY(id);
    auto def = t.column("is_default_fare_category");
    for (size_t r = 0; r < t.rows(); ++r) {
      const uint32_t c = feed_.categories.intern(t.field(r, *id));
      if (t.field(r, def) == "1") {
        feed_.default_category = c;
      }
    }
  }
  auto tf = open("timeframes.txt", false);
  HCESIM_TRY(tf);
  if (*tf) {
    const CsvTable& t = **tf;
    auto group = t.require_column("timeframe_group_id");
    HCESIM_TRY(group);
    auto service = t.require_column("service_id");
    HCESIM_TRY(service);
    auto start = t.column("start_time");
    auto end = t.column("end_time");
    for (size_t r = 0; r < t.rows(); ++r) {
      Timeframe f;
      f.group = feed_.timeframe_groups.intern(t.field(r, *group));
      bool skip = false;
      auto s = ref(t, r, *service, feed_.services, "service_id", &skip);
      HCESIM_TRY(s);
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
  HCESIM_TRY(fp);
  {
    const CsvTable& t = **fp;
    auto id = t.require_column("fare_product_id");
    HCESIM_TRY(id);
    auto amt = t.require_column("amount");
    HCESIM_TRY(amt);
    auto cur = t.require_column("currency");
    HCESIM_TRY(cur);
    auto medium = t.column("fare_media_id");
    auto category = t.column("rider_category_id");
    for (size_t r = 0; r < t.rows(); ++r) {
      bool skip = false;
      FareOffer o;
      o.product = feed_.products.intern(t.field(r, *id));
      auto m = ref(t, r, medium, feed_.media, "fare_media_id", &skip);
      HCESIM_TRY(m);
      auto c = ref(t, r, category, feed_.categories, "rider_category_id", &skip);
      HCESIM_TRY(c);
      auto a = amount(t, r, *amt, t.field(r, *cur));
      HCESIM_TRY(a);
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
  HCESIM_TRY(leg_rules());
  HCESIM_TRY(transfer_rules());
  HCESIM_TRY(join_rules());
  return {};
}

Result<void> Loader::leg_rules() {
  auto fl = open("fare_leg_rules.txt", true);
  HCESIM_TRY(fl);
  const CsvTable& t = **fl;
  auto product = t.require_column("fare_product_id");
  HCESIM_TRY(product);
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
    HCESIM_TRY(n);
    auto fa = ref(t, r, from_area, feed_.areas, "area_id", &skip);
    HCESIM_TRY(fa);
    auto ta = ref(t, r, to_area, feed_.areas, "area_id", &skip);
    HCESIM_TRY(ta);
    auto ft = ref(t, r, from_tf, feed_.timeframe_groups, "timeframe_group_id", &skip);
    HCESIM_TRY(ft);
    auto tt = ref(t, r, to_tf, feed_.timeframe_groups, "timeframe_group_id", &skip);
    HCESIM_TRY(tt);
    auto p = ref(t, r, *product, feed_.products, "fare_product_id", &skip);
    HCESIM_TRY(p);
    if (priority && !t.field(r, *priority).empty()) {
      auto v = integer(t, r, *priority, 0, INT32_MAX);
      HCESIM_TRY(v);
      rule.priority = static_cast<int32_t>(*v);
    }
    if (transfer_only && !t.field(r, *transfer_only).empty()) {
      auto v = integer(t, r, *transfer_only, 0, 1);
      HCESIM_TRY(v);
      rule.transfer_only = *v == 1;
    }
    if (skip) {
      continue;
    }
    if (*p == kNone) {
      return t.error(r, *product, "empty fare_product_id");
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
  HCESIM_TRY(ft);
  if (!*ft) {
    return {};
  }
  const CsvTable& t = **ft;
  auto type = t.require_column("fare_transfer_type");
  HCESIM_TRY(type);
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
    HCESIM_TRY(f);
    auto g = ref(t, r, to, feed_.leg_groups, "leg_group_id", &skip);
    HCESIM_TRY(g);
    auto p = ref(t, r, product, feed_.products, "fare_product_id", &skip);
    HCESIM_TRY(p);
    auto fp = ref(t, r, filter, feed_.products, "fare_product_id", &skip);
    HCESIM_TRY(fp);
    auto ty = integer(t, r, *type, 0, 2);
    HCESIM_TRY(ty);
    if (count && !t.field(r, *count).empty()) {
      auto v = integer(t, r, *count, -1, INT32_MAX);
      HCESIM_TRY(v);
      if (*v == 0) {
        return t.error(r, *count, "transfer_count must be -1 or at least 1");
      }
      rule.transfer_count = static_cast<int32_t>(*v);
    }
    if (limit && !t.field(r, *limit).empty()) {
      auto v = integer(t, r, *limit, 1, INT32_MAX);
      HCESIM_TRY(v);
      rule.duration_limit_s = *v;
      if (!limit_type || t.field(r, *limit_type).empty()) {
        return t.error(r, limit_type ? *limit_type : *limit,
                       "duration_limit_type is required when duration_limit is set");
      }
      auto lt = integer(t, r, *limit_type, 0, 3);
      HCESIM_TRY(lt);
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
  HCESIM_TRY(fj);
  if (!*fj) {
    return {};
  }
  const CsvTable& t = **fj;
  auto fn = t.require_column("from_network_id");
  HCESIM_TRY(fn);
  auto tn = t.require_column("to_network_id");
  HCESIM_TRY(tn);
  auto fs = t.column("from_stop_id");
  auto ts = t.column("to_stop_id");
  for (size_t r = 0; r < t.rows(); ++r) {
    bool skip = false;
    FareLegJoinRule rule;
    auto a = ref(t, r, *fn, feed_.networks, "network_id", &skip);
    HCESIM_TRY(a);
    auto b = ref(t, r, *tn, feed_.networks, "network_id", &skip);
    HCESIM_TRY(b);
    auto c = ref(t, r, fs, feed_.stops, "stop_id", &skip);
    HCESIM_TRY(c);
    auto d = ref(t, r, ts, feed_.stops, "stop_id", &skip);
    HCESIM_TRY(d);
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

Result<GtfsLoad> Loader::run() {
  HCESIM_TRY(agencies());
  HCESIM_TRY(routes());
  HCESIM_TRY(stops());
  HCESIM_TRY(calendars());
  HCESIM_TRY(networks());
  HCESIM_TRY(route_stops());
  HCESIM_TRY(fares_v1());
  HCESIM_TRY(fares_v2());
  if (!feed_.has_v1 && !feed_.has_v2) {
    return Error{dir_.string(), "feed has no fares: expected fare_attributes.txt (Fares v1) or "
                                "fare_products.txt and fare_leg_rules.txt (Fares v2)"};
  }
  GtfsLoad out;
  out.feed = std::move(feed_);
  out.warnings = std::move(warnings_);
  return out;
}

#undef HCESIM_TRY

} // namespace

Result<GtfsLoad> load_gtfs(const std::filesystem::path& dir, const GtfsLoadOptions& options) {
  if (!std::filesystem::is_directory(dir)) {
    return Error{dir.string(), "not a folder"};
  }
  return Loader(dir, options).run();
}

} // namespace hcesim::fare
