// The cloud capacity model: timeouts that still use a server, a finite buffer, and validity
// against queueing theory (Little's law from three independent estimates, M/M/c vs Erlang C).
#include "models/cloud_queue/service_queue.h"

#include "sim/distributions.h"
#include "sim/simulator.h"
#include "sim/stats/confidence_interval.h"

#include <gtest/gtest.h>

#include <cmath>
#include <optional>

using namespace hcesim;
using namespace hcesim::models;

namespace {

enum Kind : uint32_t { kArrival = 1, kDone = 2, kTimeout = 3, kScripted = 4, kDown = 5, kUp = 6 };

CloudServiceConfig service(uint32_t servers, uint32_t buffer, Duration timeout) {
  return CloudServiceConfig{servers, Duration::seconds(1), buffer, timeout, Duration::zero(), {}};
}

// Poisson arrivals (kArrival) or scripted ones (kScripted events scheduled by the test), all sent
// to one queue; notices are kept when `keep` is set.
struct QueueModel {
  QueueModel(const CloudServiceConfig& cfg, ServiceTime st, double rate_per_s = 0)
      : queue(cfg, st, {kDone, kTimeout}, sim::RandomStream(1, sim::Purpose::kCloud, 0),
              Time::epoch()),
        arrivals(1, sim::Purpose::kEngine, 0), rate(rate_per_s) {}

  template <class Sim> void handle(const sim::Event& e, Sim& sim) {
    if (e.kind() == kDown || e.kind() == kUp) {
      queue.set_available(sim, e.kind() == kUp);
      return;
    }
    if (e.kind() == kArrival || e.kind() == kScripted) {
      admissions.push_back(queue.submit(sim, next_client++, 0));
      if (e.kind() == kArrival && sim.now() < stop_arrivals) {
        sim.schedule_in(sim::duration_from_seconds(-std::log(arrivals.next_open_double()) / rate),
                        kArrival, 0);
      }
      return;
    }
    ASSERT_TRUE(queue.owns(e.kind()));
    const auto notice = queue.handle(e, sim);
    if (!notice && silent_ok) {
      ++silent; // a served answer now on its way for the fixed latency
      return;
    }
    ASSERT_TRUE(notice.has_value());
    if (notice->kind == NoticeKind::kLost) {
      ++lost;
      return;
    }
    if (keep) {
      notices.push_back(*notice);
      notice_times.push_back(sim.now());
    }
  }

  ServiceQueue queue;
  sim::RandomStream arrivals;
  double rate;
  Time stop_arrivals = Time::max();
  uint32_t next_client = 0;
  uint32_t lost = 0;      // answers lost in an outage
  bool silent_ok = false; // with a fixed latency, a finished service says nothing yet
  uint32_t silent = 0;
  bool keep = true;
  std::vector<Admission> admissions;
  std::vector<Notice> notices;
  std::vector<Time> notice_times;
};

Time at_s(int64_t s) {
  return Time::epoch() + Duration::seconds(s);
}

double erlang_c_wait(uint32_t c, double lambda, double mu) {
  const double a = lambda / mu;
  const double rho = a / c;
  double sum = 0;
  double term = 1; // a^k / k!
  for (uint32_t k = 0; k < c; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  const double tail = term / (1 - rho); // a^c / c! / (1 − ρ)
  const double p_wait = tail / (sum + tail);
  return p_wait / (c * mu - lambda);
}

} // namespace

TEST(ServiceQueue, TimedOutRequestStillUsesTheServer) {
  QueueModel m(service(1, 10, Duration::seconds(5)),
               ServiceTime::fixed(Duration::seconds(10)).value());
  sim::Simulator sim(m);
  sim.schedule_at(at_s(0), kScripted, 0);
  sim.schedule_at(at_s(1), kScripted, 0);
  sim.run();
  ASSERT_EQ(m.notices.size(), 4U);
  // Client 0 gives up at 5 s, client 1 at 6 s; the server still works 0–10 s and 10–20 s.
  EXPECT_EQ(m.notices[0].kind, NoticeKind::kTimedOut);
  EXPECT_EQ(m.notices[0].client, 0U);
  EXPECT_EQ(m.notice_times[0], at_s(5));
  EXPECT_EQ(m.notices[1].kind, NoticeKind::kTimedOut);
  EXPECT_EQ(m.notice_times[1], at_s(6));
  EXPECT_EQ(m.notices[2].kind, NoticeKind::kWasted);
  EXPECT_EQ(m.notices[2].client, 0U);
  EXPECT_EQ(m.notice_times[2], at_s(10));
  EXPECT_EQ(m.notices[3].kind, NoticeKind::kWasted);
  EXPECT_EQ(m.notices[3].client, 1U);
  EXPECT_EQ(m.notice_times[3], at_s(20));
  EXPECT_EQ(m.notices[3].latency, Duration::seconds(19));
  EXPECT_EQ(m.queue.timed_out().value(), 2);
  EXPECT_EQ(m.queue.completed().value(), 2);
  EXPECT_EQ(m.queue.answered_latency().count(), 0U);
}

TEST(ServiceQueue, AnswerInTimeCancelsTheTimeout) {
  QueueModel m(service(1, 10, Duration::seconds(5)),
               ServiceTime::fixed(Duration::seconds(1)).value());
  sim::Simulator sim(m);
  sim.schedule_at(at_s(0), kScripted, 0);
  sim.run();
  ASSERT_EQ(m.notices.size(), 1U);
  EXPECT_EQ(m.notices[0].kind, NoticeKind::kAnswered);
  EXPECT_EQ(m.notices[0].latency, Duration::seconds(1));
  EXPECT_EQ(sim.events_executed(), 2U) << "the arrival and the answer; the timeout never runs";
  EXPECT_EQ(m.queue.in_system(), 0U);
}

TEST(ServiceQueue, FixedLatencyDelaysEachAnswerWithoutHoldingTheServer) {
  CloudServiceConfig cfg = service(1, 10, Duration::seconds(60));
  cfg.fixed_latency = Duration::seconds(5);
  QueueModel m(cfg, ServiceTime::fixed(Duration::seconds(1)).value());
  m.silent_ok = true;
  sim::Simulator sim(m);
  sim.schedule_at(at_s(0), kScripted, 0);
  sim.schedule_at(at_s(0), kScripted, 0);
  sim.run();
  ASSERT_EQ(m.notices.size(), 2U);
  // Served 0–1 s and 1–2 s (the second does not wait for the first's answer), answered 5 s later.
  EXPECT_EQ(m.notices[0].kind, NoticeKind::kAnswered);
  EXPECT_EQ(m.notice_times[0], at_s(6));
  EXPECT_EQ(m.notices[1].kind, NoticeKind::kAnswered);
  EXPECT_EQ(m.notice_times[1], at_s(7));
  EXPECT_EQ(m.notices[1].latency, Duration::seconds(7));
  EXPECT_EQ(m.silent, 2U);
  EXPECT_DOUBLE_EQ(m.queue.answered_latency().max(), 7.0);
  // The queue's own figures leave the fixed part out: time in system is the queue's.
  EXPECT_DOUBLE_EQ(m.queue.sojourn().mean(), 1.5);
  EXPECT_EQ(m.queue.in_system(), 0U);
}

TEST(ServiceQueue, ClientGivingUpWhileTheAnswerIsOnItsWayGetsItAsWasted) {
  CloudServiceConfig cfg = service(1, 10, Duration::seconds(3));
  cfg.fixed_latency = Duration::seconds(5);
  QueueModel m(cfg, ServiceTime::fixed(Duration::seconds(1)).value());
  m.silent_ok = true;
  sim::Simulator sim(m);
  sim.schedule_at(at_s(0), kScripted, 0);
  sim.run();
  ASSERT_EQ(m.notices.size(), 2U);
  EXPECT_EQ(m.notices[0].kind, NoticeKind::kTimedOut);
  EXPECT_EQ(m.notice_times[0], at_s(3));
  EXPECT_EQ(m.notices[1].kind, NoticeKind::kWasted);
  EXPECT_EQ(m.notice_times[1], at_s(6));
  EXPECT_EQ(m.queue.answered_latency().count(), 0U);
  EXPECT_EQ(m.queue.completed().value(), 1);
}

namespace {

// Poisson arrivals every 10,000 s on average to a queue built by ServiceQueue::of.
struct ShapeModel {
  ServiceQueue queue;
  sim::RandomStream arrivals{3, sim::Purpose::kEngine, 0};
  int left = 20'000;
  template <class Sim> void handle(const sim::Event& e, Sim& sim) {
    if (e.kind() == kArrival) {
      (void)queue.submit(sim, 0, 0);
      if (--left > 0) {
        sim.schedule_in(sim::duration_from_seconds(-std::log(arrivals.next_open_double()) * 1e4),
                        kArrival, 0);
      }
      return;
    }
    (void)queue.handle(e, sim);
  }
};

//! sd ÷ mean of the service times of a queue built by ServiceQueue::of (never waiting).
double service_cv(std::optional<double> cv) {
  CloudServiceConfig cfg = service(1, 1'000'000, Duration::days(30));
  cfg.service_time_cv = cv;
  ShapeModel m{ServiceQueue::of(cfg, {kDone, kTimeout},
                                sim::RandomStream(2, sim::Purpose::kCloud, 0), Time::epoch())};
  sim::Simulator sim(m);
  sim.schedule_at(Time::epoch(), kArrival, 0);
  sim.run();
  // At 0.01 % utilisation the time in system is the service time alone.
  EXPECT_LT(m.queue.wait().mean(), 0.05);
  return m.queue.sojourn().sd() / m.queue.sojourn().mean();
}

} // namespace

TEST(ServiceQueue, TheScenariosShapeIsExponentialUnlessAServiceTimeCvIsGiven) {
  EXPECT_NEAR(service_cv(std::nullopt), 1.0, 0.05);
  EXPECT_NEAR(service_cv(0.5), 0.5, 0.05);
  EXPECT_NEAR(service_cv(0.0), 0.0, 0.01);
}

TEST(ServiceQueue, FullBufferRefusesAtOnce) {
  QueueModel m(service(1, 1, Duration::seconds(60)),
               ServiceTime::fixed(Duration::seconds(1)).value());
  sim::Simulator sim(m);
  for (int i = 0; i < 3; ++i) {
    sim.schedule_at(at_s(0), kScripted, 0);
  }
  sim.run();
  ASSERT_EQ(m.admissions.size(), 3U);
  EXPECT_EQ(m.admissions[0], Admission::kQueued);
  EXPECT_EQ(m.admissions[1], Admission::kQueued);
  EXPECT_EQ(m.admissions[2], Admission::kRefused);
  EXPECT_EQ(m.queue.refused().value(), 1);
  EXPECT_EQ(m.notice_times.back(), at_s(2)) << "FIFO: the second waits for the first";
}

TEST(ServiceQueue, DuringAnOutageTheBufferStillBoundsWhatWaits) {
  // Two servers idle but down: only the buffer's two requests wait; the rest are refused.
  QueueModel m(service(2, 2, Duration::seconds(60)),
               ServiceTime::fixed(Duration::seconds(1)).value());
  sim::Simulator sim(m);
  sim.schedule_at(at_s(0), kDown, 0);
  for (int i = 0; i < 5; ++i) {
    sim.schedule_at(at_s(1), kScripted, 0);
  }
  sim.schedule_at(at_s(10), kUp, 0);
  sim.run();
  ASSERT_EQ(m.admissions.size(), 5U);
  EXPECT_EQ(m.admissions[0], Admission::kQueued);
  EXPECT_EQ(m.admissions[1], Admission::kQueued);
  for (size_t i = 2; i < 5; ++i) {
    EXPECT_EQ(m.admissions[i], Admission::kRefused) << i;
  }
  EXPECT_EQ(m.queue.refused().value(), 3);
  ASSERT_EQ(m.notices.size(), 2U);
  EXPECT_EQ(m.notice_times[0], at_s(11)); // both served once the outage ends
  EXPECT_EQ(m.notice_times[1], at_s(11));
}

TEST(ServiceQueue, DuringAnOutageNothingIsAnsweredAndWaitingRequestsStartAfterIt) {
  QueueModel m(service(1, 10, Duration::seconds(5)),
               ServiceTime::fixed(Duration::seconds(2)).value());
  sim::Simulator sim(m);
  sim.schedule_at(at_s(9), kScripted, 0); // client 0: in service 9–11, answer lost at 11
  sim.schedule_at(at_s(10), kDown, 0);
  sim.schedule_at(at_s(12), kScripted, 0); // client 1: waits, gives up at 17
  sim.schedule_at(at_s(20), kUp, 0);       // client 1 served 20–22: wasted work
  sim.schedule_at(at_s(21), kScripted, 0); // client 2: waits for the server, served 22–24
  sim.run();
  EXPECT_EQ(m.lost, 1U);
  ASSERT_EQ(m.notices.size(), 4U);
  EXPECT_EQ(m.notices[0].kind, NoticeKind::kTimedOut);
  EXPECT_EQ(m.notices[0].client, 0U);
  EXPECT_EQ(m.notice_times[0], at_s(14));
  EXPECT_EQ(m.notices[1].kind, NoticeKind::kTimedOut);
  EXPECT_EQ(m.notices[1].client, 1U);
  EXPECT_EQ(m.notice_times[1], at_s(17));
  EXPECT_EQ(m.notices[2].kind, NoticeKind::kWasted);
  EXPECT_EQ(m.notices[2].client, 1U);
  EXPECT_EQ(m.notice_times[2], at_s(22));
  EXPECT_EQ(m.notices[3].kind, NoticeKind::kAnswered);
  EXPECT_EQ(m.notices[3].client, 2U);
  EXPECT_EQ(m.notice_times[3], at_s(24));
  EXPECT_EQ(m.queue.in_system(), 0U);
}

TEST(ServiceQueue, LittlesLawHoldsFromThreeIndependentEstimates) {
  // M/M/2 with a small buffer and short client timeouts, so refusals and wasted work happen.
  QueueModel m(service(2, 3, Duration::seconds(3)),
               ServiceTime::exponential(Duration::seconds(1)).value(), 1.8);
  m.keep = false;
  sim::Simulator sim(m);
  const Time horizon = at_s(40'000);
  m.stop_arrivals = horizon;
  sim.schedule_at(at_s(0), kArrival, 0);
  sim.run_until(horizon);
  m.queue.advance(horizon);
  const double span = (horizon - Time::epoch()).to_seconds();
  const double l = m.queue.number_in_system().average(); // time-average number in system
  const double lambda = static_cast<double>(m.queue.accepted().value()) / span; // arrival count
  const double w = m.queue.sojourn().mean(); // per-request times in system
  ASSERT_GT(m.queue.refused().value(), 100);
  ASSERT_GT(m.queue.timed_out().value(), 100);
  EXPECT_NEAR(l, lambda * w, 0.01 * l);

  // After a drain every accepted request has left: area under N(t) = Σ sojourn times exactly.
  sim.run();
  m.queue.advance(sim.now());
  const double area =
      m.queue.number_in_system().average() * m.queue.number_in_system().span().to_seconds();
  EXPECT_EQ(m.queue.sojourn().count(), m.queue.accepted().value());
  EXPECT_NEAR(area, m.queue.sojourn().sum(), 1e-6 * area);
}

TEST(ServiceQueue, MeanWaitOfMMcMatchesErlangC) {
  const uint32_t c = 3;
  const double lambda = 2.1; // ρ = 0.7
  QueueModel m(service(c, 100'000'000, Duration::minutes(10)),
               ServiceTime::exponential(Duration::seconds(1)).value(), lambda);
  m.keep = false;
  sim::Simulator sim(m);
  sim.schedule_at(at_s(0), kArrival, 0);
  sim.run_until(at_s(2'000)); // warm-up, deleted
  sim::Tally batch_waits;
  sim::Tally batch_busy;
  for (int b = 0; b < 20; ++b) {
    const Time from = sim.now();
    m.queue.restart_statistics(from);
    sim.run_until(from + Duration::seconds(6'000));
    m.queue.advance(sim.now());
    batch_waits.add(m.queue.wait().mean());
    batch_busy.add(m.queue.busy_servers().average());
  }
  const double exact = erlang_c_wait(c, lambda, 1.0); // 0.547 s
  const auto ci = sim::confidence_interval(batch_waits, 0.99);
  ASSERT_TRUE(ci.has_value());
  EXPECT_TRUE(ci->contains(exact)) << ci->lower() << " .. " << ci->upper() << " vs " << exact;
  EXPECT_LT(ci->half_width, 0.08 * exact) << "enough customers to tell a wrong queue apart";
  EXPECT_NEAR(batch_busy.mean(), lambda, 0.03 * lambda) << "servers busy = offered load";
}

TEST(ServiceTime, DrawsHaveTheRequestedMean) {
  sim::RandomStream s(3, sim::Purpose::kCloud, 1);
  for (const auto& st : {ServiceTime::exponential(Duration::millis(5)).value(),
                         ServiceTime::lognormal(Duration::millis(5), 0.5).value()}) {
    sim::Tally t;
    for (int i = 0; i < 20'000; ++i) {
      t.add(st.draw(s).to_seconds());
    }
    EXPECT_NEAR(t.mean(), 0.005, 4 * t.standard_error());
  }
  EXPECT_EQ(ServiceTime::fixed(Duration::millis(5)).value().draw(s), Duration::millis(5));
  EXPECT_FALSE(ServiceTime::exponential(Duration::zero()).ok());
}
