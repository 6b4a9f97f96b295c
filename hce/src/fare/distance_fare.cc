#include "hce/fare/distance_fare.h"

#include <algorithm>
#include <functional>
#include <queue>
#include <utility>

namespace hcesim::fare {
namespace {

// Longest single link (between neighbouring stations, a loop's closing or a walk): far above any
// real one, and low enough that path sums stay exact and fit a leg's int32 metres.
constexpr int64_t kMaxLinkM = 1'000'000;
// Largest band or step fare in minor units: steps multiply it and discounts scale it in int64.
constexpr int64_t kMaxFareMinor = 1'000'000'000;
// Longest band edge or step (100,000 km): step arithmetic stays exact in int64.
constexpr int64_t kMaxBandM = 100'000'000;
// A leg's distance is int32 metres: the links of one network may add up to at most this, so no
// shortest path can be longer.
constexpr int64_t kMaxNetworkM = INT32_MAX;

Result<Money> fare_amount(const std::string& text, Currency currency) {
  auto m = Money::parse(text, currency);
  if (m && (m->is_negative() || m->minor() > kMaxFareMinor)) {
    return Error{"", "expected 0.." + std::to_string(kMaxFareMinor) + " minor units, found \"" +
                         text + "\""};
  }
  return m;
}

std::string km(int64_t m) {
  std::string s = std::to_string(m / 1000);
  if (m % 1000 != 0) {
    std::string frac = std::to_string(1000 + m % 1000).substr(1);
    while (!frac.empty() && frac.back() == '0') {
      frac.pop_back();
    }
    s += "." + frac;
  }
  return s + " km";
}

} // namespace

Result<DistanceFares> DistanceFares::build(const proto::DistanceFare& rule, Currency currency,
                                           const std::string& where) {
  DistanceFares d;
  d.currency_ = currency;
  auto at = [&](const std::string& path, const std::string& what) {
    return Error{where + ": distance." + path, what};
  };
  if (rule.bands().empty()) {
    return at("bands", "at least one band is required");
  }
  int64_t previous = 0;
  for (int i = 0; i < rule.bands_size(); ++i) {
    const proto::DistanceBand& b = rule.bands(i);
    const std::string path = "bands[" + std::to_string(i) + "]";
    if (b.up_to_m() <= previous || b.up_to_m() > kMaxBandM) {
      return at(path + ".up_to_m", "band edges must be positive and ascending, at most " +
                                       std::to_string(kMaxBandM) + " m; found " +
                                       std::to_string(b.up_to_m()) + " after " +
                                       std::to_string(previous));
    }
    if (!b.has_upper_edge_included()) {
      return at(path + ".upper_edge_included",
                "required: say whether a trip of exactly up_to_m metres is in this band");
    }
    auto fare = fare_amount(b.fare(), currency);
    if (!fare) {
      return at(path + ".fare", fare.error().what);
    }
    d.bands_.push_back({b.up_to_m(), b.upper_edge_included(), *fare});
    previous = b.up_to_m();
  }
  if (rule.step_m() < 0 || rule.step_m() > kMaxBandM) {
    return at("step_m", "expected 0.." + std::to_string(kMaxBandM) + " m, found " +
                            std::to_string(rule.step_m()));
  }
  d.step_m_ = rule.step_m();
  if (d.step_m_ > 0) {
    auto step = fare_amount(rule.step_fare(), currency);
    if (!step) {
      return at("step_fare", step.error().what);
    }
    d.step_fare_ = *step;
    if (!rule.has_step_upper_edge_included()) {
      return at("step_upper_edge_included", "required when step_m is set");
    }
    d.step_included_ = rule.step_upper_edge_included();
  } else {
    d.step_fare_ = Money(0, currency);
  }
  // The network: stations by name, edges along each line and walks.
  std::vector<std::vector<std::pair<uint32_t, int64_t>>> adj;
  auto station = [&](const std::string& name) {
    const uint32_t s = d.stations_.intern(name);
    adj.resize(d.stations_.size());
    return s;
  };
  int64_t total_m = 0; // every link is at most kMaxLinkM: no overflow before the check below
  auto link = [&](uint32_t a, uint32_t b, int64_t m) {
    adj[a].emplace_back(b, m);
    adj[b].emplace_back(a, m);
    total_m += m;
  };
  if (rule.lines().empty()) {
    return at("lines", "at least one line is required");
  }
  for (int l = 0; l < rule.lines_size(); ++l) {
    const proto::Line& line = rule.lines(l);
    const std::string path = "lines[" + std::to_string(l) + "]";
    if (line.id().empty() || d.lines_.find(line.id())) {
      return at(path + ".id", "each line needs a unique id");
    }
    d.lines_.intern(line.id());
    if (line.stations_size() < 2) {
      return at(path + ".stations", "a line needs at least two stations");
    }
    uint32_t prev = kNone;
    for (int s = 0; s < line.stations_size(); ++s) {
      const proto::Station& st = line.stations(s);
      if (st.id().empty()) {
        return at(path + ".stations[" + std::to_string(s) + "].id", "empty station id");
      }
      if (st.from_previous_m() < 0 || (s > 0 && st.from_previous_m() == 0) ||
          st.from_previous_m() > kMaxLinkM) {
        return at(path + ".stations[" + std::to_string(s) + "].from_previous_m",
                  "expected a positive distance from the previous station, at most " +
                      std::to_string(kMaxLinkM) + " m; found " +
                      std::to_string(st.from_previous_m()));
      }
      const uint32_t cur = station(st.id());
      if (prev != kNone) {
        link(prev, cur, st.from_previous_m());
      }
      prev = cur;
    }
    if (line.loop()) {
      if (line.closing_m() <= 0 || line.closing_m() > kMaxLinkM) {
        return at(path + ".closing_m", "a loop line needs the distance back to its first station "
                                       "(1.." +
                                           std::to_string(kMaxLinkM) + " m)");
      }
      link(prev, *d.stations_.find(line.stations(0).id()), line.closing_m());
    }
  }
  for (int w = 0; w < rule.walks_size(); ++w) {
    const proto::Walk& walk = rule.walks(w);
    auto a = d.stations_.find(walk.from());
    auto b = d.stations_.find(walk.to());
    if (!a || !b) {
      return at("walks[" + std::to_string(w) + "]",
                "unknown station \"" + (a ? walk.to() : walk.from()) + "\"");
    }
    // A negative walk would be a negative cycle: the shortest-path search below would not end.
    if (walk.distance_m() < 0 || walk.distance_m() > kMaxLinkM) {
      return at("walks[" + std::to_string(w) + "].distance_m",
                "expected 0.." + std::to_string(kMaxLinkM) + " m, found " +
                    std::to_string(walk.distance_m()));
    }
    link(*a, *b, walk.distance_m());
  }
  if (total_m > kMaxNetworkM) {
    return at("lines", "the network's links add up to " + std::to_string(total_m) +
                           " m, more than the " + std::to_string(kMaxNetworkM) +
                           " m a leg's distance can hold");
  }
  // All-pairs shortest paths: Dijkstra from every station (a few hundred stations).
  const size_t n = d.stations_.size();
  d.dist_.assign(n * n, -1);
  using Item = std::pair<int64_t, uint32_t>;
  for (uint32_t src = 0; src < n; ++src) {
    int64_t* row = &d.dist_[src * n];
    std::priority_queue<Item, std::vector<Item>, std::greater<>> q;
    row[src] = 0;
    q.emplace(0, src);
    while (!q.empty()) {
      auto [dist, u] = q.top();
      q.pop();
      if (dist > row[u]) {
        continue;
      }
      for (auto [v, m] : adj[u]) {
        if (row[v] < 0 || dist + m < row[v]) {
          row[v] = dist + m;
          q.emplace(row[v], v);
        }
      }
    }
  }
  return d;
}

int64_t DistanceFares::distance_m(uint32_t from, uint32_t to) const {
  return dist_[static_cast<size_t>(from) * stations_.size() + to];
}

Money DistanceFares::fare_for(int64_t d, uint32_t* band) const {
  for (uint32_t i = 0; i < bands_.size(); ++i) {
    const Band& b = bands_[i];
    if (d < b.up_to_m || (d == b.up_to_m && b.included)) {
      *band = i;
      return b.fare;
    }
  }
  const Band& last = bands_.back();
  if (step_m_ <= 0) {
    *band = static_cast<uint32_t>(bands_.size() - 1);
    return last.fare;
  }
  // Steps beyond the last edge: with included edges, d in (edge, edge+step] is one step.
  const int64_t over = d - last.up_to_m;
  // d == the last edge is here only when that band excludes it: then it is in the first step even
  // if step edges are included (which would put 0 m over in no step).
  const int64_t steps =
      step_included_ ? std::max<int64_t>(1, (over + step_m_ - 1) / step_m_) : over / step_m_ + 1;
  *band = static_cast<uint32_t>(bands_.size() - 1 + static_cast<size_t>(steps));
  return last.fare + step_fare_ * steps;
}

LegPrice DistanceFares::price(const FareLeg& leg) const {
  LegPrice out;
  const int64_t d = distance_m(leg.from_stop, leg.to_stop);
  if (d < 0) {
    out.outcome = LegOutcome::kNoRoute;
    return out;
  }
  out.outcome = LegOutcome::kPriced;
  out.distance_m = static_cast<int32_t>(d);
  out.amount = fare_for(d, &out.product);
  out.base = out.amount;
  return out;
}

std::string DistanceFares::band_name(uint32_t band) const {
  if (band < bands_.size()) {
    const std::string lo = band == 0 ? "" : km(bands_[band - 1].up_to_m) + "–";
    return "distance " + (band == 0 ? "up to " : lo) + km(bands_[band].up_to_m);
  }
  const size_t steps = band - (bands_.size() - 1);
  return "distance over " + km(bands_.back().up_to_m) + " (+" + std::to_string(steps) + " step" +
         (steps == 1 ? "" : "s") + ")";
}

} // namespace hcesim::fare
