#include "base/time.h"

#include <gtest/gtest.h>

using namespace hcesim;

TEST(ParseDuration, ReadsEveryUnit) {
  EXPECT_EQ(parse_duration("250us")->us(), 250);
  EXPECT_EQ(parse_duration("20ms")->us(), 20'000);
  EXPECT_EQ(parse_duration("90s")->us(), 90'000'000);
  EXPECT_EQ(parse_duration("15min")->us(), 900'000'000);
  EXPECT_EQ(parse_duration("24h")->us(), 86'400'000'000);
  EXPECT_EQ(parse_duration("7d")->us(), 7 * 86'400'000'000);
}

TEST(ParseDuration, ReadsFractionsExactlyAndCompoundTerms) {
  EXPECT_EQ(parse_duration("1.5h")->us(), 5'400'000'000);
  EXPECT_EQ(parse_duration("0.000001s")->us(), 1);
  EXPECT_EQ(parse_duration("1h30min")->us(), 5'400'000'000);
  EXPECT_EQ(parse_duration("-30s")->us(), -30'000'000);
  EXPECT_EQ(parse_duration("0s")->us(), 0);
}

TEST(ParseDuration, BadUnitNamesTheTextAndTheUnits) {
  auto r = parse_duration("90sec");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().what,
            "bad duration \"90sec\": unknown unit \"sec\"; expected one of us, ms, s, "
            "min, h, d");
  auto missing = parse_duration("90");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().what.find("missing unit"), std::string::npos);
}

TEST(ParseDuration, RejectsOverflowEmptyAndSubMicrosecondFractions) {
  auto big = parse_duration("200000000d");
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.error().what.find("overflows"), std::string::npos) << big.error().what;
  EXPECT_FALSE(parse_duration("99999999999999999999s").ok());
  EXPECT_FALSE(parse_duration("").ok());
  EXPECT_FALSE(parse_duration("h").ok());
  EXPECT_FALSE(parse_duration("1.s").ok());
  auto tiny = parse_duration("0.0000001s");
  ASSERT_FALSE(tiny.ok());
  EXPECT_NE(tiny.error().what.find("whole number of microseconds"), std::string::npos);
}

TEST(ParseTimeOfDay, ReadsHoursMinutesAndSecondsPastMidnight) {
  EXPECT_EQ(*parse_time_of_day("08:30"), Duration::hours(8) + Duration::minutes(30));
  EXPECT_EQ(*parse_time_of_day("25:10:05"),
            Duration::hours(25) + Duration::minutes(10) + Duration::seconds(5));
  EXPECT_FALSE(parse_time_of_day("8h30").ok());
  EXPECT_FALSE(parse_time_of_day("08:60").ok());
  EXPECT_FALSE(parse_time_of_day("08").ok());
  EXPECT_FALSE(parse_time_of_day("08:30:00:00").ok());
}

TEST(ParseTime, ReadsADayAndAClock) {
  EXPECT_EQ(*parse_time("d2 08:30"),
            Time::epoch() + Duration::days(2) + Duration::hours(8) + Duration::minutes(30));
  EXPECT_EQ(*parse_time("07:00"), Time::epoch() + Duration::hours(7));
  EXPECT_FALSE(parse_time("dx 07:00").ok());
  EXPECT_FALSE(parse_time("d2").ok());
}

TEST(FormatDuration, UsesTheLargestExactUnitAndRoundTrips) {
  EXPECT_EQ(format_duration(Duration::hours(24)), "1d");
  EXPECT_EQ(format_duration(Duration::seconds(90)), "90s");
  EXPECT_EQ(format_duration(Duration::minutes(15)), "15min");
  EXPECT_EQ(format_duration(-Duration::millis(5)), "-5ms");
  EXPECT_EQ(format_duration(Duration::micros(1'000'001)), "1000001us");
  for (int64_t us : {1LL, 999LL, 61'000'000LL, 3'600'000'001LL, -86'400'000'000LL}) {
    EXPECT_EQ(parse_duration(format_duration(Duration::micros(us)))->us(), us);
  }
}

TEST(FormatTime, PrintsDayAndClockAndRoundTrips) {
  Time t = Time::epoch() + Duration::days(3) + Duration::hours(7) + Duration::seconds(5);
  EXPECT_EQ(format_time(t), "d3 07:00:05");
  EXPECT_EQ(*parse_time(format_time(t)), t);
  EXPECT_EQ(format_time_of_day(Duration::micros(1'500'000)), "00:00:01.500000");
}

TEST(Time, DayAndTimeOfDayFloorForNegativeTimes) {
  Time before = Time::epoch() - Duration::hours(1);
  EXPECT_EQ(before.day(), -1);
  EXPECT_EQ(before.time_of_day(), Duration::hours(23));
}
