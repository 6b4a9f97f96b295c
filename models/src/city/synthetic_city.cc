#include "models/city/synthetic_city.h"

#include "models/city/geo.h"
#include "sim/random_stream.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <numbers>

namespace hcesim::models {
namespace {

constexpr int32_t kBusStopSpacing = 600; // bus stops sit on a lattice of this pitch
constexpr double kMetroSpeed = 15.0;     // m/s between stations, plus a fixed dwell
constexpr int64_t kMetroDwellS = 45;
constexpr int64_t kBusDwellS = 20;
constexpr int32_t kSnapM = 400; // a new line's station this close to another line's becomes shared
constexpr double kPi = std::numbers::pi;

struct Extent {
  Point lo;
  Point hi;
  bool contains(Point p, int32_t margin) const {
    return p.x >= lo.x + margin && p.x <= hi.x - margin && p.y >= lo.y + margin &&
           p.y <= hi.y - margin;
  }
};

double distance(Point a, Point b) {
  return std::hypot(static_cast<double>(a.x - b.x), static_cast<double>(a.y - b.y));
}

Duration metro_run(uint32_t metres) {
  return Duration::seconds(kMetroDwellS + std::lround(metres / kMetroSpeed));
}

Duration draw_phase(sim::RandomStream& s, Duration headway) {
  return Duration::seconds(
      static_cast<int64_t>(s.uniform_int(static_cast<uint64_t>(headway / Duration::seconds(1)))));
}

// Line 1 from its stations: positions projected on a local plane around the central station.
std::vector<Point> project(const std::vector<LineStation>& line) {
  const LineStation& c = line[std::min<std::size_t>(12, line.size() / 2)]; // 八一广场 in Nanchang
  const PlaneProjection plane{c.lat, c.lon};
  std::vector<Point> out;
  out.reserve(line.size());
  for (const LineStation& s : line) {
    out.push_back(plane.to_plane(s.lat, s.lon));
  }
  return out;
}

void add_generated_line(City& city, uint32_t k, const ScenarioConfig& cfg, const Extent& ext,
                        const std::vector<uint32_t>& line1, std::vector<uint32_t>& metro_stops) {
  sim::RandomStream s(cfg.seed, kCityPurpose, k);
  const uint32_t lines = cfg.city.metro_lines;
  const uint32_t n = cfg.city.stations_per_line;
  // Each line crosses line 1 at a central station, at an angle spread over the other lines.
  static constexpr std::array<uint32_t, 11> kAnchors{12, 9, 15, 6, 18, 10, 14, 4, 20, 8, 16};
  const uint32_t anchor =
      line1[std::min<std::size_t>(kAnchors[(k - 1) % kAnchors.size()], line1.size() - 1)];
  const double spread = 120.0 * (static_cast<double>(k) - 1.5) / static_cast<double>(lines - 1);
  const double heading0 = (30.0 + spread + (s.next_double() * 20.0 - 10.0)) * kPi / 180.0;
  const auto m = static_cast<uint32_t>(n / 3 + s.uniform_int(n / 3 + 1));
  std::vector<uint32_t> stops(n, 0);
  std::vector<Point> at(n);
  stops[m] = anchor;
  at[m] = city.stop_at(anchor);
  for (int dir : {1, -1}) {
    double heading = dir > 0 ? heading0 : heading0 + kPi;
    for (int64_t i = static_cast<int64_t>(m) + dir; i >= 0 && i < static_cast<int64_t>(n);
         i += dir) {
      const Point prev = at[static_cast<std::size_t>(i - dir)];
      const double step = 900.0 + s.next_double() * 700.0;
      heading += (s.next_double() * 16.0 - 8.0) * kPi / 180.0;
      Point p;
      for (int turn = 0; turn < 12; ++turn) { // turn back into the city at its edge
        p = Point{prev.x + static_cast<int32_t>(std::lround(step * std::cos(heading))),
                  prev.y + static_cast<int32_t>(std::lround(step * std::sin(heading)))};
        if (ext.contains(p, 500)) {
          break;
        }
        heading += 30.0 * kPi / 180.0;
      }
      uint32_t stop = UINT32_MAX;
      for (uint32_t other : metro_stops) {
        const bool on_this_line = std::find(stops.begin(), stops.end(), other) != stops.end();
        if (!on_this_line && distance(city.stop_at(other), p) <= kSnapM) {
          stop = other; // an interchange with another line
          break;
        }
      }
      if (stop == UINT32_MAX) {
        stop = city.add_stop("L" + std::to_string(k + 1) + "-" + std::to_string(i + 1), p,
                             Mode::kMetro);
        metro_stops.push_back(stop);
      }
      stops[static_cast<std::size_t>(i)] = stop;
      at[static_cast<std::size_t>(i)] = city.stop_at(stop);
    }
  }
  std::vector<uint32_t> metres;
  std::vector<Duration> run;
  for (uint32_t i = 1; i < n; ++i) {
    const auto d =
        static_cast<uint32_t>(std::max(400L, std::lround(distance(at[i - 1], at[i]) * 1.12)));
    metres.push_back(d);
    run.push_back(metro_run(d));
  }
  const Duration headway = Duration::minutes(5 + static_cast<int64_t>(s.uniform_int(4)));
  city.add_route("Line " + std::to_string(k + 1), Mode::kMetro, headway, draw_phase(s, headway),
                 stops, metres, run);
}

// A bus route: a staircase walk over the stop lattice, turning back at the city's edge.
void add_bus_route(City& city, uint32_t r, const ScenarioConfig& cfg, const Extent& ext,
                   std::vector<uint32_t>& lattice_stop) {
  sim::RandomStream s(cfg.seed, kCityPurpose, 1000 + uint64_t{r});
  const int32_t lx = (ext.hi.x - ext.lo.x) / kBusStopSpacing + 1;
  const int32_t ly = (ext.hi.y - ext.lo.y) / kBusStopSpacing + 1;
  // It starts at a stop already in the network (a bus stop, or the lattice point beside a metro
  // station), so the network grows connected: every stop is reachable from every other.
  const uint32_t start = static_cast<uint32_t>(s.uniform_int(city.stop_count()));
  const Point from = city.stop_at(start);
  int32_t x = std::clamp((from.x - ext.lo.x + kBusStopSpacing / 2) / kBusStopSpacing, 0, lx - 1);
  int32_t y = std::clamp((from.y - ext.lo.y + kBusStopSpacing / 2) / kBusStopSpacing, 0, ly - 1);
  int32_t dx = s.next_double() < 0.5 ? 1 : -1;
  int32_t dy = s.next_double() < 0.5 ? 1 : -1;
  // Mostly along one axis, so a route runs fairly straight across town.
  const double bias = 0.1 + 0.2 * s.next_double();
  const double px = s.next_double() < 0.5 ? bias : 1.0 - bias;
  std::vector<std::pair<int32_t, int32_t>> cells{{x, y}};
  const auto visited = [&cells](int32_t cx, int32_t cy) {
    return std::find(cells.begin(), cells.end(), std::pair{cx, cy}) != cells.end();
  };
  const auto try_move = [&](bool along_x) {
    int32_t& d = along_x ? dx : dy;
    for (int attempt = 0; attempt < 2; ++attempt) {
      const int32_t nx = along_x ? x + d : x;
      const int32_t ny = along_x ? y : y + d;
      if (nx >= 0 && nx < lx && ny >= 0 && ny < ly && !visited(nx, ny)) {
        x = nx;
        y = ny;
        return true;
      }
      d = -d;
    }
    return false;
  };
  while (cells.size() < cfg.city.stops_per_bus_route) {
    const bool along_x = s.next_double() < px;
    if (!try_move(along_x) && !try_move(!along_x)) {
      break;
    }
    cells.emplace_back(x, y);
  }
  if (cells.size() < 2) {
    return;
  }
  const double speed = 4.5 + 2.0 * s.next_double(); // m/s between stops
  static constexpr std::array<int64_t, 6> kHeadwayMin{6, 8, 10, 12, 15, 20};
  const Duration headway = Duration::minutes(kHeadwayMin[s.uniform_int(kHeadwayMin.size())]);
  std::vector<uint32_t> stops;
  for (auto [cx, cy] : cells) {
    uint32_t& id = lattice_stop[static_cast<std::size_t>(cy) * static_cast<std::size_t>(lx) +
                                static_cast<std::size_t>(cx)];
    if (id == UINT32_MAX) {
      id = city.add_stop("B" + std::to_string(cx) + "-" + std::to_string(cy),
                         Point{ext.lo.x + cx * kBusStopSpacing, ext.lo.y + cy * kBusStopSpacing},
                         Mode::kBus);
    }
    stops.push_back(id);
  }
  const std::vector<uint32_t> metres(stops.size() - 1, kBusStopSpacing);
  const std::vector<Duration> run(
      stops.size() - 1, Duration::seconds(kBusDwellS + std::lround(kBusStopSpacing / speed)));
  city.add_route("Bus " + std::to_string(r + 1), Mode::kBus, headway, draw_phase(s, headway), stops,
                 metres, run);
}

} // namespace

City build_synthetic_city(const ScenarioConfig& cfg, const std::vector<LineStation>& line1,
                          const WalkRules& rules) {
  assert(line1.size() >= 2);
  City city;
  const std::vector<Point> line1_at = project(line1);

  // The city: a square of size_km around the central station, grown to hold line 1.
  const int32_t half = static_cast<int32_t>(cfg.city.size_km) * 500;
  Extent ext{{-half, -half}, {half, half}};
  for (Point p : line1_at) {
    ext.lo = Point{std::min(ext.lo.x, p.x - 1000), std::min(ext.lo.y, p.y - 1000)};
    ext.hi = Point{std::max(ext.hi.x, p.x + 1000), std::max(ext.hi.y, p.y + 1000)};
  }
  const int32_t longest = std::max(ext.hi.x - ext.lo.x, ext.hi.y - ext.lo.y);
  const int32_t side =
      std::max<int32_t>(1000, (longest / static_cast<int32_t>(kMaxZonesPerSide) + 99) / 100 * 100);
  const auto nx = static_cast<uint32_t>((ext.hi.x - ext.lo.x + side - 1) / side);
  const auto ny = static_cast<uint32_t>((ext.hi.y - ext.lo.y + side - 1) / side);
  ext.hi =
      Point{ext.lo.x + static_cast<int32_t>(nx) * side, ext.lo.y + static_cast<int32_t>(ny) * side};
  city.set_zone_grid(ext.lo, side, nx, ny);

  // Line 1.
  std::vector<uint32_t> metro_stops;
  std::vector<uint32_t> metres;
  std::vector<Duration> run;
  for (std::size_t i = 0; i < line1.size(); ++i) {
    metro_stops.push_back(city.add_stop(line1[i].name, line1_at[i], Mode::kMetro));
    if (i > 0) {
      metres.push_back(line1[i].metres_from_previous);
      run.push_back(metro_run(line1[i].metres_from_previous));
    }
  }
  const std::vector<uint32_t> line1_stops = metro_stops;
  sim::RandomStream s0(cfg.seed, kCityPurpose, 0);
  city.add_route("Line 1", Mode::kMetro, Duration::minutes(5), draw_phase(s0, Duration::minutes(5)),
                 line1_stops, metres, run);
  for (uint32_t k = 1; k < cfg.city.metro_lines; ++k) {
    add_generated_line(city, k, cfg, ext, line1_stops, metro_stops);
  }

  // Bus routes on the stop lattice.
  const int32_t lx = (ext.hi.x - ext.lo.x) / kBusStopSpacing + 1;
  const int32_t ly = (ext.hi.y - ext.lo.y) / kBusStopSpacing + 1;
  std::vector<uint32_t> lattice_stop(static_cast<std::size_t>(lx) * static_cast<std::size_t>(ly),
                                     UINT32_MAX);
  for (uint32_t r = 0; r < cfg.city.bus_routes; ++r) {
    add_bus_route(city, r, cfg, ext, lattice_stop);
  }
  city.set_headway_factors(
      HeadwayFactors{cfg.city.off_peak_headway_factor, cfg.city.night_headway_factor});
  city.finish(rules);
  return city;
}

City build_synthetic_city(const ScenarioConfig& cfg, const WalkRules& rules) {
  auto line1 = parse_line_stations(nanchang_line1_csv(), "nanchang-line1.csv");
  assert(line1.ok()); // the embedded file is tested
  return build_synthetic_city(cfg, line1.value(), rules);
}

} // namespace hcesim::models
