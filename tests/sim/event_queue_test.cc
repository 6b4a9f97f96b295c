// Every queue variant against a reference (std::set of (time, seq)) on random schedules, with
// cancellations and interleaved pops.
#include "sim/dary_heap.h"
#include "sim/radix_queue.h"
#include "sim/random_stream.h"
#include "sim/schedule.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <utility>
#include <vector>

using namespace hcesim;
using namespace hcesim::sim;

template <class Q> class EventQueueTest : public ::testing::Test {};
using QueueVariants = ::testing::Types<FourAryHeap, DaryHeap<2>, DaryHeap<8>, RadixQueue>;
TYPED_TEST_SUITE(EventQueueTest, QueueVariants);

TYPED_TEST(EventQueueTest, EqualTimesPopInInsertionOrder) {
  TypeParam q;
  // Interleave two times so that equal-time events are not pushed back to back.
  for (uint32_t i = 0; i < 100; ++i) {
    q.push(Event{Time::from_us(i % 2 == 0 ? 50 : 70), Event::pack(i + 1, 3), i, 0});
  }
  std::vector<uint32_t> order;
  while (!q.empty()) {
    order.push_back(q.pop().entity);
  }
  std::vector<uint32_t> expected;
  for (uint32_t i = 0; i < 100; i += 2) {
    expected.push_back(i);
  }
  for (uint32_t i = 1; i < 100; i += 2) {
    expected.push_back(i);
  }
  EXPECT_EQ(order, expected);
}

TYPED_TEST(EventQueueTest, EqualTimePushesDuringPopsKeepInsertionOrder) {
  Schedule<TypeParam> s;
  s.push(Time::from_us(10), 0, 1, 0);
  s.push(Time::from_us(10), 0, 2, 0);
  s.push(Time::from_us(20), 0, 9, 0);
  Event e;
  ASSERT_TRUE(s.pop(e));
  EXPECT_EQ(e.entity, 1U);
  s.push(Time::from_us(10), 0, 3, 0); // same time as the event just popped
  std::vector<uint32_t> rest;
  while (s.has_entries()) {
    ASSERT_TRUE(s.pop(e));
    rest.push_back(e.entity);
  }
  EXPECT_EQ(rest, (std::vector<uint32_t>{2, 3, 9}));
}

TYPED_TEST(EventQueueTest, TopTimeIsTheEarliestPendingTime) {
  TypeParam q;
  q.push(Event{Time::from_us(500), Event::pack(1, 0), 0, 0});
  q.push(Event{Time::from_us(300), Event::pack(2, 0), 0, 0});
  q.push(Event{Time::from_us(900), Event::pack(3, 0), 0, 0});
  EXPECT_EQ(q.top_time(), Time::from_us(300));
  EXPECT_EQ(q.pop().time, Time::from_us(300));
  EXPECT_EQ(q.top_time(), Time::from_us(500));
  EXPECT_EQ(q.size(), 2U);
}

TYPED_TEST(EventQueueTest, AcceptsAnEarlierTimeOnceEmpty) {
  TypeParam q;
  q.push(Event{Time::from_us(1000), Event::pack(1, 0), 0, 0});
  q.pop();
  q.push(Event{Time::from_us(-5), Event::pack(2, 0), 7, 0});
  q.push(Event{Time::from_us(-9), Event::pack(3, 0), 8, 0});
  EXPECT_EQ(q.pop().entity, 8U);
  EXPECT_EQ(q.pop().entity, 7U);
}

TYPED_TEST(EventQueueTest, MatchesAReferenceOnRandomSchedulesWithCancellations) {
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    RandomStream rng(seed, Purpose::kEngine, 0xE0);
    Schedule<TypeParam> s;
    std::set<std::pair<int64_t, uint64_t>> reference;                // live (time, seq)
    std::vector<EventHandle> handles;                                // every handle ever issued
    int64_t now = static_cast<int64_t>(rng.uniform_int(1000)) - 500; // negative times too
    const int ops = 3000;
    for (int op = 0; op < ops; ++op) {
      const uint64_t what = rng.uniform_int(100);
      if (what < 50) {
        // Push: many ties (small delays), some far-future times that exercise high buckets.
        int64_t delay = 0;
        const uint64_t shape = rng.uniform_int(10);
        if (shape < 6) {
          delay = static_cast<int64_t>(rng.uniform_int(8));
        } else if (shape < 9) {
          delay = static_cast<int64_t>(rng.uniform_int(100'000));
        } else {
          delay = static_cast<int64_t>(rng.uniform_int(uint64_t{1} << 42));
        }
        const auto kind = static_cast<uint32_t>(rng.uniform_int(5));
        EventHandle h = s.push(Time::from_us(now + delay), kind, static_cast<uint32_t>(op), 0);
        reference.insert({h.time.us(), h.seq});
        handles.push_back(h);
      } else if (what < 65 && !handles.empty()) {
        // Cancel any handle: pending, already run, or already cancelled.
        const EventHandle h = handles[rng.uniform_int(handles.size())];
        const bool pending = reference.erase({h.time.us(), h.seq}) != 0;
        ASSERT_EQ(s.cancel(h), pending) << "seed " << seed << " op " << op;
      } else {
        // Pop the next live event, dropping cancelled ones on the way.
        Event e;
        bool got = false;
        while (s.has_entries() && !got) {
          got = s.pop(e);
        }
        ASSERT_EQ(got, !reference.empty()) << "seed " << seed << " op " << op;
        if (got) {
          ASSERT_EQ(std::make_pair(e.time.us(), e.seq()), *reference.begin())
              << "seed " << seed << " op " << op;
          reference.erase(reference.begin());
          now = e.time.us();
        }
      }
      ASSERT_EQ(s.size(), reference.size()) << "seed " << seed << " op " << op;
    }
    // Drain.
    Event e;
    while (s.has_entries()) {
      if (s.pop(e)) {
        ASSERT_FALSE(reference.empty());
        ASSERT_EQ(std::make_pair(e.time.us(), e.seq()), *reference.begin());
        reference.erase(reference.begin());
      }
    }
    EXPECT_TRUE(reference.empty());
  }
}

TEST(Schedule, CancellingTwiceOrAfterRunningReturnsFalse) {
  Schedule<RadixQueue> s;
  EventHandle a = s.push(Time::from_us(5), 0, 1, 0);
  EventHandle b = s.push(Time::from_us(6), 0, 2, 0);
  EXPECT_TRUE(s.cancel(b));
  EXPECT_FALSE(s.cancel(b));
  EXPECT_EQ(s.size(), 1U);
  Event e;
  ASSERT_TRUE(s.pop(e));
  EXPECT_FALSE(s.cancel(a)); // already ran
  EXPECT_FALSE(s.pop(e));    // b was cancelled: dropped at the front
  EXPECT_FALSE(s.has_entries());
  EXPECT_FALSE(s.cancel(EventHandle{}));
}

TEST(Schedule, HandlesFromBeforeTheQueueEmptiedAreStale) {
  Schedule<RadixQueue> s;
  EventHandle late = s.push(Time::from_us(1'000'000), 0, 1, 0);
  Event e;
  ASSERT_TRUE(s.pop(e));
  // The queue is empty: an earlier time is allowed again, and the old handle must not cancel it.
  s.push(Time::from_us(10), 0, 2, 0);
  EXPECT_FALSE(s.cancel(late));
  EXPECT_EQ(s.size(), 1U);
}

// Many far-ahead events and a stream of soon ones landing inside the sorted run's span (the
// cancel-heavy service shape): the run must stay bounded, peek() must name the next pops, and the
// order must match a reference through the run's insertions and its return to the levels.
TEST(RadixQueue, PushesInsideTheRunSpanKeepOrderAndTheRunStaysBounded) {
  RadixQueue q;
  std::set<std::pair<int64_t, uint64_t>> reference; // (time, seq)
  RandomStream rng(7, Purpose::kEngine, 0xE1);
  uint64_t seq = 1;
  auto push = [&](int64_t t) {
    q.push(Event{Time::from_us(t), Event::pack(seq, 0), 0, 0});
    reference.insert({t, seq});
    ++seq;
  };
  for (int64_t i = 0; i < 4000; ++i) {
    push(2'000'000 + i * 500); // far-ahead timeouts, 500 us apart
  }
  int64_t now = 0;
  for (int step = 0; step < 20'000; ++step) {
    // Two soon events per pop (a few ties), one far one: the queue grows slowly.
    push(now + static_cast<int64_t>(rng.uniform_int(4)));
    push(now + static_cast<int64_t>(rng.uniform_int(3000)));
    if (step % 2 == 0) {
      push(now + 2'000'000);
    }
    ASSERT_EQ(q.peek(RadixQueue::kRunLimit), nullptr) << "step " << step;
    const Event* next = q.peek(1);
    const Event e = q.pop();
    ASSERT_EQ(std::make_pair(e.time.us(), e.seq()), *reference.begin()) << "step " << step;
    reference.erase(reference.begin());
    if (next != nullptr) {
      ASSERT_EQ(std::make_pair(next->time.us(), next->seq()), *reference.begin());
    }
    now = e.time.us();
  }
  while (!q.empty()) {
    const Event e = q.pop();
    ASSERT_EQ(std::make_pair(e.time.us(), e.seq()), *reference.begin());
    reference.erase(reference.begin());
  }
  EXPECT_TRUE(reference.empty());
}

// A day's first trips: a burst far larger than any level keeps, spread over a day and drained in
// order. Order must match a reference, and the big buffers the burst needed must be given back
// once it has drained (a million riders' burst would otherwise stay held all run).
TEST(RadixQueue, ABurstDrainsInOrderAndGivesItsBuffersBack) {
  RadixQueue q;
  std::set<std::pair<int64_t, uint64_t>> reference; // (time, seq)
  RandomStream rng(11, Purpose::kEngine, 0xE2);
  constexpr uint64_t kBurst = 200'000;
  for (uint64_t seq = 1; seq <= kBurst; ++seq) {
    const auto t = static_cast<int64_t>(rng.uniform_int(86'400'000'000));
    q.push(Event{Time::from_us(t), Event::pack(seq, 0), 0, 0});
    reference.insert({t, seq});
  }
  EXPECT_GE(q.capacity_held(), kBurst);
  uint64_t next_seq = kBurst + 1;
  int64_t now = 0;
  for (uint64_t i = 0; i < kBurst; ++i) {
    const Event e = q.pop();
    ASSERT_EQ(std::make_pair(e.time.us(), e.seq()), *reference.begin()) << i;
    reference.erase(reference.begin());
    now = e.time.us();
    if (i % 8 == 0) { // a trickle of follow-up events keeps the queue non-empty
      const int64_t t = now + static_cast<int64_t>(rng.uniform_int(60'000'000));
      q.push(Event{Time::from_us(t), Event::pack(next_seq, 0), 0, 0});
      reference.insert({t, next_seq++});
    }
  }
  // What is left is a small queue: its buffers are bounded by the levels' kept capacity, not by
  // the burst.
  EXPECT_LT(q.size(), kBurst / 4);
  EXPECT_LE(q.capacity_held(), q.size() * 4 + 65 * 4096 + RadixQueue::kRunLimit);
  EXPECT_LT(q.capacity_held(), kBurst);
  while (!q.empty()) {
    const Event e = q.pop();
    ASSERT_EQ(std::make_pair(e.time.us(), e.seq()), *reference.begin());
    reference.erase(reference.begin());
  }
  EXPECT_TRUE(reference.empty());
}
