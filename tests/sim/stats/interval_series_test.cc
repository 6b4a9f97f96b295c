#include "sim/stats/interval_series.h"

#include <gtest/gtest.h>

using namespace hcesim;
using namespace hcesim::sim;

TEST(IntervalSeries, CountsAndSumsPerInterval) {
  const Time start = Time::epoch() + Duration::hours(6);
  IntervalSeries s(start, Duration::minutes(1));
  s.add(start, 2.5);
  s.add(start + Duration::seconds(59) + Duration::micros(999'999), 1);
  s.add(start + Duration::seconds(60), 4);
  s.add(start + Duration::minutes(3) + Duration::seconds(10));
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s.count(0), 2u);
  EXPECT_EQ(s.sum(0), 3.5);
  EXPECT_EQ(s.count(1), 1u);
  EXPECT_EQ(s.count(2), 0u);
  EXPECT_EQ(s.count(3), 1u);
  EXPECT_EQ(s.sum(3), 1);
  EXPECT_EQ(s.count(99), 0u);
  EXPECT_EQ(s.interval_start(3), start + Duration::minutes(3));
  EXPECT_DOUBLE_EQ(s.rate_per_second(0), 2.0 / 60);
  EXPECT_EQ(s.peak_interval(), 0u);
}

TEST(IntervalSeries, MergeAddsIntervalByInterval) {
  IntervalSeries a(Time::epoch(), Duration::seconds(10));
  IntervalSeries b(Time::epoch(), Duration::seconds(10));
  a.add(Time::epoch() + Duration::seconds(5), 1);
  b.add(Time::epoch() + Duration::seconds(7), 2);
  b.add(Time::epoch() + Duration::seconds(25), 3);
  b.add(Time::epoch() + Duration::seconds(26), 3);
  a.merge(b);
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a.count(0), 2u);
  EXPECT_EQ(a.sum(0), 3);
  EXPECT_EQ(a.count(2), 2u);
  EXPECT_EQ(a.sum(2), 6);
  EXPECT_EQ(a.peak_interval(), 0u);
}
