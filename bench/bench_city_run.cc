// The whole city run (issue 15's target): N riders for one day on the default synthetic city with
// the real wallet, validator, issuer and cloud services (every cryptogram made and checked), then
// the default drain so every accepted tap is settled. Reports riders/s (items/s) and events/s.
// Targets (issue 15): 1,000,000 riders in <= 30 s on one core, and <= 400 bytes per rider,
// measured apart by scripts/measure_memory.sh (DESIGN §7: peak RSS at 1 M minus at 100 k, over
// 900 k).
#include "models/run/city_run.h"
#include "models/scenario/scenario_loader.h"
#include "models/world/world.h"

#include <benchmark/benchmark.h>

#include <stdexcept>
#include <string>

using namespace hcesim;
using namespace hcesim::models;

namespace {

ScenarioConfig one_day(int64_t riders) {
  const LoadedScenario loaded =
      load_scenario(HCESIM_BENCH_SOURCE_DIR "/scenarios/default.txtpb",
                    {"population.riders=" + std::to_string(riders), "warmup=0s", "days=1"});
  if (!loaded.ok()) {
    throw std::runtime_error(loaded.errors.front().to_string());
  }
  return loaded.config;
}

void BM_CityRun_OneDay(benchmark::State& state) {
  const ScenarioConfig cfg = one_day(state.range(0));
  uint64_t events = 0;
  uint64_t taps = 0;
  for (auto _ : state) {
    auto world = build_world(cfg); // the city, its paths and the population are part of the run
    if (!world.ok()) {
      state.SkipWithError(world.error().to_string().c_str());
      return;
    }
    CityRun run(cfg, *world);
    run.run();
    events = run.events();
    taps = run.taps_accepted_total();
    benchmark::DoNotOptimize(run.fingerprint());
  }
  const auto iterations = static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["events"] = static_cast<double>(events);
  state.counters["events_per_s"] =
      benchmark::Counter(static_cast<double>(events) * iterations, benchmark::Counter::kIsRate);
  state.counters["taps_accepted"] = static_cast<double>(taps);
}
BENCHMARK(BM_CityRun_OneDay)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kSecond)
    ->Iterations(1); // rates per CPU second: "one core", however busy the machine is

} // namespace
