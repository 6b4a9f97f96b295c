// Loading a GTFS folder for pricing. Rules (GTFS Schedule reference, plus what real feeds do):
// - agency.txt, routes.txt and stops.txt are required; every other file is optional, and files
//   this loader does not use are never opened.
// - Columns are found by name; unknown columns are ignored; a required column that is missing is
//   an error at file:1.
// - A malformed value (a bad integer, date, time or amount) is an error at file:line:column.
// - A reference to an id the feed never defines (a stop's parent, a rule's area, timeframe or
//   product, a stop time's trip or stop) sets that row aside with a warning at file:line, or is an
//   error when strict.
// - Amounts become exact integer minor units in the currency's decimals (base/money.h).
#include "hce/fare/gtfs_feed.h"

#include "gtfs_loader.h"
#include "hce/fare/csv_reader.h"
#include "hce/fare/service_date.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>

namespace hcesim::fare {

bool ServiceCalendar::active(int32_t day) const {
  auto it = std::lower_bound(exceptions.begin(), exceptions.end(), std::make_pair(day, false));
  if (it != exceptions.end() && it->first == day) {
    return it->second;
  }
  return day >= start_day && day <= end_day && ((weekdays >> weekday(day)) & 1) != 0;
}

namespace detail {

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
  // Pricing adds and scales amounts in int64 minor units; this bound keeps that exact.
  constexpr int64_t kMaxMinor = 1'000'000'000'000;
  if (m->minor() > kMaxMinor || m->minor() < -kMaxMinor) {
    return t.error(row, col,
                   "an amount's magnitude must be at most " + std::to_string(kMaxMinor) +
                       " minor units, found " + std::string(t.field(row, col)));
  }
  return *m;
}

Result<void> Loader::intern_ids(const char* file, const char* column, IdTable& into) {
  auto t = open(file, false);
  HCESIM_GTFS_TRY(t);
  if (*t) {
    auto id = (*t)->require_column(column);
    HCESIM_GTFS_TRY(id);
    for (size_t r = 0; r < (*t)->rows(); ++r) {
      into.intern((*t)->field(r, *id));
    }
  }
  return {};
}

Result<void> Loader::agencies() {
  auto t = open("agency.txt", true);
  HCESIM_GTFS_TRY(t);
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
  HCESIM_GTFS_TRY(t);
  const CsvTable& rt = **t;
  auto id = rt.require_column("route_id");
  HCESIM_GTFS_TRY(id);
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
      HCESIM_GTFS_TRY(unknown(rt, r, *agency, "agency_id", ag));
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
  HCESIM_GTFS_TRY(t);
  const CsvTable& st = **t;
  auto id = st.require_column("stop_id");
  HCESIM_GTFS_TRY(id);
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
      HCESIM_GTFS_TRY(v);
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
      HCESIM_GTFS_TRY(unknown(st, r, *parent, "parent_station", p));
    }
  }
  feed_.stop_areas.assign(feed_.stop.size(), {});
  return {};
}

Result<void> Loader::calendars() {
  auto cal = open("calendar.txt", false);
  HCESIM_GTFS_TRY(cal);
  int32_t first = INT32_MAX;
  if (*cal) {
    const CsvTable& c = **cal;
    static constexpr const char* kDays[] = {"monday", "tuesday",  "wednesday", "thursday",
                                            "friday", "saturday", "sunday"};
    auto id = c.require_column("service_id");
    HCESIM_GTFS_TRY(id);
    std::vector<size_t> day_cols;
    for (const char* d : kDays) {
      auto col = c.require_column(d);
      HCESIM_GTFS_TRY(col);
      day_cols.push_back(*col);
    }
    auto start = c.require_column("start_date");
    HCESIM_GTFS_TRY(start);
    auto end = c.require_column("end_date");
    HCESIM_GTFS_TRY(end);
    std::vector<bool> listed; // by service: a second row would merge into the first silently
    for (size_t r = 0; r < c.rows(); ++r) {
      const uint32_t s = feed_.services.intern(c.field(r, *id));
      feed_.service.resize(feed_.services.size());
      listed.resize(feed_.services.size());
      if (listed[s]) {
        return c.error(r, *id, "duplicate service_id");
      }
      listed[s] = true;
      ServiceCalendar& sc = feed_.service[s];
      for (size_t d = 0; d < 7; ++d) {
        auto v = integer(c, r, day_cols[d], 0, 1);
        HCESIM_GTFS_TRY(v);
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
  HCESIM_GTFS_TRY(dates);
  if (*dates) {
    const CsvTable& c = **dates;
    auto id = c.require_column("service_id");
    HCESIM_GTFS_TRY(id);
    auto date = c.require_column("date");
    HCESIM_GTFS_TRY(date);
    auto type = c.require_column("exception_type");
    HCESIM_GTFS_TRY(type);
    for (size_t r = 0; r < c.rows(); ++r) {
      const uint32_t s = feed_.services.intern(c.field(r, *id));
      feed_.service.resize(feed_.services.size());
      auto d = parse_date(c.field(r, *date));
      if (!d) {
        return c.error(r, *date, d.error().what);
      }
      auto e = integer(c, r, *type, 1, 2);
      HCESIM_GTFS_TRY(e);
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
  HCESIM_GTFS_TRY(trips);
  auto times = open("stop_times.txt", false);
  HCESIM_GTFS_TRY(times);
  if (!*trips || !*times) {
    return {};
  }
  const CsvTable& tr = **trips;
  auto trip_id = tr.require_column("trip_id");
  HCESIM_GTFS_TRY(trip_id);
  auto route_id = tr.require_column("route_id");
  HCESIM_GTFS_TRY(route_id);
  IdTable trip_ids;
  std::vector<uint32_t> trip_route;
  std::set<std::string, std::less<>> known_trips; // every trip_id of trips.txt
  for (size_t r = 0; r < tr.rows(); ++r) {
    known_trips.emplace(tr.field(r, *trip_id));
    auto route = feed_.routes.find(tr.field(r, *route_id));
    if (!route) {
      HCESIM_GTFS_TRY(unknown(tr, r, *route_id, "route_id", tr.field(r, *route_id)));
      continue;
    }
    const uint32_t t = trip_ids.intern(tr.field(r, *trip_id));
    trip_route.resize(trip_ids.size(), kNone);
    trip_route[t] = *route;
  }
  const CsvTable& st = **times;
  auto st_trip = st.require_column("trip_id");
  HCESIM_GTFS_TRY(st_trip);
  auto st_stop = st.column("stop_id");
  for (size_t r = 0; st_stop && r < st.rows(); ++r) {
    auto t = trip_ids.find(st.field(r, *st_trip));
    if (!t) {
      // A trip set aside above for its route is known here; any other trip_id is not.
      if (known_trips.count(std::string(st.field(r, *st_trip))) == 0) {
        HCESIM_GTFS_TRY(unknown(st, r, *st_trip, "trip_id", st.field(r, *st_trip)));
      }
      continue;
    }
    std::string_view stop = st.field(r, *st_stop);
    auto s = feed_.stops.find(stop);
    if (!s) {
      if (!stop.empty()) { // empty: a GTFS-Flex row (location_id / location_group_id instead)
        HCESIM_GTFS_TRY(unknown(st, r, *st_stop, "stop_id", stop));
      }
      continue;
    }
    if (trip_route[*t] != kNone) {
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
  HCESIM_GTFS_TRY(intern_ids("networks.txt", "network_id", feed_.networks));
  auto rn = open("route_networks.txt", false);
  HCESIM_GTFS_TRY(rn);
  if (*rn) {
    const CsvTable& t = **rn;
    auto n = t.require_column("network_id");
    HCESIM_GTFS_TRY(n);
    auto rt = t.require_column("route_id");
    HCESIM_GTFS_TRY(rt);
    for (size_t r = 0; r < t.rows(); ++r) {
      bool skip = false;
      auto route = ref(t, r, *rt, feed_.routes, "route_id", &skip);
      HCESIM_GTFS_TRY(route);
      if (skip || *route == kNone) {
        continue;
      }
      feed_.route[*route].network = feed_.networks.intern(t.field(r, *n));
    }
  }
  return {};
}

Result<GtfsLoad> Loader::run() {
  HCESIM_GTFS_TRY(agencies());
  HCESIM_GTFS_TRY(routes());
  HCESIM_GTFS_TRY(stops());
  HCESIM_GTFS_TRY(calendars());
  HCESIM_GTFS_TRY(networks());
  HCESIM_GTFS_TRY(route_stops());
  HCESIM_GTFS_TRY(fares_v1());
  HCESIM_GTFS_TRY(fares_v2());
  if (!feed_.has_v1 && !feed_.has_v2) {
    return Error{dir_.string(), "feed has no fares: expected fare_attributes.txt (Fares v1) or "
                                "fare_products.txt and fare_leg_rules.txt (Fares v2)"};
  }
  GtfsLoad out;
  out.feed = std::move(feed_);
  out.warnings = std::move(warnings_);
  return out;
}

} // namespace detail

Result<GtfsLoad> load_gtfs(const std::filesystem::path& dir, const GtfsLoadOptions& options) {
  if (!std::filesystem::is_directory(dir)) {
    return Error{dir.string(), "not a folder"};
  }
  return detail::Loader(dir, options).run();
}

} // namespace hcesim::fare
