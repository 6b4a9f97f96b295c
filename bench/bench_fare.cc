// Fare engine speed: pricing legs on the MBTA feed (Fares v2), the Hyderabad feed (Fares v1, a
// 59 x 59 zone matrix of 3,481 rules) and the Beijing distance rules.
// Target (issue 13): BM_Fare_PriceLeg >= 2,000,000 legs/s on one core, release build.
#include "hce/fare/fare_engine.h"
#include "hce/fare/leg_text.h"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

using namespace hcesim;
using namespace hcesim::fare;

namespace {

std::filesystem::path shared_data() {
  if (const char* env = std::getenv("HCESIM_SHARED_DATA"); env != nullptr && *env != '\0') {
    return env;
  }
  return std::filesystem::path(HCESIM_BENCH_SOURCE_DIR) / ".." / "shared" / "data";
}

// A day's mix of MBTA legs on a CharlieTicket and in cash: subway, bus, Silver Line, express bus,
// with transfers inside and outside their time limits.
std::vector<FareLeg> mbta_legs(const FareEngine& e) {
  const char* routes[] = {"Red", "Orange", "Blue", "Green-B", "1", "741", "354", "CR-Providence"};
  const char* stops[] = {"70061", "70063", "70075", "70014", "70038",       "70047",      "170136",
                         "1",     "10",    "17091", "74611", "NEC-2276-01", "NEC-2203-02"};
  const char* media[] = {"charlieticket", "cash"};
  std::mt19937_64 rng(7);
  std::vector<FareLeg> legs;
  while (legs.size() < 4096) {
    const std::string text = std::string(routes[rng() % 8]) + ":" + stops[rng() % 13] + ":" +
                             stops[rng() % 13] + ":" + std::to_string(6 + rng() % 14) + ":" +
                             std::to_string(10 + rng() % 50);
    auto leg = parse_leg(e, text, 0, media[rng() % 2], "");
    if (leg) {
      legs.push_back(*leg);
    }
  }
  return legs;
}

void BM_Fare_PriceLeg(benchmark::State& state) {
  static auto engine = FareEngine::from_gtfs(shared_data() / "gtfs" / "mbta-2024-fall");
  if (!engine) {
    state.SkipWithError(("MBTA feed not loaded: " + engine.error().to_string()).c_str());
    return;
  }
  const std::vector<FareLeg> legs = mbta_legs(*engine);
  size_t i = 0;
  RiderDay day;
  for (auto _ : state) {
    if ((i & 3) == 0) {
      day = RiderDay{}; // journeys of four legs
    }
    benchmark::DoNotOptimize(engine->price_next_leg(day, legs[i & 4095]));
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Fare_PriceLeg);

// Hyderabad Metro rides between random platforms on their own routes, journeys of two legs (the
// second may continue the first's fare).
void BM_Fare_PriceFaresV1Leg(benchmark::State& state) {
  static auto engine = FareEngine::from_gtfs(shared_data() / "gtfs" / "hmrl-hyderabad-2025");
  if (!engine) {
    state.SkipWithError(("Hyderabad feed not loaded: " + engine.error().to_string()).c_str());
    return;
  }
  const GtfsFeed& feed = *engine->feed();
  std::vector<std::pair<uint32_t, uint32_t>> served; // (route, platform)
  for (uint32_t r = 0; r < feed.route_stops.size(); ++r) {
    for (uint32_t s : feed.route_stops[r]) {
      served.emplace_back(r, s);
    }
  }
  std::mt19937_64 rng(7);
  std::vector<FareLeg> legs(4096);
  Time t = Time::epoch() + Duration::hours(8);
  for (FareLeg& l : legs) {
    const auto& [route, from] = served[rng() % served.size()];
    l.route = route;
    l.from_stop = from;
    l.to_stop = served[rng() % served.size()].second;
    t += Duration::minutes(7);
    l.depart = t;
    l.arrive = t + Duration::minutes(20);
  }
  size_t i = 0;
  RiderDay day;
  for (auto _ : state) {
    if ((i & 1) == 0) {
      day = RiderDay{};
    }
    benchmark::DoNotOptimize(engine->price_next_leg(day, legs[i & 4095]));
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Fare_PriceFaresV1Leg);

void BM_Fare_PriceDistanceLeg(benchmark::State& state) {
  static auto engine = FareEngine::from_rule_file(std::filesystem::path(HCESIM_BENCH_SOURCE_DIR) /
                                                  "scenarios" / "fares" / "beijing.txtpb");
  if (!engine) {
    state.SkipWithError(engine.error().to_string().c_str());
    return;
  }
  const auto n = static_cast<uint32_t>(engine->distance()->stations().size());
  std::mt19937_64 rng(7);
  std::vector<FareLeg> legs(4096);
  for (FareLeg& l : legs) {
    l.from_stop = static_cast<uint32_t>(rng() % n);
    l.to_stop = static_cast<uint32_t>(rng() % n);
  }
  size_t i = 0;
  RiderDay day;
  for (auto _ : state) {
    benchmark::DoNotOptimize(engine->price_next_leg(day, legs[i++ & 4095]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Fare_PriceDistanceLeg);

} // namespace
