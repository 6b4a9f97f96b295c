#include "models/city/path_table.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <functional>
#include <queue>

namespace hcesim::models {
namespace {

enum class Via : uint8_t { kNone, kAccess, kRide, kWalk };

struct Label {
  uint32_t cost = PathTable::kUnreachable;
  uint32_t duration = 0;
  uint32_t from = 0; // previous node (a stop for kAccess)
  uint16_t route = 0;
  uint16_t board = 0;
  uint16_t alight = 0;
  Via via = Via::kNone;
};

uint32_t weighted(uint32_t seconds, int64_t pct) {
  return static_cast<uint32_t>((static_cast<int64_t>(seconds) * pct + 50) / 100);
}

// One origin's search over (stop, has ridden) states: each edge is a ride (board anywhere on a
// route, alight anywhere else on it) or a walking transfer. Boarding from the ridden state pays the
// transfer penalty; two states per stop keep the search exact with that state-dependent cost.
class Search {
public:
  explicit Search(const City& city) : city_(city), labels_(2 * std::size_t{city.stop_count()}) {
    const WalkRules& w = city.walk_rules();
    penalty_ = static_cast<uint32_t>(w.transfer_penalty.us() / 1'000'000);
    for (uint32_t r = 0; r < city.route_count(); ++r) {
      const auto half_headway = static_cast<uint32_t>(city.route(r).headway.us() / 2'000'000);
      board_cost_.push_back(weighted(half_headway, w.wait_weight_pct));
      board_wait_.push_back(half_headway);
    }
  }

  void run(uint32_t origin) {
    std::fill(labels_.begin(), labels_.end(), Label{});
    const int64_t walk_pct = city_.walk_rules().walk_weight_pct;
    for (const StopAccess& a : city_.access_of(origin)) {
      relax(node(a.stop, false), weighted(a.walk_s, walk_pct), a.walk_s,
            Label{0, 0, a.stop, 0, 0, 0, Via::kAccess});
    }
    while (!heap_.empty()) {
      const auto [cost, n] = heap_.top();
      heap_.pop();
      if (cost != labels_[n].cost) {
        continue; // a stale entry
      }
      const Label ln = labels_[n];
      const uint32_t u = n / 2;
      const bool rode = (n & 1U) != 0;
      for (const RouteCall& call : city_.calls_at(u)) {
        const uint32_t board = ln.cost + board_cost_[call.route] + (rode ? penalty_ : 0);
        const uint32_t board_d = ln.duration + board_wait_[call.route];
        // The route's arrays once per call: relax() writes labels and the heap, so the compiler
        // cannot keep the route's offsets in registers across it (a third of the set-up's time).
        const std::span<const uint32_t> stops = city_.route_stops(call.route);
        const std::span<const Duration> times = city_.route_times(call.route);
        const int64_t t_i = times[call.position].us();
        const auto count = static_cast<uint32_t>(stops.size());
        for (uint32_t j = 0; j < count; ++j) {
          const int64_t t_j = times[j].us();
          const auto ride = static_cast<uint32_t>((t_i < t_j ? t_j - t_i : t_i - t_j) / 1'000'000);
          const uint32_t v = node(stops[j], true);
          if (j == call.position || board + ride >= labels_[v].cost) {
            continue; // not an improvement: relax() would do nothing
          }
          relax(v, board + ride, board_d + ride,
                Label{0, 0, n, static_cast<uint16_t>(call.route),
                      static_cast<uint16_t>(call.position), static_cast<uint16_t>(j), Via::kRide});
        }
      }
      for (const StopAccess& t : city_.transfers_from(u)) {
        relax(node(t.stop, rode), ln.cost + weighted(t.walk_s, walk_pct), ln.duration + t.walk_s,
              Label{0, 0, n, 0, 0, 0, Via::kWalk});
      }
    }
  }

  static uint32_t node(uint32_t stop, bool rode) { return 2 * stop + (rode ? 1U : 0U); }
  const Label& label(uint32_t n) const { return labels_[n]; }

private:
  void relax(uint32_t v, uint32_t cost, uint32_t duration, Label how) {
    if (cost < labels_[v].cost) {
      how.cost = cost;
      how.duration = duration;
      labels_[v] = how;
      heap_.emplace(cost, v);
    }
  }

  const City& city_;
  std::vector<Label> labels_; // per node: 2 × stop + has ridden
  std::vector<uint32_t> board_cost_;
  std::vector<uint32_t> board_wait_;
  uint32_t penalty_ = 0;
  using Entry = std::pair<uint32_t, uint32_t>; // (cost, node): ties pop by node id
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap_;
};

} // namespace

PathTable PathTable::build(const City& city) {
  assert(city.route_count() <= 65536);
  PathTable t;
  t.zones_ = city.zone_count();
  const std::size_t pairs = static_cast<std::size_t>(t.zones_) * t.zones_;
  t.cost_.assign(pairs, kUnreachable);
  t.duration_.assign(pairs, kUnreachable);
  t.first_.assign(pairs + 1, 0);
  const int64_t walk_pct = city.walk_rules().walk_weight_pct;
  Search search(city);
  std::vector<PathLeg> path;
  for (uint32_t o = 0; o < t.zones_; ++o) {
    search.run(o);
    const Point oc = city.zone_centre(o);
    for (uint32_t d = 0; d < t.zones_; ++d) {
      const std::size_t i = t.index(o, d);
      const Point dc = city.zone_centre(d);
      uint32_t best = kUnreachable;
      uint32_t best_d = kUnreachable;
      if (std::hypot(static_cast<double>(oc.x - dc.x), static_cast<double>(oc.y - dc.y)) <=
          kMaxWalkOnlyM) {
        best_d = city.walk_seconds(oc, dc);
        best = weighted(best_d, walk_pct);
      }
      uint32_t egress = UINT32_MAX; // the node left on foot for the destination
      for (const StopAccess& a : city.access_of(d)) {
        for (bool rode : {false, true}) {
          const uint32_t n = Search::node(a.stop, rode);
          const Label& l = search.label(n);
          if (l.cost == kUnreachable) {
            continue;
          }
          const uint32_t c = l.cost + weighted(a.walk_s, walk_pct);
          if (c < best) {
            best = c;
            best_d = l.duration + a.walk_s;
            egress = n;
          }
        }
      }
      t.cost_[i] = best;
      t.duration_[i] = best_d;
      if (egress != UINT32_MAX) {
        path.clear();
        for (uint32_t n = egress; search.label(n).via != Via::kAccess;) {
          const Label& l = search.label(n);
          if (l.via == Via::kRide) {
            path.push_back(PathLeg{l.route, l.board, l.alight});
          }
          n = l.from;
        }
        t.legs_.insert(t.legs_.end(), path.rbegin(), path.rend());
      }
      t.first_[i + 1] = static_cast<uint32_t>(t.legs_.size());
    }
  }
  return t;
}

std::size_t PathTable::bytes() const {
  return (cost_.capacity() + duration_.capacity() + first_.capacity()) * sizeof(uint32_t) +
         legs_.capacity() * sizeof(PathLeg);
}

} // namespace hcesim::models
