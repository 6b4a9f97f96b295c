// PHOLD throughput (events/s) for each queue variant and for a plain std::priority_queue loop
// with the same model and shape. Args: LPs, start events per LP. Each run executes the events
// before kEnd[shape] (set-up and tear-down are not timed).
#include "phold/phold.h"
#include "sim/simulator.h"

#include <benchmark/benchmark.h>

#include <memory>
#include <type_traits>

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

// The same model without its prefetch() hook: shows how much of the radix queue's lead comes from
// knowing the next events early enough to prefetch their LP state.
struct PholdWithoutPrefetch {
  Phold& model;
  template <class Sim> void handle(const sim::Event& e, Sim& sim) { model.handle(e, sim); }
};

template <class Queue, bool kPrefetch = true> void BM_Phold(benchmark::State& state) {
  const PholdShape shape = shape_of(state);
  uint64_t events = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto model = std::make_unique<Phold>(shape);
    PholdWithoutPrefetch plain{*model};
    using Model = std::conditional_t<kPrefetch, Phold, PholdWithoutPrefetch>;
    Model* driven = nullptr;
    if constexpr (kPrefetch) {
      driven = model.get();
    } else {
      driven = &plain;
    }
    auto sim = std::make_unique<sim::Simulator<Model, Queue>>(*driven);
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
void BM_Phold_RadixQueueNoPrefetch(benchmark::State& state) {
  BM_Phold<sim::RadixQueue, false>(state);
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
  // items_per_second is per CPU second: on the shared 2-core machine wall time mostly measures the
  // other tenants.
  b->Unit(benchmark::kMillisecond);
}

} // namespace

BENCHMARK(BM_Phold_RadixQueue)->Apply(shapes);
BENCHMARK(BM_Phold_RadixQueueNoPrefetch)->Apply(shapes);
BENCHMARK(BM_Phold_FourAryHeap)->Apply(shapes);
BENCHMARK(BM_Phold_StdPriorityQueue)->Apply(shapes);
