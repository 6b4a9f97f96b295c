#include "models/city/gtfs_city.h"

#include "hce/fare/csv_reader.h"
#include "hce/fare/service_date.h"
#include "models/city/geo.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

namespace hcesim::models {
namespace {

namespace fs = std::filesystem;
using fare::CsvTable;

constexpr int32_t kZonesPerSide = 40; // as the synthetic city: bounds the path table

std::optional<int32_t> day_number(int y, unsigned m, unsigned d) {
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m},
                                        std::chrono::day{d}};
  if (!ymd.ok()) {
    return std::nullopt;
  }
  return static_cast<int32_t>(std::chrono::sys_days(ymd).time_since_epoch().count());
}

// "20250405" (GTFS) or "2025-04-05" (scenario files).
std::optional<int32_t> parse_date(std::string_view s) {
  std::string digits;
  for (char c : s) {
    if (c != '-') {
      digits.push_back(c);
    }
  }
  if (digits.size() != 8 || !std::all_of(digits.begin(), digits.end(), ::isdigit)) {
    return std::nullopt;
  }
  const int v = std::atoi(digits.c_str());
  return day_number(v / 10000, static_cast<unsigned>(v / 100 % 100),
                    static_cast<unsigned>(v % 100));
}

bool parse_double(std::string_view text, double& out) {
  const std::string s(text);
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return !s.empty() && end == s.c_str() + s.size() && std::isfinite(out);
}

// A GTFS Time: HH:MM:SS (H:MM:SS too), hours past 24 for service after midnight.
Result<Duration> parse_gtfs_time(std::string_view s) {
  const size_t colon = s.find(':');
  const auto digits = [s](size_t from, size_t n) {
    return std::all_of(s.begin() + static_cast<std::ptrdiff_t>(from),
                       s.begin() + static_cast<std::ptrdiff_t>(from + n),
                       [](char c) { return c >= '0' && c <= '9'; });
  };
  if (colon == std::string_view::npos || colon < 1 || colon > 3 || s.size() != colon + 6 ||
      s[colon + 3] != ':' || !digits(0, colon) || !digits(colon + 1, 2) || !digits(colon + 4, 2)) {
    return Error{"",
                 "expected a time HH:MM:SS (hours may pass 24), found \"" + std::string(s) + "\""};
  }
  const auto number = [s](size_t from, size_t n) {
    int64_t v = 0;
    for (size_t i = from; i < from + n; ++i) {
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  const int64_t minutes = number(colon + 1, 2);
  const int64_t seconds = number(colon + 4, 2);
  if (minutes > 59 || seconds > 59) {
    return Error{"", "expected minutes and seconds 00..59 in HH:MM:SS, found \"" + std::string(s) +
                         "\""};
  }
  return Duration::hours(number(0, colon)) + Duration::minutes(minutes) +
         Duration::seconds(seconds);
}

// A row with fewer or more fields than the header (RFC 4180 wants the same count): for a
// stop_times row, a cut one would silently lose its times.
std::optional<Error> uneven_row(const CsvTable& t, size_t row) {
  if (t.fields(row) == t.columns()) {
    return std::nullopt;
  }
  const std::string counts = "the row has " + std::to_string(t.fields(row)) +
                             " fields, the header " + std::to_string(t.columns());
  if (t.fields(row) < t.columns()) {
    return t.error(row, t.fields(row), "missing (" + counts + "; a cut row?)");
  }
  return Error{t.where(row), counts};
}

Result<CsvTable> read_table(const fs::path& dir, const char* name, bool required) {
  const fs::path p = dir / name;
  if (!fs::exists(p)) {
    if (required) {
      return Error{p.string(), "missing: a GTFS city needs stops, routes, trips and stop_times"};
    }
    return CsvTable::parse("absent\n", name); // an absent optional file reads as no rows
  }
  return CsvTable::read(p);
}

struct Service {
  uint8_t weekdays = 0; // bit 0 Monday
  int32_t start = 0;
  int32_t end = -1;
  std::map<int32_t, bool> exceptions; // day → added
  bool active(int32_t day) const {
    const auto e = exceptions.find(day);
    if (e != exceptions.end()) {
      return e->second;
    }
    const int weekday = ((day + 3) % 7 + 7) % 7; // 1970-01-01 was a Thursday
    return day >= start && day <= end && ((weekdays >> weekday) & 1U) != 0;
  }
};

struct StopRow {
  std::string name;
  double lat = 0;
  double lon = 0;
  std::string parent;
};

struct StopTime {
  uint32_t sequence = 0;
  std::string stop;
  std::optional<Duration> arrival;
  std::optional<Duration> departure;
};

Result<std::map<std::string, Service>> read_services(const fs::path& dir) {
  auto cal = read_table(dir, "calendar.txt", false);
  if (!cal.ok()) {
    return cal.error();
  }
  auto dates = read_table(dir, "calendar_dates.txt", false);
  if (!dates.ok()) {
    return dates.error();
  }
  std::map<std::string, Service> services;
  if (cal->rows() > 0) {
    static constexpr const char* kDays[] = {"monday", "tuesday",  "wednesday", "thursday",
                                            "friday", "saturday", "sunday"};
    auto id = cal->require_column("service_id");
    auto start = cal->require_column("start_date");
    auto end = cal->require_column("end_date");
    if (!id.ok() || !start.ok() || !end.ok()) {
      return (!id.ok() ? id : !start.ok() ? start : end).error();
    }
    for (size_t r = 0; r < cal->rows(); ++r) {
      Service s;
      for (uint32_t d = 0; d < 7; ++d) {
        const auto c = cal->column(kDays[d]);
        if (cal->field(r, c) == "1") {
          s.weekdays = static_cast<uint8_t>(s.weekdays | (1U << d));
        }
      }
      const auto a = parse_date(cal->field(r, *start));
      const auto b = parse_date(cal->field(r, *end));
      if (!a || !b) {
        return cal->error(r, a ? *end : *start, "expected a date YYYYMMDD");
      }
      s.start = *a;
      s.end = *b;
      services[std::string(cal->field(r, *id))] = s;
    }
  }
  if (dates->rows() > 0) {
    auto id = dates->require_column("service_id");
    auto date = dates->require_column("date");
    auto type = dates->require_column("exception_type");
    if (!id.ok() || !date.ok() || !type.ok()) {
      return (!id.ok() ? id : !date.ok() ? date : type).error();
    }
    for (size_t r = 0; r < dates->rows(); ++r) {
      const auto d = parse_date(dates->field(r, *date));
      if (!d) {
        return dates->error(r, *date, "expected a date YYYYMMDD");
      }
      const std::string_view t = dates->field(r, *type);
      if (t != "1" && t != "2") {
        return dates->error(r, *type, "expected 1 (added) or 2 (removed)");
      }
      services[std::string(dates->field(r, *id))].exceptions[*d] = t == "1";
    }
  }
  return services;
}

// The first day from the earliest date in the calendars on which any service runs.
std::optional<int32_t> first_service_day(const std::map<std::string, Service>& services) {
  std::optional<int32_t> from;
  for (const auto& [id, s] : services) {
    if (s.weekdays != 0) {
      from = from ? std::min(*from, s.start) : s.start;
    }
    for (const auto& [day, added] : s.exceptions) {
      if (added) {
        from = from ? std::min(*from, day) : day;
      }
    }
  }
  if (!from) {
    return std::nullopt;
  }
  for (int32_t day = *from; day < *from + 800; ++day) {
    for (const auto& [id, s] : services) {
      if (s.active(day)) {
        return day;
      }
    }
  }
  return std::nullopt;
}

bool is_metro(int type) {
  return type == 1 || type == 2 || type == 12 || (type >= 100 && type < 200) ||
         (type >= 400 && type < 500);
}

} // namespace

Result<City> build_gtfs_city(const GtfsCityOptions& options) {
  const fs::path dir(options.folder);
  if (!fs::is_directory(dir)) {
    return Error{options.folder, "not a readable GTFS folder"};
  }
  for (const char* name : {"stops.txt", "routes.txt", "trips.txt", "stop_times.txt"}) {
    if (!fs::is_regular_file(dir / name)) {
      return Error{(dir / name).string(),
                   "missing: a GTFS city needs stops, routes, trips and stop_times"};
    }
  }
  if (!fs::is_regular_file(dir / "calendar.txt") &&
      !fs::is_regular_file(dir / "calendar_dates.txt")) {
    return Error{(dir / "calendar.txt").string(),
                 "missing: a GTFS city needs calendar.txt or calendar_dates.txt"};
  }

  // Services running on the chosen day.
  auto services = read_services(dir);
  if (!services.ok()) {
    return services.error();
  }
  int32_t day = 0;
  if (options.service_date.empty()) {
    const auto first = first_service_day(*services);
    if (!first) {
      return Error{(dir / "calendar.txt").string(), "no day with any service"};
    }
    day = *first;
  } else {
    const auto d = parse_date(options.service_date);
    if (!d) {
      return Error{"city.gtfs.service_date",
                   "expected YYYY-MM-DD, got \"" + options.service_date + "\""};
    }
    day = *d;
  }

  // Stops (platforms are merged into their parent stations below).
  auto stops = read_table(dir, "stops.txt", true);
  if (!stops.ok()) {
    return stops.error();
  }
  std::map<std::string, StopRow> stop_rows; // stops with a position
  std::set<std::string> stop_ids;           // every stop_id, with a position or not
  {
    auto id = stops->require_column("stop_id");
    auto lat = stops->require_column("stop_lat");
    auto lon = stops->require_column("stop_lon");
    if (!id.ok() || !lat.ok() || !lon.ok()) {
      return (!id.ok() ? id : !lat.ok() ? lat : lon).error();
    }
    const auto name = stops->column("stop_name");
    const auto parent = stops->column("parent_station");
    for (size_t r = 0; r < stops->rows(); ++r) {
      const std::string stop_id(stops->field(r, *id));
      if (stop_id.empty()) {
        return stops->error(r, *id, "expected a stop_id, found an empty field");
      }
      if (!stop_ids.insert(stop_id).second) {
        return stops->error(r, *id, "duplicate stop_id \"" + stop_id + "\"");
      }
      StopRow s{std::string(stops->field(r, name)), 0, 0, std::string(stops->field(r, parent))};
      if (stops->field(r, *lat).empty() && stops->field(r, *lon).empty()) {
        continue; // generic nodes and boarding areas carry no position
      }
      if (!parse_double(stops->field(r, *lat), s.lat) || s.lat < -90 || s.lat > 90) {
        return stops->error(r, *lat, "expected degrees in -90..90");
      }
      if (!parse_double(stops->field(r, *lon), s.lon) || s.lon < -180 || s.lon > 180) {
        return stops->error(r, *lon, "expected degrees in -180..180");
      }
      stop_rows[stop_id] = std::move(s);
    }
  }
  const auto node_of = [&stop_rows](const std::string& stop) -> std::string {
    const auto it = stop_rows.find(stop);
    if (it != stop_rows.end() && !it->second.parent.empty() &&
        stop_rows.count(it->second.parent) != 0) {
      return it->second.parent;
    }
    return stop;
  };

  // Routes, in file order.
  auto routes = read_table(dir, "routes.txt", true);
  if (!routes.ok()) {
    return routes.error();
  }
  struct RouteRow {
    std::string id;
    std::string name;
    bool metro = false;
  };
  std::vector<RouteRow> route_rows;
  std::map<std::string, uint32_t> route_index;
  {
    auto id = routes->require_column("route_id");
    auto type = routes->require_column("route_type");
    if (!id.ok() || !type.ok()) {
      return (!id.ok() ? id : type).error();
    }
    const auto short_name = routes->column("route_short_name");
    const auto long_name = routes->column("route_long_name");
    for (size_t r = 0; r < routes->rows(); ++r) {
      double t = 0;
      if (!parse_double(routes->field(r, *type), t)) {
        return routes->error(r, *type, "expected a route type number");
      }
      std::string name(routes->field(r, short_name));
      if (name.empty()) {
        name = std::string(routes->field(r, long_name));
      }
      route_index[std::string(routes->field(r, *id))] = static_cast<uint32_t>(route_rows.size());
      route_rows.push_back(
          RouteRow{std::string(routes->field(r, *id)), name, is_metro(static_cast<int>(t))});
    }
  }

  // Trips running that day.
  auto trips = read_table(dir, "trips.txt", true);
  if (!trips.ok()) {
    return trips.error();
  }
  std::map<std::string, uint32_t> trip_route; // active trip → route index
  std::map<std::string, uint32_t> trip_index; // every trip → its row in trips.txt
  {
    auto route = trips->require_column("route_id");
    auto service = trips->require_column("service_id");
    auto id = trips->require_column("trip_id");
    if (!route.ok() || !service.ok() || !id.ok()) {
      return (!route.ok() ? route : !service.ok() ? service : id).error();
    }
    for (size_t r = 0; r < trips->rows(); ++r) {
      const std::string trip_id(trips->field(r, *id));
      if (trip_id.empty()) {
        return trips->error(r, *id, "expected a trip_id, found an empty field");
      }
      if (!trip_index.emplace(trip_id, static_cast<uint32_t>(r)).second) {
        return trips->error(r, *id, "duplicate trip_id \"" + trip_id + "\"");
      }
      const std::string service_id(trips->field(r, *service));
      const auto s = services->find(service_id);
      if (s == services->end()) {
        return trips->error(r, *service,
                            "unknown service_id \"" + service_id +
                                "\" (in neither calendar.txt nor calendar_dates.txt)");
      }
      const std::string route_id(trips->field(r, *route));
      const auto ri = route_index.find(route_id);
      if (ri == route_index.end()) {
        return trips->error(r, *route, "unknown route_id \"" + route_id + "\" (not in routes.txt)");
      }
      if (s->second.active(day)) {
        trip_route[trip_id] = ri->second;
      }
    }
  }
  if (trip_route.empty()) {
    return Error{(dir / "trips.txt").string(),
                 "no trip runs on " + fare::format_date(day) +
                     (options.service_date.empty() ? std::string()
                                                   : " (city.gtfs.service_date): pick a day the "
                                                     "feed's calendar has service")};
  }

  // Stop times of those trips.
  auto times = read_table(dir, "stop_times.txt", true);
  if (!times.ok()) {
    return times.error();
  }
  std::map<std::string, std::vector<StopTime>> trip_times;
  {
    auto trip = times->require_column("trip_id");
    auto seq = times->require_column("stop_sequence");
    auto stop = times->require_column("stop_id");
    auto arr = times->require_column("arrival_time");
    auto dep = times->require_column("departure_time");
    if (!trip.ok() || !seq.ok() || !stop.ok() || !arr.ok() || !dep.ok()) {
      return (!trip.ok()   ? trip
              : !seq.ok()  ? seq
              : !stop.ok() ? stop
              : !arr.ok()  ? arr
                           : dep)
          .error();
    }
    // Every row is checked (not only those of the day's trips): a bad feed fails whatever the
    // service date.
    std::vector<std::array<uint32_t, 3>> sequences; // trip, stop_sequence, row: repeats
    sequences.reserve(times->rows());
    for (size_t r = 0; r < times->rows(); ++r) {
      if (auto e = uneven_row(*times, r)) {
        return *e;
      }
      const std::string trip_id(times->field(r, *trip));
      const auto t = trip_index.find(trip_id);
      if (t == trip_index.end()) {
        return times->error(r, *trip, "unknown trip_id \"" + trip_id + "\" (not in trips.txt)");
      }
      StopTime st;
      const auto s = fare::parse_int(times->field(r, *seq));
      if (!s.ok() || *s < 0 || *s > INT32_MAX) {
        return times->error(r, *seq,
                            "expected a non-negative integer, found \"" +
                                std::string(times->field(r, *seq)) + "\"");
      }
      st.sequence = static_cast<uint32_t>(*s);
      sequences.push_back({t->second, st.sequence, static_cast<uint32_t>(r)});
      st.stop = std::string(times->field(r, *stop));
      if (stop_ids.count(st.stop) == 0) {
        return times->error(r, *stop, "unknown stop_id \"" + st.stop + "\" (not in stops.txt)");
      }
      for (auto [col, out] : {std::pair{*arr, &st.arrival}, std::pair{*dep, &st.departure}}) {
        if (!times->field(r, col).empty()) {
          auto time = parse_gtfs_time(times->field(r, col));
          if (!time.ok()) {
            return times->error(r, col, time.error().what);
          }
          *out = *time;
        }
      }
      if (trip_route.count(trip_id) == 0) {
        continue; // not running on the service day
      }
      if (stop_rows.count(st.stop) == 0) {
        return times->error(r, *stop,
                            "stop \"" + st.stop +
                                "\" has no position (stop_lat, stop_lon empty in stops.txt)");
      }
      trip_times[trip_id].push_back(std::move(st));
    }
    std::sort(sequences.begin(), sequences.end());
    for (size_t i = 1; i < sequences.size(); ++i) {
      if (sequences[i][0] == sequences[i - 1][0] && sequences[i][1] == sequences[i - 1][1]) {
        const size_t r = sequences[i][2];
        return times->error(r, *seq,
                            "stop_sequence " + std::to_string(sequences[i][1]) +
                                " repeats within trip \"" + std::string(times->field(r, *trip)) +
                                "\" (also on line " +
                                std::to_string(times->line(sequences[i - 1][2])) + ")");
      }
    }
  }

  // Each route's most frequent stop pattern, its middle trip's run times and its mean headway.
  struct Pattern {
    std::vector<std::string> nodes;
    std::vector<std::vector<Duration>> trip_offsets; // per trip: time at each node from the first
    std::vector<Duration> starts;                    // per trip: first departure
  };
  std::vector<std::vector<Pattern>> patterns(route_rows.size());
  for (auto& [trip_id, st] : trip_times) { // map order: by trip id, deterministic
    std::sort(st.begin(), st.end(),
              [](const StopTime& a, const StopTime& b) { return a.sequence < b.sequence; });
    std::vector<std::string> nodes;
    std::vector<std::optional<Duration>> at;
    for (const StopTime& s : st) {
      const std::string node = node_of(s.stop);
      if (!nodes.empty() && nodes.back() == node) {
        continue;
      }
      if (std::find(nodes.begin(), nodes.end(), node) != nodes.end()) {
        break; // a loop: keep the part up to the first repeated stop
      }
      nodes.push_back(node);
      at.push_back(s.arrival ? s.arrival : s.departure);
    }
    if (nodes.size() < 2 || !at.front() || !at.back()) {
      continue;
    }
    // Fill missing times by interpolating between known ones.
    for (size_t i = 1; i + 1 < at.size(); ++i) {
      if (!at[i]) {
        size_t j = i + 1;
        while (!at[j]) {
          ++j;
        }
        const Duration a = *at[i - 1];
        const Duration b = *at[j];
        at[i] = a + (b - a) / static_cast<int64_t>(j - i + 1);
      }
    }
    std::vector<Duration> offsets;
    offsets.reserve(at.size());
    for (const auto& t : at) {
      offsets.push_back(*t - *at.front());
    }
    auto& list = patterns[trip_route.at(trip_id)];
    auto it = std::find_if(list.begin(), list.end(),
                           [&nodes](const Pattern& p) { return p.nodes == nodes; });
    if (it == list.end()) {
      list.push_back(Pattern{nodes, {}, {}});
      it = list.end() - 1;
    }
    it->trip_offsets.push_back(std::move(offsets));
    it->starts.push_back(*at.front());
  }

  // Positions: a plane around the mean of the stations used.
  std::vector<const Pattern*> chosen(route_rows.size(), nullptr);
  double lat_sum = 0;
  double lon_sum = 0;
  size_t used = 0;
  for (size_t r = 0; r < route_rows.size(); ++r) {
    for (const Pattern& p : patterns[r]) {
      if (chosen[r] == nullptr || p.starts.size() > chosen[r]->starts.size()) {
        chosen[r] = &p;
      }
    }
    if (chosen[r] != nullptr) {
      for (const std::string& n : chosen[r]->nodes) {
        lat_sum += stop_rows.at(n).lat;
        lon_sum += stop_rows.at(n).lon;
        ++used;
      }
    }
  }
  if (used == 0) {
    return Error{options.folder, "no route has a trip with two timed stops on the service day"};
  }
  const PlaneProjection plane{lat_sum / static_cast<double>(used),
                              lon_sum / static_cast<double>(used)};

  City city;
  std::map<std::string, uint32_t> city_stop;
  Point lo{INT32_MAX, INT32_MAX};
  Point hi{INT32_MIN, INT32_MIN};
  for (size_t r = 0; r < route_rows.size(); ++r) {
    const Pattern* p = chosen[r];
    if (p == nullptr) {
      continue;
    }
    const Mode mode = route_rows[r].metro ? Mode::kMetro : Mode::kBus;
    std::vector<uint32_t> ids;
    for (const std::string& n : p->nodes) {
      auto it = city_stop.find(n);
      if (it == city_stop.end()) {
        const StopRow& row = stop_rows.at(n);
        const Point at = plane.to_plane(row.lat, row.lon);
        lo = Point{std::min(lo.x, at.x), std::min(lo.y, at.y)};
        hi = Point{std::max(hi.x, at.x), std::max(hi.y, at.y)};
        it = city_stop.emplace(n, city.add_stop(row.name.empty() ? n : row.name, at, mode)).first;
        city.set_feed_ids(it->second, false, n);
      }
      ids.push_back(it->second);
    }
    // Run times of the pattern's middle trip by departure.
    std::vector<size_t> order(p->starts.size());
    for (size_t i = 0; i < order.size(); ++i) {
      order[i] = i;
    }
    std::sort(order.begin(), order.end(),
              [p](size_t a, size_t b) { return p->starts[a] < p->starts[b]; });
    const auto& offsets = p->trip_offsets[order[order.size() / 2]];
    std::vector<uint32_t> metres;
    std::vector<Duration> run;
    for (size_t i = 1; i < ids.size(); ++i) {
      const Point a = city.stop_at(ids[i - 1]);
      const Point b = city.stop_at(ids[i]);
      metres.push_back(static_cast<uint32_t>(std::lround(
          1.15 * std::hypot(static_cast<double>(a.x - b.x), static_cast<double>(a.y - b.y)))));
      run.push_back(std::max(Duration::seconds(20), offsets[i] - offsets[i - 1]));
    }
    const Duration first = p->starts[order.front()];
    const Duration last = p->starts[order.back()];
    Duration headway = order.size() >= 2 ? (last - first) / static_cast<int64_t>(order.size() - 1)
                                         : Duration::hours(1);
    headway = std::clamp(headway, Duration::minutes(1), Duration::hours(3));
    headway = Duration::seconds(headway / Duration::seconds(1));
    const uint32_t added =
        city.add_route(route_rows[r].name, mode, headway, first % headway, ids, metres, run);
    city.set_feed_ids(added, true, route_rows[r].id);
  }

  const int32_t longest = std::max(hi.x - lo.x, hi.y - lo.y) + 2000;
  const int32_t side = std::max<int32_t>(1000, (longest / kZonesPerSide + 99) / 100 * 100);
  const Point origin{lo.x - 1000, lo.y - 1000};
  const auto nx = static_cast<uint32_t>((hi.x - lo.x + 2000 + side - 1) / side);
  const auto ny = static_cast<uint32_t>((hi.y - lo.y + 2000 + side - 1) / side);
  city.set_zone_grid(origin, side, nx, ny);
  city.finish(options.walk);
  return city;
}

} // namespace hcesim::models
