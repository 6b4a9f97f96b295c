// Loading GTFS: what is an error (with file:line:column), what is a warning, what is ignored.
#include "hce/fare/gtfs_feed.h"
#include "temp_feed.h"

#include <gtest/gtest.h>

using namespace hcesim;
using namespace hcesim::fare;
using hcesim::fare::testing::TempFeed;

namespace {
const char* kRoutes = "route_id,agency_id,route_type,network_id\nR1,A,3,N1\n";
const char* kStops = "stop_id,stop_name,parent_station,location_type\nS1,One,ST,0\nST,Station,,1\n";
} // namespace

TEST(GtfsFeed, UnknownFilesAndColumnsAreIgnoredAndStationsMayFollowTheirPlatforms) {
  TempFeed f;
  f.base(kRoutes, kStops)
      .file("timetable_pages.txt", "whatever\n\"unclosed")
      .file("fare_products.txt", "fare_product_id,amount,currency,colour\np,2.40,USD,red")
      .file("fare_leg_rules.txt", "extra,fare_product_id,network_id\nx,p,N1\n");
  auto load = load_gtfs(f.dir());
  ASSERT_TRUE(load) << load.error().to_string();
  EXPECT_TRUE(load->warnings.empty());
  const GtfsFeed& feed = load->feed;
  EXPECT_EQ(feed.stop[*feed.stops.find("S1")].parent, *feed.stops.find("ST"));
  ASSERT_EQ(feed.offers.size(), 1u);
  EXPECT_EQ(feed.offers[0].amount.minor(), 240);
  EXPECT_EQ(feed.leg_rules[0].network, *feed.networks.find("N1"));
}

TEST(GtfsFeed, AMalformedAmountIsAnErrorAtItsFileLineAndColumn) {
  TempFeed f;
  f.base(kRoutes, kStops)
      .file("fare_products.txt", "fare_product_id,amount,currency\np,2.40,USD\nq,2.4x,USD\n")
      .file("fare_leg_rules.txt", "fare_product_id\np\n");
  auto load = load_gtfs(f.dir());
  ASSERT_FALSE(load);
  EXPECT_EQ(load.error().where, "fare_products.txt:3:3");
  EXPECT_NE(load.error().what.find("amount"), std::string::npos) << load.error().to_string();
}

TEST(GtfsFeed, AnAmountWithMoreDecimalsThanTheCurrencyIsAnError) {
  TempFeed f;
  f.base(kRoutes, kStops)
      .file("fare_products.txt", "fare_product_id,amount,currency\np,2.405,USD\n")
      .file("fare_leg_rules.txt", "fare_product_id\np\n");
  auto load = load_gtfs(f.dir());
  ASSERT_FALSE(load);
  EXPECT_EQ(load.error().where.rfind("fare_products.txt:2:", 0), 0u) << load.error().to_string();
}

// Pricing adds and scales amounts in plain int64 (A + AB + B, discounts, a day's legs): an amount
// that Money can hold but that would overflow there is refused at its place.
TEST(GtfsFeed, AnAbsurdAmountIsAnErrorAtItsPlace) {
  TempFeed f;
  f.base(kRoutes, kStops)
      .file("fare_products.txt",
            "fare_product_id,amount,currency\np,1.00,USD\nq,-90000000000000000,USD\n")
      .file("fare_leg_rules.txt", "fare_product_id\np\n");
  auto load = load_gtfs(f.dir());
  ASSERT_FALSE(load);
  EXPECT_EQ(load.error().where.rfind("fare_products.txt:3:", 0), 0u) << load.error().to_string();
  EXPECT_NE(load.error().what.find("magnitude"), std::string::npos) << load.error().to_string();
}

TEST(GtfsFeed, AMissingRequiredColumnNamesTheFileAndColumn) {
  TempFeed f;
  f.base(kRoutes, kStops).file("fare_attributes.txt", "fare_id,price,payment_method\nF,1.00,0\n");
  auto load = load_gtfs(f.dir());
  ASSERT_FALSE(load);
  EXPECT_EQ(load.error().where, "fare_attributes.txt:1");
  EXPECT_NE(load.error().what.find("currency_type"), std::string::npos);
}

TEST(GtfsFeed, AnUnknownReferenceSetsTheRowAsideWithAWarningOrFailsWhenStrict) {
  TempFeed f;
  f.base(kRoutes, kStops)
      .file("fare_products.txt", "fare_product_id,amount,currency\np,1,USD\n")
      .file("fare_leg_rules.txt", "fare_product_id,from_area_id\np,\np,nowhere\n");
  auto load = load_gtfs(f.dir());
  ASSERT_TRUE(load) << load.error().to_string();
  ASSERT_EQ(load->warnings.size(), 1u);
  EXPECT_EQ(load->warnings[0].where, "fare_leg_rules.txt:3");
  EXPECT_NE(load->warnings[0].what.find("\"nowhere\""), std::string::npos);
  EXPECT_EQ(load->feed.leg_rules.size(), 1u);
  GtfsLoadOptions strict;
  strict.strict = true;
  auto s = load_gtfs(f.dir(), strict);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().where, "fare_leg_rules.txt:3:3");
}

TEST(GtfsFeed, ATransferCountOfZeroIsAnError) {
  TempFeed f;
  f.base(kRoutes, kStops)
      .file("fare_products.txt", "fare_product_id,amount,currency\np,1,USD\n")
      .file("fare_leg_rules.txt", "leg_group_id,fare_product_id\ng,p\n")
      .file("fare_transfer_rules.txt",
            "from_leg_group_id,to_leg_group_id,transfer_count,fare_transfer_type\ng,g,0,0\n");
  auto load = load_gtfs(f.dir());
  ASSERT_FALSE(load);
  EXPECT_EQ(load.error().where, "fare_transfer_rules.txt:2:5");
}

TEST(GtfsFeed, AFeedWithoutFaresIsAnError) {
  TempFeed f;
  f.base(kRoutes, kStops);
  auto load = load_gtfs(f.dir());
  ASSERT_FALSE(load);
  EXPECT_NE(load.error().what.find("no fares"), std::string::npos);
}

// A second calendar.txt row of one service_id used to merge into the first (weekdays or-ed, dates
// overwritten): a weekday service for 2024 and a weekend one for 2025 ran every day of 2025 only.
TEST(GtfsFeed, ADuplicateServiceIdInTheCalendarIsAnErrorAtItsPlace) {
  TempFeed f;
  f.base(kRoutes, kStops)
      .file("fare_products.txt", "fare_product_id,amount,currency\np,2.40,USD\n")
      .file("fare_leg_rules.txt", "fare_product_id\np\n")
      .file("calendar.txt",
            "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,"
            "end_date\nwk,1,1,1,1,1,0,0,20240101,20241231\nwk,0,0,0,0,0,1,1,20250101,20251231\n");
  auto load = load_gtfs(f.dir());
  ASSERT_FALSE(load);
  EXPECT_EQ(load.error().to_string(), "calendar.txt:3:1: service_id: duplicate service_id");
}

// GTFS: fare_attributes.price is non-negative. A negative one sorted cheapest and made every leg
// it matched unpriced.
TEST(GtfsFeed, ANegativeFaresV1PriceIsAnErrorAtItsPlace) {
  TempFeed f;
  f.base(kRoutes, kStops)
      .file("fare_attributes.txt", "fare_id,price,currency_type,payment_method,transfers\nf,2.00,"
                                   "USD,0,0\ng,-1.00,USD,0,0\n");
  auto load = load_gtfs(f.dir());
  ASSERT_FALSE(load);
  EXPECT_EQ(load.error().to_string(), "fare_attributes.txt:3:3: price: must be >= 0, got -1.00");
}

TEST(GtfsFeed, CalendarExceptionsOverrideTheWeeklyPattern) {
  ServiceCalendar c;
  c.weekdays = 0b0011111; // Monday to Friday
  c.start_day = 19723;    // 2024-01-01, a Monday
  c.end_day = 19723 + 30;
  c.exceptions = {{19723, false}, {19723 + 5, true}};
  EXPECT_FALSE(c.active(19723));      // removed
  EXPECT_TRUE(c.active(19723 + 1));   // Tuesday
  EXPECT_TRUE(c.active(19723 + 5));   // a Saturday, added
  EXPECT_FALSE(c.active(19723 + 6));  // Sunday
  EXPECT_FALSE(c.active(19723 + 31)); // after the end
}

TEST(GtfsFeed, AStopTimeOfAnUnknownTripOrStopIsAWarningOrAnErrorWhenStrict) {
  TempFeed f;
  f.base(kRoutes, kStops)
      .file("fare_attributes.txt", "fare_id,price,currency_type,payment_method,transfers\n"
                                   "F,1.00,USD,0,0\n")
      .file("trips.txt", "route_id,service_id,trip_id\nR1,ALL,t1\n")
      .file("stop_times.txt", "trip_id,stop_sequence,stop_id\nt1,1,S1\nNOSUCHTRIP,1,S1\n"
                              "t1,2,NOSUCH\nt1,3,\n");
  auto load = load_gtfs(f.dir());
  ASSERT_TRUE(load) << load.error().to_string();
  ASSERT_EQ(load->warnings.size(), 2u); // the empty stop_id (a GTFS-Flex row) is no reference
  EXPECT_EQ(load->warnings[0].to_string(),
            "stop_times.txt:3: trip_id: unknown trip_id \"NOSUCHTRIP\"; row set aside");
  EXPECT_EQ(load->warnings[1].to_string(),
            "stop_times.txt:4: stop_id: unknown stop_id \"NOSUCH\"; row set aside");
  EXPECT_EQ(load->feed.route_stops[0], std::vector<uint32_t>{*load->feed.stops.find("S1")});
  GtfsLoadOptions strict;
  strict.strict = true;
  auto s = load_gtfs(f.dir(), strict);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().to_string(), "stop_times.txt:3:1: trip_id: unknown trip_id \"NOSUCHTRIP\"");
}
