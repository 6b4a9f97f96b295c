// The simulated world at city scale: building the default synthetic city and its zone-pair paths,
// drawing the population, and planning one weekday for every rider (riders/s), with the bytes
// each rider costs in the population tables.
#include "models/city/journey.h"
#include "models/city/synthetic_city.h"
#include "models/cloud_queue/service_queue.h"
#include "models/phone/connectivity.h"
#include "models/population/day_plan.h"
#include "models/population/population.h"
#include "models/population/trip_planner.h"

#include "sim/distributions.h"
#include "sim/simulator.h"

#include <benchmark/benchmark.h>

#include <cmath>

using namespace hcesim;
using namespace hcesim::models;

namespace {

// The default scenario's city and population settings (proto/scenario.proto defaults).
ScenarioConfig default_world(uint32_t riders) {
  ScenarioConfig cfg;
  cfg.population.riders = riders;
  cfg.population.classes = {RiderClassConfig{"regular", 1.0, 1.0, 1.0}};
  cfg.network.coverage = {CoverageClassConfig{"good", 1.0, 1.0}};
  cfg.population.initial_balance = Money(2000, Currency::from_code("CNY").value());
  return cfg;
}

struct DefaultCity {
  DefaultCity() : city(build_synthetic_city(default_world(1))), paths(PathTable::build(city)) {}
  City city;
  PathTable paths;
};

const DefaultCity& default_city() {
  static const DefaultCity c;
  return c;
}

void BM_World_BuildCityAndPaths(benchmark::State& state) {
  const ScenarioConfig cfg = default_world(1);
  std::size_t zones = 0;
  std::size_t bytes = 0;
  std::size_t legs = 0;
  for (auto _ : state) {
    const City city = build_synthetic_city(cfg);
    const PathTable paths = PathTable::build(city);
    zones = city.zone_count();
    legs = 0;
    for (uint32_t o = 0; o < zones; ++o) {
      for (uint32_t d = 0; d < zones; ++d) {
        legs += paths.legs(o, d).size();
      }
    }
    bytes = city.bytes() + paths.bytes();
    benchmark::DoNotOptimize(paths.cost_s(0, 1));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(zones * zones));
  state.counters["zones"] = static_cast<double>(zones);
  state.counters["legs_per_pair"] = static_cast<double>(legs) / static_cast<double>(zones * zones);
  state.counters["city_and_path_MB"] = static_cast<double>(bytes) / 1e6;
}
BENCHMARK(BM_World_BuildCityAndPaths)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_World_GeneratePopulation(benchmark::State& state) {
  const auto riders = static_cast<uint32_t>(state.range(0));
  const ScenarioConfig cfg = default_world(riders);
  const City& city = default_city().city;
  std::size_t bytes = 0;
  for (auto _ : state) {
    const Population p = Population::generate(cfg, city);
    bytes = p.bytes();
    benchmark::DoNotOptimize(p.home_zone(riders - 1));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * riders);
  state.counters["bytes_per_rider"] = static_cast<double>(bytes) / riders;
}
BENCHMARK(BM_World_GeneratePopulation)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// Plans a weekday for every rider (trips streamed through one reused buffer, as a run does);
// with expand set, also times each trip's rides and taps on the network.
void plan_day(benchmark::State& state, bool expand) {
  const auto riders = static_cast<uint32_t>(state.range(0));
  const ScenarioConfig cfg = default_world(riders);
  const DefaultCity& c = default_city();
  const Population pop = Population::generate(cfg, c.city);
  const TripPlanner planner(cfg, c.city, c.paths, pop);
  std::vector<PlannedTrip> trips;
  std::vector<Ride> rides;
  std::vector<PlannedTap> taps;
  uint64_t trip_count = 0;
  uint64_t tap_count = 0;
  uint64_t ride_count = 0;
  for (auto _ : state) {
    ride_count = 0;
    trip_count = 0;
    tap_count = 0;
    for (uint32_t r = 0; r < riders; ++r) {
      trips.clear();
      planner.plan_day(r, 0, trips);
      trip_count += trips.size();
      if (expand) {
        for (const PlannedTrip& t : trips) {
          rides.clear();
          taps.clear();
          expand_journey(c.city, c.paths, t.from_zone, t.to_zone, t.depart, rides, taps);
          tap_count += taps.size();
          ride_count += rides.size();
        }
      }
    }
    benchmark::DoNotOptimize(trip_count);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * riders);
  state.counters["trips_per_rider"] = static_cast<double>(trip_count) / riders;
  state.counters["taps_per_rider"] = static_cast<double>(tap_count) / riders;
  state.counters["rides_per_trip"] =
      static_cast<double>(ride_count) / static_cast<double>(std::max<uint64_t>(1, trip_count));
  state.counters["population_bytes_per_rider"] = static_cast<double>(pop.bytes()) / riders;
}

void BM_World_PlanDay(benchmark::State& state) {
  plan_day(state, false);
}
BENCHMARK(BM_World_PlanDay)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_World_PlanAndExpandDay(benchmark::State& state) {
  plan_day(state, true);
}
BENCHMARK(BM_World_PlanAndExpandDay)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// A whole day's plan kept as a table, as a run holds it.
void BM_World_DayPlanTable(benchmark::State& state) {
  const auto riders = static_cast<uint32_t>(state.range(0));
  const ScenarioConfig cfg = default_world(riders);
  const DefaultCity& c = default_city();
  const Population pop = Population::generate(cfg, c.city);
  const TripPlanner planner(cfg, c.city, c.paths, pop);
  DayPlan plan;
  for (auto _ : state) {
    plan.plan(planner, riders, 0);
    benchmark::DoNotOptimize(plan.trip_count());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * riders);
  state.counters["plan_bytes_per_rider"] = static_cast<double>(plan.bytes()) / riders;
}
BENCHMARK(BM_World_DayPlanTable)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// Phones' coverage asked at each tap of a day: about 6 questions per rider spread over the day.
void BM_Phone_CoverageQuestions(benchmark::State& state) {
  const auto riders = static_cast<uint32_t>(state.range(0));
  const ScenarioConfig cfg = default_world(riders);
  const Population pop = Population::generate(cfg, default_city().city);
  uint64_t online = 0;
  for (auto _ : state) {
    Connectivity net(cfg, pop);
    for (int q = 0; q < 6; ++q) {
      const Time t = Time::epoch() + Duration::hours(7 + 2 * q);
      for (uint32_t r = 0; r < riders; ++r) {
        online += net.online(r, t, Place::kAboveGround, false) ? 1U : 0U;
      }
    }
    state.counters["bytes_per_rider"] = static_cast<double>(net.bytes()) / riders;
  }
  benchmark::DoNotOptimize(online);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * riders * 6);
}
BENCHMARK(BM_Phone_CoverageQuestions)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// One cloud service under Poisson load (M/M/4 at 80 % load, 2 s client timeout), driven by the
// engine: events/s of the queue's own arrivals, completions and timeouts, on the default event
// queue and on the 4-ary heap (this pattern, timeouts scheduled 2 s ahead and mostly cancelled, is
// one the engine's queue choice should be checked against).
struct LoadedService {
  enum Kind : uint32_t { kArrival = 1, kDone = 2, kTimeout = 3 };
  LoadedService()
      : queue(CloudServiceConfig{4, Duration::millis(2), 10'000, Duration::seconds(2), {}, {}},
              ServiceTime::exponential(Duration::millis(2)).value(), {kDone, kTimeout},
              sim::RandomStream(1, sim::Purpose::kCloud, 0), Time::epoch()),
        arrivals(1, sim::Purpose::kEngine, 0) {}
  template <class Sim> void handle(const sim::Event& e, Sim& sim) {
    if (e.kind() == kArrival) {
      queue.submit(sim, 0, 0);
      // 1,600 requests/s against 4 servers × 500/s.
      sim.schedule_in(sim::duration_from_seconds(-std::log(arrivals.next_open_double()) / 1600.0),
                      kArrival, 0);
      return;
    }
    benchmark::DoNotOptimize(queue.handle(e, sim));
  }
  ServiceQueue queue;
  sim::RandomStream arrivals;
};

template <class Queue> void BM_CloudQueue_Events(benchmark::State& state) {
  uint64_t events = 0;
  for (auto _ : state) {
    LoadedService model;
    sim::Simulator<LoadedService, Queue> simulator(model);
    simulator.schedule_at(Time::epoch(), LoadedService::kArrival, 0);
    simulator.run_until(Time::epoch() + Duration::seconds(state.range(0)));
    events += simulator.events_executed();
  }
  state.SetItemsProcessed(static_cast<int64_t>(events));
}
BENCHMARK(BM_CloudQueue_Events<sim::DefaultQueue>)->Arg(600)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CloudQueue_Events<sim::FourAryHeap>)->Arg(600)->Unit(benchmark::kMillisecond);

} // namespace
