// Cities from real GTFS feeds (Hyderabad Metro, Transcollines) and clear errors for bad feeds.
#include "models/city/gtfs_city.h"

#include "models/city/path_table.h"
#include "support/shared_data.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace hcesim;
using namespace hcesim::models;

namespace {

// A tiny two-route feed in a temporary folder; `bad` replaces one file's text.
class TinyFeed : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hcesim_gtfs_city_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::create_directories(dir_);
    write("stops.txt", "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station\n"
                       "S,Station,45.0,-75.0,1,\nS1,Platform,45.0,-75.0,0,S\n"
                       "A,Alpha,45.0,-75.05,0,\nB,Beta,45.05,-75.0,0,\n");
    write("routes.txt", "route_id,route_short_name,route_type\nM,M1,1\nB,42,3\n");
    write("calendar.txt", "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
                          "start_date,end_date\nWK,1,1,1,1,1,0,0,20260105,20261231\n");
    write("trips.txt", "route_id,service_id,trip_id\nM,WK,m1\nM,WK,m2\nB,WK,b1\n");
    write("stop_times.txt", "trip_id,stop_sequence,stop_id,arrival_time,departure_time\n"
                            "m1,1,A,08:00:00,08:00:00\nm1,2,S1,08:06:00,08:06:00\n"
                            "m2,1,A,08:10:00,08:10:00\nm2,2,S1,08:16:00,08:16:00\n"
                            "b1,1,S,09:00:00,09:00:00\nb1,2,B,,\nb1,3,A,09:30:00,09:30:00\n");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  Result<City> build(const std::string& date = "") {
    return build_gtfs_city(GtfsCityOptions{dir_.string(), date, {}});
  }
  std::filesystem::path dir_;
};

} // namespace

TEST_F(TinyFeed, RoutesBecomeTwoWayRoutesWithPlatformsMergedIntoStations) {
  auto city = build();
  ASSERT_TRUE(city.ok()) << city.error().to_string();
  ASSERT_EQ(city->route_count(), 2U);
  EXPECT_EQ(city->route(0).name, "M1");
  EXPECT_EQ(city->route(0).mode, Mode::kMetro);
  EXPECT_EQ(city->route(0).headway, Duration::minutes(10));
  EXPECT_EQ(city->route(0).phase, Duration::zero()); // 08:00 is a multiple of 10 min
  EXPECT_EQ(city->route_time(0, 1), Duration::minutes(6));
  EXPECT_EQ(city->route(1).mode, Mode::kBus);
  ASSERT_EQ(city->route(1).count, 3U);
  EXPECT_EQ(city->stop_count(), 3U) << "platform S1 is station S";
  EXPECT_EQ(city->route_stop(1, 0), city->route_stop(0, 1));
  EXPECT_EQ(city->route_time(1, 1), Duration::minutes(15)) << "an untimed stop is interpolated";
  EXPECT_EQ(city->route(1).headway, Duration::hours(1)) << "one trip a day";
}

TEST_F(TinyFeed, ADateWithoutServiceIsAnError) {
  auto city = build("2026-01-10"); // a Saturday
  ASSERT_FALSE(city.ok());
  EXPECT_NE(city.error().where.find("trips.txt"), std::string::npos);
  EXPECT_FALSE(build("2026-13-01").ok());
}

TEST_F(TinyFeed, BadValuesNameFileLineAndColumn) {
  write("stops.txt", "stop_id,stop_name,stop_lat,stop_lon\nA,Alpha,north,-75.0\n");
  auto city = build();
  ASSERT_FALSE(city.ok());
  EXPECT_NE(city.error().to_string().find("stops.txt:2:"), std::string::npos)
      << city.error().to_string();
}

TEST_F(TinyFeed, MissingFileOrFolderIsOneClearError) {
  std::filesystem::remove(dir_ / "stop_times.txt");
  auto city = build();
  ASSERT_FALSE(city.ok());
  EXPECT_NE(city.error().where.find("stop_times.txt"), std::string::npos);
  auto none = build_gtfs_city(GtfsCityOptions{(dir_ / "nowhere").string(), "", {}});
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().what.find("not a readable GTFS folder"), std::string::npos);
}

// stop_times.txt with Hyderabad's column order and 7 columns, good rows on lines 2-5 and `row`
// on line 6; the error the city gives for it ("" when it builds).
class BadStopTimes : public TinyFeed {
protected:
  std::string error_for(const std::string& row) {
    write("trips.txt", "route_id,service_id,trip_id\nM,WK,m1\nM,WK,m2\nB,WK,b1\nM,SA,s1\n");
    write("calendar.txt", "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
                          "start_date,end_date\nWK,1,1,1,1,1,0,0,20260105,20261231\n"
                          "SA,0,0,0,0,0,1,0,20260105,20261231\n");
    write(
        "stop_times.txt",
        "trip_id,stop_sequence,stop_id,arrival_time,departure_time,timepoint,shape_dist_traveled\n"
        "m1,1,A,08:00:00,08:00:00,1,0\nm1,2,S1,08:06:00,08:06:00,1,900\n"
        "m2,1,A,08:10:00,08:10:00,1,0\nm2,2,S1,08:16:00,08:16:00,1,900\n" +
            row);
    auto city = build();
    return city.ok() ? "" : city.error().to_string();
  }
};

TEST_F(BadStopTimes, EachBadRowGivesFileLineColumnFieldAndWhatWasExpected) {
  EXPECT_EQ(error_for("NOSUCHTRIP,1,NOSUCH,99:99:99,ab,1,1\n"),
            "stop_times.txt:6:1: trip_id: unknown trip_id \"NOSUCHTRIP\" (not in trips.txt)");
  EXPECT_EQ(error_for("m1,3,NOSUCH,08:20:00,08:20:00,1,1\n"),
            "stop_times.txt:6:6: stop_id: unknown stop_id \"NOSUCH\" (not in stops.txt)");
  EXPECT_EQ(error_for("m1,3,B,99:99:99,08:20:00,1,1\n"),
            "stop_times.txt:6:8: arrival_time: expected minutes and seconds 00..59 in HH:MM:SS, "
            "found \"99:99:99\"");
  EXPECT_EQ(error_for("m1,3,B,08:20:00,ab,1,1\n"),
            "stop_times.txt:6:17: departure_time: expected a time HH:MM:SS (hours may pass 24), "
            "found \"ab\"");
  EXPECT_EQ(error_for("m1,3,B,08:20,08:20:00,1,1\n"),
            "stop_times.txt:6:8: arrival_time: expected a time HH:MM:SS (hours may pass 24), "
            "found \"08:20\"");
  EXPECT_EQ(error_for("m1,x,B,08:20:00,08:20:00,1,1\n"),
            "stop_times.txt:6:4: stop_sequence: expected a non-negative integer, found \"x\"");
  EXPECT_EQ(error_for("m1,-3,B,08:20:00,08:20:00,1,1\n"),
            "stop_times.txt:6:4: stop_sequence: expected a non-negative integer, found \"-3\"");
  EXPECT_EQ(error_for("m1,2.5,B,08:20:00,08:20:00,1,1\n"),
            "stop_times.txt:6:4: stop_sequence: expected a non-negative integer, found \"2.5\"");
  EXPECT_EQ(
      error_for("m1,2,B,08:20:00,08:20:00,1,1\n"),
      "stop_times.txt:6:4: stop_sequence: stop_sequence 2 repeats within trip \"m1\" (also on "
      "line 3)");
}

TEST_F(BadStopTimes, ACutOrOverlongRowIsAnErrorEvenAsTheLastLineWithoutNewline) {
  EXPECT_EQ(error_for("m1,3,B"), "stop_times.txt:6:7: arrival_time: missing (the row has 3 fields, "
                                 "the header 7; a cut row?)");
  EXPECT_EQ(error_for("m1,3,B,08:20:00,08:20:00,1,1,extra\n"),
            "stop_times.txt:6: the row has 8 fields, the header 7");
}

TEST_F(BadStopTimes, RowsOfTripsNotRunningThatDayAreCheckedToo) {
  // s1 runs on Saturdays only; the city is built for the first weekday.
  EXPECT_EQ(error_for("s1,1,NOSUCH,08:20:00,08:20:00,1,1\n"),
            "stop_times.txt:6:6: stop_id: unknown stop_id \"NOSUCH\" (not in stops.txt)");
}

TEST_F(BadStopTimes, TimesPastMidnightOneDigitHoursEmptyTimesAndSequenceZeroAreFine) {
  // Hyderabad runs to 24:38:05; GTFS allows H:MM:SS; untimed stops and stop_sequence 0 are valid.
  EXPECT_EQ(error_for("b1,0,S,9:00:00,9:00:00,1,0\nb1,1,B,,,0,\nb1,2,A,24:38:05,24:38:05,1,1\n"),
            "");
}

TEST_F(TinyFeed, TripsWithAnUnknownRouteOrServiceOrARepeatedIdAreErrors) {
  write("trips.txt", "route_id,service_id,trip_id\nM,WK,m1\nM,WK,m2\nB,WK,b1\nX,WK,x1\n");
  auto city = build();
  ASSERT_FALSE(city.ok());
  EXPECT_EQ(city.error().to_string(),
            "trips.txt:5:1: route_id: unknown route_id \"X\" (not in routes.txt)");
  write("trips.txt", "route_id,service_id,trip_id\nM,WK,m1\nM,WK,m2\nB,WK,b1\nB,NOPE,b2\n");
  city = build();
  ASSERT_FALSE(city.ok());
  EXPECT_EQ(city.error().to_string(), "trips.txt:5:3: service_id: unknown service_id \"NOPE\" (in "
                                      "neither calendar.txt nor calendar_dates.txt)");
  write("trips.txt", "route_id,service_id,trip_id\nM,WK,m1\nM,WK,m2\nB,WK,b1\nB,WK,m1\n");
  city = build();
  ASSERT_FALSE(city.ok());
  EXPECT_EQ(city.error().to_string(), "trips.txt:5:6: trip_id: duplicate trip_id \"m1\"");
}

TEST(GtfsCity, HyderabadMetroHasThreeLinesMeetingAtInterchanges) {
  HCESIM_REQUIRE_SHARED_DATA(feed, "gtfs/hmrl-hyderabad-2025");
  auto city = build_gtfs_city(GtfsCityOptions{feed.string(), "", {}});
  ASSERT_TRUE(city.ok()) << city.error().to_string();
  ASSERT_EQ(city->route_count(), 3U);
  uint32_t interchanges = 0;
  for (uint32_t s = 0; s < city->stop_count(); ++s) {
    interchanges += city->calls_at(s).size() > 1 ? 1U : 0U;
  }
  EXPECT_EQ(interchanges, 2U) << "Ameerpet and MG Bus Station (the feed README says two)";
  for (uint32_t r = 0; r < city->route_count(); ++r) {
    const Route& route = city->route(r);
    EXPECT_EQ(route.mode, Mode::kMetro);
    EXPECT_GE(route.count, 9U);
    EXPECT_GE(route.headway, Duration::minutes(2));
    EXPECT_LE(route.headway, Duration::minutes(15));
    // Hyderabad's trains average 30-40 km/h including stops.
    const double km = city->route_metres(r, route.count - 1) / 1000.0;
    const double h = city->route_time(r, route.count - 1).to_seconds() / 3600.0;
    EXPECT_GT(km / h, 20.0) << route.name;
    EXPECT_LT(km / h, 60.0) << route.name;
  }
  // Zones beside two stations far apart are connected by the network.
  const PathTable paths = PathTable::build(*city);
  const uint32_t a = city->zone_of(city->stop_at(city->route_stop(0, 0)));
  const uint32_t b = city->zone_of(city->stop_at(city->route_stop(1, city->route(1).count - 1)));
  ASSERT_TRUE(paths.reachable(a, b));
  EXPECT_FALSE(paths.legs(a, b).empty());
  EXPECT_EQ(paths.cost_s(a, b), paths.cost_s(b, a));
}

TEST(GtfsCity, TranscollinesBusesBuildAndAreRidden) {
  HCESIM_REQUIRE_SHARED_DATA(feed, "gtfs/transcollines-2026");
  auto city = build_gtfs_city(GtfsCityOptions{feed.string(), "2026-01-07", {}});
  ASSERT_TRUE(city.ok()) << city.error().to_string();
  EXPECT_GE(city->route_count(), 5U);
  for (uint32_t r = 0; r < city->route_count(); ++r) {
    EXPECT_EQ(city->route(r).mode, Mode::kBus);
    EXPECT_GE(city->route(r).count, 2U);
  }
  const PathTable paths = PathTable::build(*city);
  const uint32_t a = city->zone_of(city->stop_at(city->route_stop(0, 0)));
  const uint32_t b = city->zone_of(city->stop_at(city->route_stop(0, city->route(0).count - 1)));
  ASSERT_TRUE(paths.reachable(a, b));
  EXPECT_FALSE(paths.legs(a, b).empty());
}
