// Validity of the engine, the random streams and the statistics together: M/M/1 and M/M/c
// queues built on the Simulator must reproduce the exact queueing formulas within 95 % confidence
// intervals over independent replications, with the warm-up deleted.
#include "sim/distributions.h"
#include "sim/simulator.h"
#include "sim/stats/confidence_interval.h"
#include "sim/stats/counter.h"
#include "sim/stats/tally.h"
#include "sim/stats/time_weighted.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <vector>

using namespace hcesim;
using namespace hcesim::sim;

namespace {

struct QueueSetup {
  uint32_t servers;
  double arrival_rate; // per second
  double service_rate; // per second, per server
  Duration warm_up;    // measured from time 0, empty start
  Duration horizon;    // arrivals stop at warm_up + horizon
};

// An M/M/c FIFO queue. Waits are recorded for the customers arriving in [warm_up, end); after
// `end` no one arrives and the run drains, so every counted customer's wait is complete.
class MmcQueue {
public:
  enum Kind : uint32_t { kArrival = 0, kDeparture = 1, kWarmUpEnd = 2, kArrivalsEnd = 3 };

  MmcQueue(const QueueSetup& setup, uint64_t seed)
      : setup_(setup), arrivals_(seed, Purpose::kEngine, 0), services_(seed, Purpose::kEngine, 1),
        interarrival_(Exponential::with_rate(setup.arrival_rate).value()),
        service_(Exponential::with_rate(setup.service_rate).value()),
        warm_up_end_(Time::epoch() + setup.warm_up), end_(warm_up_end_ + setup.horizon),
        queue_length_(Time::epoch()), busy_(Time::epoch()) {
    for (uint32_t s = setup.servers; s > 0; --s) {
      free_servers_.push_back(s - 1);
    }
  }

  template <class Sim> void start(Sim& sim) {
    sim.schedule_at(warm_up_end_, kWarmUpEnd, 0);
    sim.schedule_at(end_, kArrivalsEnd, 0);
    sim.schedule_in(duration_from_seconds(interarrival_.draw(arrivals_)), kArrival, 0);
  }

  template <class Sim> void handle(const Event& e, Sim& sim) {
    const Time now = sim.now();
    switch (e.kind()) {
    case kArrival: {
      const Time next = now + duration_from_seconds(interarrival_.draw(arrivals_));
      if (next < end_) {
        sim.schedule_at(next, kArrival, 0);
      }
      if (now >= warm_up_end_) {
        arrivals_measured_.add();
      }
      if (free_servers_.empty()) {
        waiting_.push_back(now);
        queue_length_.add(now, 1);
      } else {
        record_wait(now, now);
        begin_service(sim, now);
      }
      break;
    }
    case kDeparture:
      free_servers_.push_back(e.entity);
      busy_.add(now, -1);
      if (!waiting_.empty()) {
        const Time arrived = waiting_.front();
        waiting_.pop_front();
        queue_length_.add(now, -1);
        record_wait(arrived, now);
        begin_service(sim, now);
      }
      break;
    case kWarmUpEnd:
      queue_length_.restart(now);
      busy_.restart(now);
      break;
    case kArrivalsEnd:
      mean_queue_length_ = queue_length_.average(now);
      utilisation_ = busy_.average(now) / setup_.servers;
      break;
    default:
      FAIL() << "unknown event kind " << e.kind();
    }
  }

  const Tally& waits() const { return waits_; }
  //! Arrivals in [warm_up, end): the customers behind waits().
  const Counter& arrivals_measured() const { return arrivals_measured_; }
  //! Every customer's waiting time clipped to [warm_up, end), summed (exact integer µs).
  double waiting_inside_window_us() const { return static_cast<double>(waiting_inside_window_us_); }
  double mean_queue_length() const { return mean_queue_length_; }
  double utilisation() const { return utilisation_; }

private:
  void record_wait(Time arrived, Time now) {
    const Time from = std::max(arrived, warm_up_end_);
    const Time to = std::min(now, end_);
    waiting_inside_window_us_ += from < to ? (to - from).us() : 0;
    if (arrived >= warm_up_end_) {
      waits_.add((now - arrived).to_seconds());
    }
  }
  template <class Sim> void begin_service(Sim& sim, Time now) {
    const uint32_t server = free_servers_.back();
    free_servers_.pop_back();
    busy_.add(now, 1);
    sim.schedule_in(duration_from_seconds(service_.draw(services_)), kDeparture, server);
  }

  QueueSetup setup_;
  RandomStream arrivals_;
  RandomStream services_;
  Exponential interarrival_;
  Exponential service_;
  Time warm_up_end_;
  Time end_;
  std::deque<Time> waiting_; // arrival times, FIFO
  std::vector<uint32_t> free_servers_;
  Tally waits_;
  Counter arrivals_measured_;
  int64_t waiting_inside_window_us_ = 0;
  TimeWeighted queue_length_;
  TimeWeighted busy_;
  double mean_queue_length_ = 0;
  double utilisation_ = 0;
};

struct Replications {
  Tally mean_wait;         // one value per replication
  Tally mean_queue_length; // time average over [warm_up, end)
  Tally utilisation;
  uint64_t events = 0;
};

template <class Queue = DefaultQueue>
Replications replicate(const QueueSetup& setup, int replications, uint64_t base_seed) {
  Replications r;
  for (int i = 0; i < replications; ++i) {
    // Independent replications: each draws from streams keyed by its own derived seed.
    MmcQueue model(setup, mix64(base_seed + static_cast<uint64_t>(i)));
    Simulator<MmcQueue, Queue> sim(model);
    model.start(sim);
    EXPECT_EQ(sim.run(), RunEnd::kQueueEmpty);
    r.mean_wait.add(model.waits().mean());
    r.mean_queue_length.add(model.mean_queue_length());
    r.utilisation.add(model.utilisation());
    EXPECT_EQ(model.arrivals_measured().value(), model.waits().count());
    // Little's law on the sample path, exactly: the time-average queue length over the window
    // times the window is the waiting time inside the window summed over customers.
    const auto window_us = static_cast<double>(setup.horizon.us());
    EXPECT_NEAR(model.mean_queue_length() * window_us, model.waiting_inside_window_us(),
                1e-12 * window_us);
    r.events += sim.events_executed();
  }
  return r;
}

// Erlang C: the probability an arrival waits in an M/M/c queue with offered load a = λ/μ < c.
double erlang_c(uint32_t c, double a) {
  double term = 1; // a^k / k!
  double below = 0;
  for (uint32_t k = 0; k < c; ++k) {
    below += term;
    term *= a / (k + 1);
  }
  const double waiting = term * c / (c - a);
  return waiting / (below + waiting);
}

// The exact value must lie inside the 95 % interval, and the interval must be tight enough
// (half-width under `max_relative` of the exact value) that a wrong model could not pass
// behind a loose one.
void expect_inside_tight_interval(const Tally& replications, double exact, double max_relative,
                                  const char* what) {
  const ConfidenceInterval ci = confidence_interval(replications, 0.95).value();
  std::printf("%s: exact %.5f, 95%% CI %.5f ± %.5f over %lld replications\n", what, exact, ci.mean,
              ci.half_width, static_cast<long long>(ci.n));
  EXPECT_TRUE(ci.contains(exact)) << what << ": exact " << exact << " outside [" << ci.lower()
                                  << ", " << ci.upper() << "]";
  EXPECT_LT(ci.half_width, max_relative * exact)
      << what << ": interval half-width " << ci.half_width << " too loose";
}

constexpr int kReplications = 20;

} // namespace

TEST(QueueingValidity, MM1MeanWaitMatchesTheExactValueAtUtilisationPointEight) {
  // λ = 0.8/s, μ = 1/s: Wq = ρ / (μ − λ) = 4 s, Lq = λ·Wq = 3.2, utilisation 0.8.
  const QueueSetup setup{1, 0.8, 1.0, Duration::seconds(5'000), Duration::seconds(50'000)};
  const Replications r = replicate(setup, kReplications, 0x5eed0001);
  const double wq = 0.8 / (1.0 - 0.8);
  expect_inside_tight_interval(r.mean_wait, wq, 0.05, "mean wait");
  expect_inside_tight_interval(r.mean_queue_length, 0.8 * wq, 0.05, "mean queue length");
  expect_inside_tight_interval(r.utilisation, 0.8, 0.01, "utilisation");
  // The test discriminates: the exact wait at utilisation 0.82 (4.56 s) lies outside.
  EXPECT_FALSE(confidence_interval(r.mean_wait)->contains(0.82 / (1.0 - 0.82)));
}

TEST(QueueingValidity, MM3MeanWaitMatchesErlangC) {
  // c = 3, λ = 2.4/s, μ = 1/s per server (utilisation 0.8): Wq = C(3, 2.4) / (cμ − λ).
  const QueueSetup setup{3, 2.4, 1.0, Duration::seconds(2'000), Duration::seconds(20'000)};
  const Replications r = replicate(setup, kReplications, 0x5eed0003);
  const double c_prob = erlang_c(3, 2.4);
  EXPECT_NEAR(c_prob, 0.6471910112, 1e-9); // 11.52 / 17.8, by hand
  const double wq = c_prob / (3 * 1.0 - 2.4);
  expect_inside_tight_interval(r.mean_wait, wq, 0.05, "mean wait");
  expect_inside_tight_interval(r.mean_queue_length, 2.4 * wq, 0.05, "mean queue length");
  expect_inside_tight_interval(r.utilisation, 0.8, 0.01, "utilisation");
  // The test discriminates: Erlang C's wait at utilisation 0.82 lies outside.
  EXPECT_FALSE(confidence_interval(r.mean_wait)->contains(erlang_c(3, 2.46) / (3 - 2.46)));
}

TEST(QueueingValidity, EveryQueueVariantRunsTheSameReplication) {
  const QueueSetup setup{1, 0.8, 1.0, Duration::seconds(100), Duration::seconds(2'000)};
  const Replications radix = replicate<RadixQueue>(setup, 1, 7);
  const Replications heap = replicate<FourAryHeap>(setup, 1, 7);
  EXPECT_EQ(radix.events, heap.events);
  EXPECT_EQ(radix.mean_wait.mean(), heap.mean_wait.mean());
  EXPECT_EQ(radix.mean_queue_length.mean(), heap.mean_queue_length.mean());
}
