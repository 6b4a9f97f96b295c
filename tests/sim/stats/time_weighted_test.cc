#include "sim/stats/time_weighted.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace hcesim;
using namespace hcesim::sim;

namespace {
Time at_s(int64_t s) {
  return Time::epoch() + Duration::seconds(s);
}
} // namespace

TEST(TimeWeighted, WeighsEachValueByHowLongItWasHeld) {
  // Queue length 0 for 10 s, 2 for 5 s, 1 for 5 s: average (0·10 + 2·5 + 1·5) / 20 = 0.75.
  TimeWeighted q(at_s(0));
  q.add(at_s(10), 1);
  q.add(at_s(10), 1);
  q.add(at_s(15), -1);
  EXPECT_DOUBLE_EQ(q.average(at_s(20)), 0.75);
  EXPECT_EQ(q.current(), 1);
  EXPECT_EQ(q.max(), 2);
  EXPECT_EQ(q.min(), 0);
  q.advance(at_s(20));
  EXPECT_DOUBLE_EQ(q.average(), 0.75);
  EXPECT_EQ(q.span(), Duration::seconds(20));
}

TEST(TimeWeighted, CountsMicrosecondsExactly) {
  TimeWeighted v(Time::from_us(0), 3);
  v.set(Time::from_us(1), 0);
  EXPECT_DOUBLE_EQ(v.average(Time::from_us(3)), 1);
}

TEST(TimeWeighted, RestartDeletesTheWarmUp) {
  TimeWeighted v(at_s(0), 100);
  v.set(at_s(50), 4);
  v.restart(at_s(60));
  v.set(at_s(70), 2);
  EXPECT_DOUBLE_EQ(v.average(at_s(80)), 3);
  EXPECT_EQ(v.max(), 4);
}

TEST(TimeWeighted, MergePoolsAreasAndSpans) {
  TimeWeighted a(at_s(0), 1);
  a.advance(at_s(10)); // area 10 over 10 s
  TimeWeighted b(at_s(0), 4);
  b.advance(at_s(30)); // area 120 over 30 s
  a.merge(b);
  EXPECT_DOUBLE_EQ(a.average(), 130.0 / 40);
  EXPECT_EQ(a.span(), Duration::seconds(40));
  EXPECT_EQ(a.max(), 4);
}

TEST(TimeWeighted, ZeroSpanHasNoAverage) {
  TimeWeighted v(at_s(5), 1);
  EXPECT_TRUE(std::isnan(v.average(at_s(5))));
  EXPECT_TRUE(std::isnan(v.average()));
}
