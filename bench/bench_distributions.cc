// Cost of the random distributions and statistics recorders: draws/s and observations/s.
#include "sim/discrete_distribution.h"
#include "sim/distributions.h"
#include "sim/poisson.h"
#include "sim/stats/log_histogram.h"
#include "sim/stats/tally.h"

#include <benchmark/benchmark.h>

#include <vector>

using namespace hcesim::sim;

namespace {

template <class Draw> void run_draws(benchmark::State& state, Draw draw) {
  RandomStream s(1, Purpose::kEngine, 0);
  for (auto _ : state) {
    benchmark::DoNotOptimize(draw(s));
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_RandomStream_NextU64(benchmark::State& state) {
  run_draws(state, [](RandomStream& s) { return s.next_u64(); });
}
BENCHMARK(BM_RandomStream_NextU64);

void BM_Exponential_Draw(benchmark::State& state) {
  const auto e = Exponential::with_mean(1).value();
  run_draws(state, [&](RandomStream& s) { return e.draw(s); });
}
BENCHMARK(BM_Exponential_Draw);

void BM_Normal_Draw(benchmark::State& state) {
  const auto n = Normal::make(0, 1).value();
  run_draws(state, [&](RandomStream& s) { return n.draw(s); });
}
BENCHMARK(BM_Normal_Draw);

void BM_LogNormal_Draw(benchmark::State& state) {
  const auto l = LogNormal::from_mean_sd(1, 0.5).value();
  run_draws(state, [&](RandomStream& s) { return l.draw(s); });
}
BENCHMARK(BM_LogNormal_Draw);

// Mean as the argument: 3 (inversion), 30 and 30,000 (PTRS).
void BM_Poisson_Draw(benchmark::State& state) {
  const auto p = Poisson::make(static_cast<double>(state.range(0))).value();
  run_draws(state, [&](RandomStream& s) { return p.draw(s); });
}
BENCHMARK(BM_Poisson_Draw)->Arg(3)->Arg(30)->Arg(30'000);

// Number of outcomes as the argument: O(1) per draw, until the table leaves the cache.
void BM_DiscreteDistribution_Draw(benchmark::State& state) {
  std::vector<double> weights(static_cast<size_t>(state.range(0)));
  RandomStream w(2, Purpose::kEngine, 0);
  for (double& x : weights) {
    x = w.next_double();
  }
  const auto d = DiscreteDistribution::make(weights).value();
  run_draws(state, [&](RandomStream& s) { return d.draw(s); });
}
BENCHMARK(BM_DiscreteDistribution_Draw)->Range(16, 1 << 20);

void BM_LogHistogram_Add(benchmark::State& state) {
  const auto e = Exponential::with_mean(1).value();
  RandomStream s(3, Purpose::kEngine, 0);
  std::vector<double> xs(4096);
  for (double& x : xs) {
    x = e.draw(s);
  }
  LogHistogram h;
  size_t i = 0;
  for (auto _ : state) {
    h.add(xs[i++ & 4095]);
  }
  benchmark::DoNotOptimize(h.count());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LogHistogram_Add);

void BM_Tally_Add(benchmark::State& state) {
  Tally t;
  double x = 0;
  for (auto _ : state) {
    t.add(x);
    x += 0.5;
  }
  benchmark::DoNotOptimize(t.mean());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Tally_Add);

} // namespace
