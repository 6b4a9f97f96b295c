// Metro line data files: the embedded Nanchang Line 1 and located errors for bad rows.
#include "models/city/line_stations.h"

#include <gtest/gtest.h>

#include <numeric>

using namespace hcesim;
using namespace hcesim::models;

TEST(LineStations, EmbeddedNanchangLine1HasItsTwentyFourStationsAndTwentyEightPointFourKm) {
  auto line = parse_line_stations(nanchang_line1_csv(), "nanchang-line1.csv");
  ASSERT_TRUE(line.ok()) << line.error().to_string();
  ASSERT_EQ(line->size(), 24U);
  EXPECT_EQ(line->front().name, "双港");
  EXPECT_EQ(line->back().name, "瑶湖西");
  uint32_t total = 0;
  for (const LineStation& s : *line) {
    total += s.metres_from_previous;
  }
  EXPECT_EQ(total, 28'400U);
  EXPECT_EQ((*line)[12].name, "八一广场");
  EXPECT_NEAR((*line)[12].lat, 28.675135, 1e-9);
}

TEST(LineStations, BadDistanceNamesFileLineAndColumn) {
  const std::string csv = "# comment\nseq,name,km_from_previous,lat,lon\n1,A,0,28.7,115.8\n"
                          "2,B,x,28.7,115.9\n";
  auto line = parse_line_stations(csv, "l.csv");
  ASSERT_FALSE(line.ok());
  EXPECT_EQ(line.error().where, "l.csv:4:3");
  EXPECT_NE(line.error().what.find("km_from_previous"), std::string::npos);
}

TEST(LineStations, MissingHeaderAndTooFewStationsAreRefused) {
  EXPECT_EQ(parse_line_stations("1,A,0,1,1\n", "l.csv").error().where, "l.csv:1");
  EXPECT_EQ(
      parse_line_stations("seq,name,km_from_previous,lat,lon\n1,A,0,1,1\n", "l.csv").error().where,
      "l.csv");
  EXPECT_FALSE(
      parse_line_stations("seq,name,km_from_previous,lat,lon\n1,A,0,1,1\n2,B,1,95,1\n", "l.csv")
          .ok());
}
