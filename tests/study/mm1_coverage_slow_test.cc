// Proof that replications' 95 % t intervals mean what they say: the mean time in an M/M/1 system
// (λ = 0.5/s, μ = 1/s, so W = 1/(μ − λ) = 2 s), measured by replications of the real ServiceQueue
// with warm-up deletion and seeds from replication_seed, covers the true value about 95 % of the
// time over many independent studies.
#include "models/cloud_queue/service_queue.h"
#include "sim/distributions.h"
#include "sim/simulator.h"
#include "study/kpi_estimate.h"
#include "study/replication_seed.h"

#include <gtest/gtest.h>

#include <cmath>

namespace hcesim::study {
namespace {

enum Kind : uint32_t { kArrival = 1, kDone = 2, kTimeout = 3, kWarmupEnd = 4 };

struct Mm1 {
  Mm1(uint64_t seed, double lambda)
      : queue(models::ServiceQueue::exponential(
            models::CloudServiceConfig{
                1, Duration::seconds(1), 1'000'000, Duration::days(30), {}, {}},
            {kDone, kTimeout}, sim::RandomStream(seed, sim::Purpose::kCloud, 0), Time::epoch())),
        arrivals(seed, sim::Purpose::kEngine, 0), rate(lambda) {}

  template <class Sim> void handle(const sim::Event& e, Sim& sim) {
    if (e.kind() == kWarmupEnd) {
      queue.restart_statistics(sim.now());
    } else if (e.kind() == kArrival) {
      queue.submit(sim, 0, 0);
      sim.schedule_in(sim::duration_from_seconds(-std::log(arrivals.next_open_double()) / rate),
                      kArrival, 0);
    } else {
      queue.handle(e, sim);
    }
  }

  models::ServiceQueue queue;
  sim::RandomStream arrivals;
  double rate;
};

// One replication: mean sojourn (s) of requests arriving after a 200 s warm-up over 2,000 s.
double mean_sojourn(uint64_t seed) {
  Mm1 m(seed, 0.5);
  sim::Simulator<Mm1> s(m);
  s.schedule_at(Time::epoch(), kArrival, 0);
  s.schedule_at(Time::epoch() + Duration::seconds(200), kWarmupEnd, 0);
  s.run_until(Time::epoch() + Duration::seconds(2200));
  return m.queue.sojourn().mean();
}

TEST(Mm1Coverage, ReplicationIntervalsCoverTheTrueMeanAbout95PercentOfTheTime) {
  constexpr double kTrue = 2.0;
  constexpr int kStudies = 300;
  constexpr uint32_t kReplications = 8;
  int covered = 0;
  for (int study = 0; study < kStudies; ++study) {
    std::vector<double> values;
    for (uint32_t k = 0; k < kReplications; ++k) {
      values.push_back(mean_sojourn(replication_seed(1000 + static_cast<uint64_t>(study), k)));
    }
    const KpiEstimate e = estimate_values(values);
    covered += e.ci_low() <= kTrue && kTrue <= e.ci_high() ? 1 : 0;
  }
  const double coverage = static_cast<double>(covered) / kStudies;
  // Binomial sd at 95 % over 300 studies is 1.26 %: ±3 sd.
  EXPECT_GT(coverage, 0.912);
  EXPECT_LT(coverage, 0.988);
}

} // namespace
} // namespace hcesim::study
