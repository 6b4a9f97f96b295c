// PHOLD throughput (events/s) for each queue variant and for a plain std::priority_queue loop
// with the same model and shape. Args: LPs, start events per LP. Each run executes the events
// before kEnd[shape] (set-up and tear-down are not timed).
#include "phold/phold.h"
#include "sim/simulator.h"

#include <benchmark/benchmark.h>

#include <memory>

using namespace hcesim;
using namespace hcesim::phold;

namespace {

PholdShape shape_of(const benchmark::State& state) {
  PholdShape shape;
  shape.lps = static_cast<uint32_t>(state.range(0));
  shape.start = static_cast<uint32_t>(state.range(1));
  shape.remote = 0.1;
  shape.mean = Duration::seconds(1);
  shape.lookahead = Duration::millis(100);
  // About 4 M events per run whatever the shape (pending events x end / mean).
  const int64_t pending = state.range(0) * state.range(1);
  shape.end = Time::epoch() + Duration::micros(4'000'000LL * 1'000'000LL / pending);
  shape.seed = 1;
  return shape;
}

template <class Queue> void BM_Phold(benchmark::State& state) {
  const PholdShape shape = shape_of(state);
  uint64_t events = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto model = std::make_unique<Phold>(shape);
    auto sim = std::make_unique<sim::Simulator<Phold, Queue>>(*model);
    model->start_in(*sim);
    state.ResumeTiming();
    sim->run_until(shape.end);
    state.PauseTiming();
    events += sim->events_executed();
    sim.reset();
    model.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(events));
  state.counters["events_per_run"] =
      static_cast<double>(events) / static_cast<double>(state.iterations());
}

void BM_Phold_FourAryHeap(benchmark::State& state) {
  BM_Phold<sim::FourAryHeap>(state);
}
void BM_Phold_RadixQueue(benchmark::State& state) {
  BM_Phold<sim::RadixQueue>(state);
}

void BM_Phold_StdPriorityQueue(benchmark::State& state) {
  const PholdShape shape = shape_of(state);
  uint64_t events = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto model = std::make_unique<Phold>(shape);
    auto loop = std::make_unique<StdPriorityQueueLoop>(*model);
    loop->start();
    state.ResumeTiming();
    events += loop->run_until(shape.end);
    state.PauseTiming();
    loop.reset();
    model.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(events));
  state.counters["events_per_run"] =
      static_cast<double>(events) / static_cast<double>(state.iterations());
}

void shapes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"lps", "start"});
  b->Args({1024, 1});
  b->Args({16384, 16});
  b->Args({1048576, 1});
  b->Unit(benchmark::kMillisecond);
  b->UseRealTime();
}

} // namespace

BENCHMARK(BM_Phold_RadixQueue)->Apply(shapes);
BENCHMARK(BM_Phold_FourAryHeap)->Apply(shapes);
BENCHMARK(BM_Phold_StdPriorityQueue)->Apply(shapes);
