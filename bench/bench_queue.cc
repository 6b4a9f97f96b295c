// Event queues under a cancel-heavy load, driven through sim::Schedule without a model: an M/M/4
// service at 1,600 requests/s (80 % load) where every request also schedules a client timeout
// far ahead that its completion almost always cancels. Thousands of pending events are then
// cancelled timeouts, while the events that run are a few milliseconds ahead: the shape that made
// the radix queue's sorted run grow and shift on every push. Arg: the timeout in ms.
#include "sim/dary_heap.h"
#include "sim/distributions.h"
#include "sim/radix_queue.h"
#include "sim/random_stream.h"
#include "sim/schedule.h"

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <deque>
#include <vector>

using namespace hcesim;

namespace {

enum Kind : uint32_t { kArrival = 1, kDone = 2, kTimeout = 3 };

// Runs `seconds` of simulated time; returns the live events executed.
template <class Queue> uint64_t run_service(int64_t seconds, Duration timeout) {
  constexpr uint32_t kServers = 4;
  constexpr uint32_t kSlots = 1U << 16; // far above the requests in flight
  sim::Schedule<Queue> schedule;
  sim::RandomStream rng(1, sim::Purpose::kEngine, 0);
  auto exponential = [&rng](double mean_s) {
    return sim::duration_from_seconds(-std::log(rng.next_open_double()) * mean_s);
  };
  std::vector<sim::EventHandle> timeouts(kSlots);
  std::deque<uint32_t> waiting;
  uint32_t busy = 0;
  uint32_t next_slot = 0;
  const Time end = Time::epoch() + Duration::seconds(seconds);
  schedule.push(Time::epoch(), kArrival, 0, 0);
  uint64_t executed = 0;
  sim::Event e;
  while (schedule.has_entries() && schedule.next_time() < end) {
    if (!schedule.pop(e)) {
      continue;
    }
    ++executed;
    if (e.kind() == kArrival) {
      const uint32_t slot = next_slot++ % kSlots;
      timeouts[slot] = schedule.push(e.time + timeout, kTimeout, slot, 0);
      if (busy < kServers) {
        ++busy;
        schedule.push(e.time + exponential(0.002), kDone, slot, 0);
      } else {
        waiting.push_back(slot);
      }
      schedule.push(e.time + exponential(1.0 / 1600.0), kArrival, 0, 0);
    } else if (e.kind() == kDone) {
      schedule.cancel(timeouts[e.entity]);
      --busy;
      if (!waiting.empty()) {
        const uint32_t slot = waiting.front();
        waiting.pop_front();
        ++busy;
        schedule.push(e.time + exponential(0.002), kDone, slot, 0);
      }
    }
  }
  return executed;
}

template <class Queue> void BM_Queue_CancelHeavy(benchmark::State& state) {
  const Duration timeout = Duration::millis(state.range(0));
  uint64_t events = 0;
  for (auto _ : state) {
    events += run_service<Queue>(600, timeout);
  }
  state.SetItemsProcessed(static_cast<int64_t>(events));
}
BENCHMARK(BM_Queue_CancelHeavy<sim::RadixQueue>)
    ->ArgName("timeout_ms")
    ->Arg(2000)
    ->Arg(20)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Queue_CancelHeavy<sim::FourAryHeap>)
    ->ArgName("timeout_ms")
    ->Arg(2000)
    ->Arg(20)
    ->Unit(benchmark::kMillisecond);

} // namespace
