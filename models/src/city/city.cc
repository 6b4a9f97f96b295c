#include "models/city/city.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdlib>

namespace hcesim::models {
namespace {

double distance_m(Point a, Point b) {
  const double dx = static_cast<double>(a.x) - static_cast<double>(b.x);
  const double dy = static_cast<double>(a.y) - static_cast<double>(b.y);
  return std::sqrt(dx * dx + dy * dy);
}

// Stops bucketed in square cells, so neighbours are found without comparing every pair.
class StopGrid {
public:
  StopGrid(const std::vector<Point>& at, int32_t cell_m) : cell_(std::max(cell_m, 1)) {
    if (at.empty()) {
      return;
    }
    min_ = at[0];
    Point max = at[0];
    for (Point p : at) {
      min_.x = std::min(min_.x, p.x);
      min_.y = std::min(min_.y, p.y);
      max.x = std::max(max.x, p.x);
      max.y = std::max(max.y, p.y);
    }
    nx_ = static_cast<uint32_t>((max.x - min_.x) / cell_ + 1);
    ny_ = static_cast<uint32_t>((max.y - min_.y) / cell_ + 1);
    first_.assign(static_cast<std::size_t>(nx_) * ny_ + 1, 0);
    for (Point p : at) {
      ++first_[cell_of(p) + 1];
    }
    for (std::size_t i = 1; i < first_.size(); ++i) {
      first_[i] += first_[i - 1];
    }
    stops_.resize(at.size());
    std::vector<uint32_t> fill(first_.begin(), first_.end() - 1);
    for (uint32_t s = 0; s < at.size(); ++s) {
      stops_[fill[cell_of(at[s])]++] = s; // ascending stop ids within a cell
    }
  }

  // Calls f(stop) for every stop in the 3×3 cells around p (a superset of those within one cell).
  template <class F> void near(Point p, F f) const {
    if (stops_.empty()) {
      return;
    }
    const int64_t cx = floor_div(static_cast<int64_t>(p.x) - min_.x, cell_);
    const int64_t cy = floor_div(static_cast<int64_t>(p.y) - min_.y, cell_);
    for (int64_t y = cy - 1; y <= cy + 1; ++y) {
      for (int64_t x = cx - 1; x <= cx + 1; ++x) {
        if (x < 0 || y < 0 || x >= nx_ || y >= ny_) {
          continue;
        }
        const auto c = static_cast<std::size_t>(y * nx_ + x);
        for (uint32_t i = first_[c]; i < first_[c + 1]; ++i) {
          f(stops_[i]);
        }
      }
    }
  }

private:
  static int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && (a < 0)); }
  std::size_t cell_of(Point p) const {
    return static_cast<std::size_t>((p.y - min_.y) / cell_) * nx_ +
           static_cast<std::size_t>((p.x - min_.x) / cell_);
  }
  int32_t cell_;
  Point min_;
  uint32_t nx_ = 0;
  uint32_t ny_ = 0;
  std::vector<uint32_t> first_;
  std::vector<uint32_t> stops_;
};

} // namespace

uint32_t City::add_stop(std::string name, Point at, Mode mode) {
  stop_at_.push_back(at);
  stop_mode_.push_back(mode);
  stop_name_.push_back(std::move(name));
  return static_cast<uint32_t>(stop_at_.size() - 1);
}

uint32_t City::add_route(std::string name, Mode mode, Duration headway, Duration phase,
                         std::span<const uint32_t> stops, std::span<const uint32_t> metres,
                         std::span<const Duration> run) {
  assert(stops.size() >= 2 && metres.size() + 1 == stops.size() && run.size() + 1 == stops.size());
  assert(headway > Duration::zero() && phase >= Duration::zero() && phase < headway);
  Route r{std::move(name),
          mode,
          headway,
          phase,
          static_cast<uint32_t>(call_stop_.size()),
          static_cast<uint32_t>(stops.size())};
  Duration t;
  uint32_t m = 0;
  for (std::size_t i = 0; i < stops.size(); ++i) {
    assert(stops[i] < stop_count());
    if (i > 0) {
      assert(run[i - 1] > Duration::zero());
      t += run[i - 1];
      m += metres[i - 1];
    }
    call_stop_.push_back(stops[i]);
    call_time_.push_back(t);
    call_metres_.push_back(m);
  }
  routes_.push_back(std::move(r));
  return static_cast<uint32_t>(routes_.size() - 1);
}

void City::set_zone_grid(Point origin, int32_t side_m, uint32_t nx, uint32_t ny) {
  assert(side_m > 0 && nx > 0 && ny > 0);
  zone_origin_ = origin;
  zone_side_m_ = side_m;
  zone_nx_ = nx;
  zone_ny_ = ny;
}

void City::finish(const WalkRules& rules) {
  rules_ = rules;
  const uint32_t n = stop_count();

  // Route calls per stop, in (route, position) order.
  calls_first_.assign(n + 1, 0);
  for (uint32_t s : call_stop_) {
    ++calls_first_[s + 1];
  }
  for (uint32_t s = 0; s < n; ++s) {
    calls_first_[s + 1] += calls_first_[s];
  }
  calls_.resize(call_stop_.size());
  std::vector<uint32_t> fill(calls_first_.begin(), calls_first_.end() - 1);
  for (uint32_t r = 0; r < route_count(); ++r) {
    for (uint32_t p = 0; p < routes_[r].count; ++p) {
      calls_[fill[route_stop(r, p)]++] = RouteCall{r, p};
    }
  }

  const StopGrid grid(stop_at_, std::max(rules.max_access_m, rules.max_transfer_m));

  // Walking transfers: every other stop within max_transfer_m, by ascending stop id.
  transfer_first_.assign(n + 1, 0);
  transfers_.clear();
  std::vector<StopAccess> found;
  for (uint32_t s = 0; s < n; ++s) {
    found.clear();
    grid.near(stop_at_[s], [&](uint32_t o) {
      if (o != s && distance_m(stop_at_[s], stop_at_[o]) <= rules.max_transfer_m) {
        found.push_back(StopAccess{o, walk_seconds(stop_at_[s], stop_at_[o])});
      }
    });
    std::sort(found.begin(), found.end(),
              [](const StopAccess& a, const StopAccess& b) { return a.stop < b.stop; });
    transfers_.insert(transfers_.end(), found.begin(), found.end());
    transfer_first_[s + 1] = static_cast<uint32_t>(transfers_.size());
  }

  // Zone access: the nearest stops within reach (every metro station in reach), else the nearest.
  access_first_.assign(zone_count() + 1, 0);
  access_.clear();
  const auto nearer = [](const StopAccess& a, const StopAccess& b) {
    return a.walk_s != b.walk_s ? a.walk_s < b.walk_s : a.stop < b.stop;
  };
  for (uint32_t z = 0; z < zone_count(); ++z) {
    const Point c = zone_centre(z);
    found.clear();
    grid.near(c, [&](uint32_t o) {
      if (distance_m(c, stop_at_[o]) <= rules.max_access_m) {
        found.push_back(StopAccess{o, walk_seconds(c, stop_at_[o])});
      }
    });
    std::sort(found.begin(), found.end(), nearer);
    if (found.empty() && n > 0) {
      StopAccess best{0, walk_seconds(c, stop_at_[0])};
      for (uint32_t o = 1; o < n; ++o) {
        const StopAccess a{o, walk_seconds(c, stop_at_[o])};
        if (nearer(a, best)) {
          best = a;
        }
      }
      found.push_back(best);
    }
    uint32_t kept = 0;
    for (const StopAccess& a : found) {
      if (kept < rules.max_access_stops || stop_mode_[a.stop] == Mode::kMetro) {
        access_.push_back(a);
        ++kept;
      }
    }
    access_first_[z + 1] = static_cast<uint32_t>(access_.size());
  }
}

std::span<const RouteCall> City::calls_at(uint32_t s) const {
  return {calls_.data() + calls_first_[s], calls_first_[s + 1] - calls_first_[s]};
}

std::span<const StopAccess> City::transfers_from(uint32_t s) const {
  return {transfers_.data() + transfer_first_[s], transfer_first_[s + 1] - transfer_first_[s]};
}

std::span<const StopAccess> City::access_of(uint32_t z) const {
  return {access_.data() + access_first_[z], access_first_[z + 1] - access_first_[z]};
}

uint32_t HeadwayFactors::at(Duration t) const {
  const int64_t h = t.us() / Duration::hours(1).us();
  if ((h >= 7 && h < 9) || (h >= 17 && h < 19)) {
    return 1;
  }
  return h >= 22 || h < 6 ? night : off_peak;
}

Time City::next_departure(uint32_t r, uint32_t from, uint32_t to, Time t) const {
  const Route& route = routes_[r];
  assert(from != to && from < route.count && to < route.count);
  // Offset of this stop from the terminus the vehicle left.
  const Duration offset =
      from < to ? route_time(r, from) : route_time(r, route.count - 1) - route_time(r, from);
  const int64_t h = route.headway.us();
  const int64_t first = (route.phase + offset).us(); // a departure time of day modulo headway
  int64_t k = (t.us() - first) / h;
  int64_t dep = first + k * h;
  while (dep < t.us()) {
    dep += h;
  }
  while (dep - h >= t.us()) {
    dep -= h;
  }
  // The departure runs when its number from the terminus suits its period there.
  for (;;) {
    const Time terminus = Time::from_us(dep) - offset;
    const auto factor = static_cast<int64_t>(headway_factors_.at(terminus.time_of_day()));
    const int64_t n = (terminus - (Time::epoch() + route.phase)).us() / h;
    if (factor <= 1 || ((n % factor) + factor) % factor == 0) {
      return Time::from_us(dep);
    }
    dep += h;
  }
}

Duration City::ride_time(uint32_t r, uint32_t from, uint32_t to) const {
  const Duration a = route_time(r, from);
  const Duration b = route_time(r, to);
  return a < b ? b - a : a - b;
}

Point City::zone_centre(uint32_t z) const {
  const auto col = static_cast<int32_t>(z % zone_nx_);
  const auto row = static_cast<int32_t>(z / zone_nx_);
  return Point{zone_origin_.x + col * zone_side_m_ + zone_side_m_ / 2,
               zone_origin_.y + row * zone_side_m_ + zone_side_m_ / 2};
}

uint32_t City::zone_of(Point p) const {
  const int64_t col =
      std::clamp<int64_t>((static_cast<int64_t>(p.x) - zone_origin_.x) / zone_side_m_, 0,
                          static_cast<int64_t>(zone_nx_) - 1);
  const int64_t row =
      std::clamp<int64_t>((static_cast<int64_t>(p.y) - zone_origin_.y) / zone_side_m_, 0,
                          static_cast<int64_t>(zone_ny_) - 1);
  return static_cast<uint32_t>(row * zone_nx_ + col);
}

uint32_t City::walk_seconds(Point a, Point b) const {
  return static_cast<uint32_t>(
      std::lround(distance_m(a, b) * rules_.detour_factor / rules_.speed_m_per_s));
}

void City::set_feed_ids(uint32_t i, bool route, std::string id) {
  std::vector<std::string>& ids = route ? route_feed_id_ : stop_feed_id_;
  if (ids.size() <= i) {
    ids.resize(route ? routes_.size() : stop_at_.size());
  }
  ids[i] = std::move(id);
}

const std::string& City::stop_feed_id(uint32_t s) const {
  static const std::string kNone;
  return s < stop_feed_id_.size() ? stop_feed_id_[s] : kNone;
}

const std::string& City::route_feed_id(uint32_t r) const {
  static const std::string kNone;
  return r < route_feed_id_.size() ? route_feed_id_[r] : kNone;
}

std::size_t City::bytes() const {
  std::size_t b = stop_at_.capacity() * sizeof(Point) + stop_mode_.capacity() +
                  routes_.capacity() * sizeof(Route) + call_stop_.capacity() * 4 +
                  call_time_.capacity() * sizeof(Duration) + call_metres_.capacity() * 4 +
                  calls_first_.capacity() * 4 + calls_.capacity() * sizeof(RouteCall) +
                  transfer_first_.capacity() * 4 + transfers_.capacity() * sizeof(StopAccess) +
                  access_first_.capacity() * 4 + access_.capacity() * sizeof(StopAccess);
  for (const std::string& s : stop_name_) {
    b += sizeof(std::string) + (s.capacity() > 15 ? s.capacity() : 0);
  }
  return b;
}

} // namespace hcesim::models
