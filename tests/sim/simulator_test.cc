#include "sim/simulator.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

using namespace hcesim;
using namespace hcesim::sim;

namespace {

// A model that logs what ran and reacts to a few kinds.
struct Recorder {
  enum Kind : uint32_t { kLog = 0, kStop = 1, kThrow = 2, kChain = 3, kIntoThePast = 4 };
  struct Entry {
    int64_t time_us;
    uint32_t kind;
    uint32_t entity;
    bool operator==(const Entry&) const = default;
  };
  std::vector<Entry> log;

  template <class Sim> void handle(const Event& e, Sim& sim) {
    log.push_back({e.time.us(), e.kind(), e.entity});
    switch (e.kind()) {
    case kStop:
      sim.stop();
      break;
    case kThrow:
      throw std::runtime_error("fare table missing");
    case kChain:
      if (e.payload > 0) {
        sim.schedule_in(Duration::seconds(1), kChain, e.entity, e.payload - 1);
      }
      break;
    case kIntoThePast:
      sim.schedule_at(e.time - Duration::micros(1), kLog, e.entity);
      break;
    default:
      break;
    }
  }
  static const char* kind_name(uint32_t kind) {
    switch (kind) {
    case kThrow:
      return "settle";
    default:
      return "other";
    }
  }
};

template <class Q> class SimulatorTest : public ::testing::Test {};
using QueueVariants = ::testing::Types<FourAryHeap, RadixQueue>;
TYPED_TEST_SUITE(SimulatorTest, QueueVariants);

} // namespace

TYPED_TEST(SimulatorTest, RunUntilRunsEventsBeforeTheEndAndMovesTheClockThere) {
  Recorder m;
  Simulator<Recorder, TypeParam> sim(m);
  sim.schedule_at(Time::from_us(100), Recorder::kLog, 1);
  sim.schedule_at(Time::from_us(200), Recorder::kLog, 2);
  sim.schedule_at(Time::from_us(300), Recorder::kLog, 3);
  EXPECT_EQ(sim.run_until(Time::from_us(200)), RunEnd::kReachedTime);
  EXPECT_EQ(sim.now(), Time::from_us(200));
  EXPECT_EQ(m.log, (std::vector<Recorder::Entry>{{100, 0, 1}}));
  EXPECT_EQ(sim.run_until(Time::from_us(1000)), RunEnd::kReachedTime);
  EXPECT_EQ(sim.now(), Time::from_us(1000));
  EXPECT_EQ(sim.events_executed(), 3U);
  EXPECT_EQ(sim.pending(), 0U);
}

TYPED_TEST(SimulatorTest, RunEventsStopsAfterTheCount) {
  Recorder m;
  Simulator<Recorder, TypeParam> sim(m);
  sim.schedule_at(Time::from_us(0), Recorder::kChain, 7, 10); // a chain of 11 events, 1 s apart
  EXPECT_EQ(sim.run_events(4), RunEnd::kReachedCount);
  EXPECT_EQ(sim.events_executed(), 4U);
  EXPECT_EQ(sim.now(), Time::from_us(3'000'000));
  EXPECT_EQ(sim.run_events(100), RunEnd::kQueueEmpty);
  EXPECT_EQ(sim.events_executed(), 11U);
  EXPECT_EQ(sim.now(), Time::from_us(10'000'000));
}

TYPED_TEST(SimulatorTest, RunEndsWhenTheQueueIsEmpty) {
  Recorder m;
  Simulator<Recorder, TypeParam> sim(m);
  sim.schedule_in(Duration::seconds(2), Recorder::kLog, 1);
  sim.schedule_in(Duration::seconds(1), Recorder::kLog, 2);
  EXPECT_EQ(sim.run(), RunEnd::kQueueEmpty);
  EXPECT_EQ(m.log, (std::vector<Recorder::Entry>{{1'000'000, 0, 2}, {2'000'000, 0, 1}}));
  EXPECT_EQ(sim.now(), Time::from_us(2'000'000));
}

TYPED_TEST(SimulatorTest, AHandlerCanStopTheRun) {
  Recorder m;
  Simulator<Recorder, TypeParam> sim(m);
  sim.schedule_at(Time::from_us(10), Recorder::kLog, 1);
  sim.schedule_at(Time::from_us(20), Recorder::kStop, 2);
  sim.schedule_at(Time::from_us(30), Recorder::kLog, 3);
  EXPECT_EQ(sim.run(), RunEnd::kStopped);
  EXPECT_EQ(sim.now(), Time::from_us(20));
  EXPECT_EQ(sim.events_executed(), 2U);
  EXPECT_EQ(sim.run(), RunEnd::kQueueEmpty); // resumes where it stopped
  EXPECT_EQ(m.log.back(), (Recorder::Entry{30, 0, 3}));
}

TYPED_TEST(SimulatorTest, CancelledEventsDoNotRun) {
  Recorder m;
  Simulator<Recorder, TypeParam> sim(m);
  sim.schedule_at(Time::from_us(10), Recorder::kLog, 1);
  EventHandle h = sim.schedule_at(Time::from_us(20), Recorder::kLog, 2);
  sim.schedule_at(Time::from_us(30), Recorder::kLog, 3);
  EXPECT_TRUE(sim.cancel(h));
  EXPECT_EQ(sim.pending(), 2U);
  EXPECT_EQ(sim.run(), RunEnd::kQueueEmpty);
  EXPECT_EQ(m.log, (std::vector<Recorder::Entry>{{10, 0, 1}, {30, 0, 3}}));
  EXPECT_EQ(sim.events_executed(), 2U);
  EXPECT_FALSE(sim.cancel(h));
}

TYPED_TEST(SimulatorTest, AThrowingHandlerStopsTheRunNamingTimeKindAndEntity) {
  Recorder m;
  Simulator<Recorder, TypeParam> sim(m);
  sim.schedule_at(Time::from_us(1'500'000), Recorder::kThrow, 42);
  sim.schedule_at(Time::from_us(2'000'000), Recorder::kLog, 43);
  try {
    sim.run();
    FAIL() << "expected a RunError";
  } catch (const RunError& e) {
    EXPECT_EQ(e.time(), Time::from_us(1'500'000));
    EXPECT_EQ(e.kind(), Recorder::kThrow);
    EXPECT_EQ(e.entity(), 42U);
    EXPECT_STREQ(e.what(),
                 "event settle (kind 2) of entity 42 at d0 00:00:01.500000 failed: fare table "
                 "missing");
  }
  EXPECT_EQ(sim.events_executed(), 1U); // the later event did not run
  EXPECT_EQ(sim.pending(), 1U);
}

TYPED_TEST(SimulatorTest, SchedulingInThePastIsAnErrorNamingTheEvent) {
  Recorder m;
  Simulator<Recorder, TypeParam> sim(m);
  sim.schedule_at(Time::from_us(5'000'000), Recorder::kIntoThePast, 9);
  try {
    sim.run();
    FAIL() << "expected a RunError";
  } catch (const RunError& e) {
    EXPECT_EQ(e.entity(), 9U);
    EXPECT_NE(std::string(e.what()).find("before the current time d0 00:00:05"), std::string::npos)
        << e.what();
  }
  // Outside a run the ScheduleError reaches the caller directly.
  EXPECT_THROW(sim.schedule_at(Time::from_us(4'999'999), Recorder::kLog, 1), ScheduleError);
}

TYPED_TEST(SimulatorTest, EqualTimeEventsRunInScheduleOrder) {
  Recorder m;
  Simulator<Recorder, TypeParam> sim(m);
  for (uint32_t i = 0; i < 20; ++i) {
    sim.schedule_at(Time::from_us(i % 3 == 0 ? 100 : 50), Recorder::kLog, i);
  }
  sim.run();
  std::vector<uint32_t> order;
  for (const auto& entry : m.log) {
    order.push_back(entry.entity);
  }
  EXPECT_EQ(order, (std::vector<uint32_t>{1,  2,  4,  5, 7, 8, 10, 11, 13, 14,
                                          16, 17, 19, 0, 3, 6, 9,  12, 15, 18}));
}

TYPED_TEST(SimulatorTest, FingerprintFoldsEveryExecutedEvent) {
  auto run_once = [](bool extra) {
    Recorder m;
    Simulator<Recorder, TypeParam> sim(m);
    sim.schedule_at(Time::from_us(0), Recorder::kChain, 1, 5);
    if (extra) {
      sim.schedule_at(Time::from_us(7), Recorder::kLog, 2);
    }
    sim.run();
    return sim.fingerprint().value();
  };
  EXPECT_EQ(run_once(false), run_once(false));
  EXPECT_NE(run_once(false), run_once(true));
  Fingerprint expected;
  for (int64_t s = 0; s <= 5; ++s) {
    expected.add(s * 1'000'000, Recorder::kChain, 1);
  }
  EXPECT_EQ(run_once(false), expected.value());
}

TEST(Simulator, ReportsProgressEveryFewThousandEvents) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  Recorder m;
  Simulator<Recorder> sim(m);
  Progress progress(Time::epoch(), Time::from_us(1'000'000'000),
                    {.out = f, .even_if_not_terminal = true, .interval = {}});
  sim.set_progress(&progress);
  sim.schedule_at(Time::epoch(), Recorder::kChain, 1, Progress::kCheckEvery * 2);
  sim.run_events(Progress::kCheckEvery - 1);
  EXPECT_EQ(progress.lines_printed(), 0); // the clock is not even looked at before
  sim.run_events(Progress::kCheckEvery + 1);
  EXPECT_EQ(progress.lines_printed(), 2);
  std::fclose(f);
}

namespace {

// Records each staged prefetch: which event (entity) was fetched at which stage, and how many
// events had run by then.
struct StagedFetcher {
  struct Fetch {
    uint32_t entity;
    int stage;
    size_t ran_before;
  };
  std::vector<Fetch> fetches;
  std::vector<uint32_t> ran;
  template <class Sim> void handle(const Event& e, Sim&) { ran.push_back(e.entity); }
  void prefetch(const Event& e, int stage) { fetches.push_back({e.entity, stage, ran.size()}); }
};

} // namespace

TEST(Simulator, CallsEachPrefetchStageOnAnEventInOrderBeforeItRuns) {
  StagedFetcher model;
  Simulator<StagedFetcher, RadixQueue> sim(model);
  constexpr uint32_t kEvents = 100;
  // Within one sorted run of the queue, so every event is known kStageAhead places ahead.
  static_assert(kEvents <= RadixQueue::kRunTarget);
  for (uint32_t i = 0; i < kEvents; ++i) {
    sim.schedule_at(Time::epoch() + Duration::seconds(i), 0, i);
  }
  sim.run();
  ASSERT_EQ(model.ran.size(), kEvents);
  std::vector<std::vector<StagedFetcher::Fetch>> of(kEvents);
  for (const auto& f : model.fetches) {
    ASSERT_LT(f.entity, kEvents);
    of[f.entity].push_back(f);
  }
  using S = Simulator<StagedFetcher, RadixQueue>;
  for (uint32_t i = 0; i < kEvents; ++i) {
    if (i <= S::kStageAhead[0]) {
      continue; // ahead of the first events run: their earlier stages had no event to run before
    }
    ASSERT_EQ(of[i].size(), 3u) << "event " << i;
    for (size_t stage = 0; stage < 3; ++stage) {
      EXPECT_EQ(of[i][stage].stage, static_cast<int>(stage)) << "event " << i << ": in order";
      // Stage s comes while the event kStageAhead[s] + 1 places before it runs.
      EXPECT_EQ(of[i][stage].ran_before, i - S::kStageAhead[stage] - 1) << "event " << i;
    }
  }
}
