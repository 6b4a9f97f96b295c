// A small fixed PHOLD run pinned as a literal: every build type (the sanitizer build in CI, the
// release build in benchmarks) and every queue must execute exactly these events.
#include "phold/phold.h"
#include "sim/simulator.h"

#include <gtest/gtest.h>

using namespace hcesim;
using namespace hcesim::phold;

namespace {
PholdShape small_shape() {
  PholdShape shape;
  shape.lps = 64;
  shape.start = 2;
  shape.remote = 0.25;
  shape.mean = Duration::seconds(1);
  shape.lookahead = Duration::millis(100);
  shape.end = Time::epoch() + Duration::seconds(50);
  shape.seed = 7;
  return shape;
}
} // namespace

TEST(Phold, SmallRunGivesThePinnedFingerprintOnEveryQueue) {
  for (QueueChoice queue : {QueueChoice::kHeap, QueueChoice::kRadix, QueueChoice::kStd}) {
    const PholdResult r = run_phold(small_shape(), queue);
    EXPECT_EQ(r.events, 6341U) << static_cast<int>(queue);
    EXPECT_EQ(r.fingerprint, 0x03656c3a9e003a51ULL) << static_cast<int>(queue);
  }
}

TEST(Phold, SameSeedTwiceGivesTheSameFingerprintAndAnotherSeedDoesNot) {
  PholdShape shape = small_shape();
  const PholdResult a = run_phold(shape, QueueChoice::kRadix);
  const PholdResult b = run_phold(shape, QueueChoice::kRadix);
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  EXPECT_EQ(a.events, b.events);
  shape.seed = 8;
  EXPECT_NE(run_phold(shape, QueueChoice::kRadix).fingerprint, a.fingerprint);
}

TEST(Phold, EveryEventIsCountedAtItsLp) {
  const PholdShape shape = small_shape();
  Phold model(shape);
  sim::Simulator<Phold> sim(model);
  model.start_in(sim);
  EXPECT_EQ(sim.pending(), 128U);
  sim.run_until(shape.end);
  EXPECT_EQ(model.total_events(), sim.events_executed());
  EXPECT_EQ(sim.pending(), 128U); // each event schedules exactly one
}

TEST(Phold, LargeShapeAgreesAcrossQueues) {
  // Enough pending events that the radix queue uses many buckets and the heap is deep.
  PholdShape shape;
  shape.lps = 4096;
  shape.start = 4;
  shape.end = Time::epoch() + Duration::seconds(3);
  const PholdResult heap = run_phold(shape, QueueChoice::kHeap);
  const PholdResult radix = run_phold(shape, QueueChoice::kRadix);
  const PholdResult baseline = run_phold(shape, QueueChoice::kStd);
  EXPECT_GT(heap.events, 40'000U);
  EXPECT_EQ(heap.events, radix.events);
  EXPECT_EQ(heap.fingerprint, radix.fingerprint);
  EXPECT_EQ(heap.fingerprint, baseline.fingerprint);
}
