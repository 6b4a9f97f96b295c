// Distance-band fares: band edges, steps beyond the last band, shortest paths, rule-file errors,
// and the shipped Nanchang and Beijing rules against hand-computed tables.
#include "hce/fare/fare_engine.h"
#include "hce/fare/leg_text.h"
#include "temp_feed.h"

#include <gtest/gtest.h>

#include <span>
#include <string>

using namespace hcesim;
using namespace hcesim::fare;
using hcesim::fare::testing::TempFeed;

namespace {

const std::string kSource = HCESIM_SOURCE_DIR;

// A line A-B-C-D-E with the given gaps, and a loop line L1..L3 sharing station C.
std::string rule_file(bool included) {
  const std::string inc = included ? "true" : "false";
  return "name: \"test\" currency: \"CNY\"\n"
         "distance {\n"
         "  bands { up_to_m: 6000 upper_edge_included: " +
         inc +
         " fare: \"3\" }\n"
         "  bands { up_to_m: 12000 upper_edge_included: " +
         inc +
         " fare: \"4\" }\n"
         "  step_m: 20000 step_fare: \"1\" step_upper_edge_included: " +
         inc +
         "\n"
         "  lines { id: \"L\" stations { id: \"A\" } stations { id: \"B\" from_previous_m: 6000 }\n"
         "    stations { id: \"C\" from_previous_m: 6000 } stations { id: \"D\" from_previous_m: "
         "20000 }\n"
         "    stations { id: \"E\" from_previous_m: 1 } }\n"
         "  lines { id: \"R\" loop: true closing_m: 500 stations { id: \"C\" }\n"
         "    stations { id: \"X\" from_previous_m: 9000 } stations { id: \"Y\" from_previous_m: "
         "9000 } }\n"
         "}\n";
}

LegPrice price(const FareEngine& e, const std::string& leg) {
  auto l = parse_leg(e, leg, 0, "", "");
  EXPECT_TRUE(l) << l.error().to_string();
  std::vector<FareLeg> legs{*l};
  return e.price_journey(legs).legs[0];
}

// A hand-computed station-to-station trip: distance and fare.
struct GridRow {
  const char* from;
  const char* to;
  int distance_m;
  const char* fare;
};

// Prices every row as a Line 1 leg (a rule file's leg names any of its lines).
void expect_grid(const FareEngine& e, std::span<const GridRow> rows) {
  for (const GridRow& r : rows) {
    const LegPrice p = price(e, std::string("1号线:") + r.from + ":" + r.to + ":08:00");
    EXPECT_EQ(p.distance_m, r.distance_m) << r.from << "→" << r.to;
    EXPECT_EQ(p.amount.amount_string(), r.fare) << r.from << "→" << r.to;
  }
}

} // namespace

TEST(DistanceFare, AnIncludedUpperEdgeBelongsToItsBand) {
  TempFeed dir;
  dir.file("r.txtpb", rule_file(true));
  auto e = FareEngine::from_rule_file(dir.dir() / "r.txtpb");
  ASSERT_TRUE(e) << e.error().to_string();
  EXPECT_EQ(price(*e, "L:A:B:08:00").amount.amount_string(), "3.00"); // exactly 6 km
  EXPECT_EQ(price(*e, "L:A:C:08:00").amount.amount_string(), "4.00"); // exactly 12 km
  EXPECT_EQ(price(*e, "L:A:D:08:00").amount.amount_string(), "5.00"); // 32 km = 12 + one 20 km step
  EXPECT_EQ(price(*e, "L:A:E:08:00").amount.amount_string(), "6.00"); // 32.001 km: a second step
  EXPECT_EQ(price(*e, "L:A:A:08:00").amount.amount_string(), "3.00"); // no distance: first band
}

TEST(DistanceFare, AnExcludedUpperEdgeBelongsToTheNextBand) {
  TempFeed dir;
  dir.file("r.txtpb", rule_file(false));
  auto e = FareEngine::from_rule_file(dir.dir() / "r.txtpb");
  ASSERT_TRUE(e) << e.error().to_string();
  EXPECT_EQ(price(*e, "L:A:B:08:00").amount.amount_string(), "4.00"); // 6 km is not < 6 km
  EXPECT_EQ(price(*e, "L:A:C:08:00").amount.amount_string(), "5.00"); // 12 km opens step 1
  EXPECT_EQ(price(*e, "L:A:D:08:00").amount.amount_string(), "6.00"); // 32 km opens step 2
}

// Bands exclude their upper edges, steps include theirs: a trip of exactly the last edge (12 km)
// is outside the last band, so it is in the first step (12, 32] km, not back at the band's fare.
TEST(DistanceFare, ATripOfExactlyAnExcludedLastEdgePaysTheFirstStep) {
  TempFeed dir;
  std::string text = rule_file(false);
  const std::string step = "step_upper_edge_included: false";
  text.replace(text.find(step), step.size(), "step_upper_edge_included: true");
  dir.file("r.txtpb", text);
  auto e = FareEngine::from_rule_file(dir.dir() / "r.txtpb");
  ASSERT_TRUE(e) << e.error().to_string();
  EXPECT_EQ(price(*e, "L:A:C:08:00").amount.amount_string(), "5.00"); // exactly 12 km: step 1
  EXPECT_EQ(price(*e, "L:A:D:08:00").amount.amount_string(), "5.00"); // 32 km: step 1's edge
  EXPECT_EQ(price(*e, "L:A:E:08:00").amount.amount_string(), "6.00"); // 32.001 km: step 2
}

TEST(DistanceFare, DistanceIsTheShortestPathIncludingInterchangesAndLoopClosure) {
  TempFeed dir;
  dir.file("r.txtpb", rule_file(true));
  auto e = FareEngine::from_rule_file(dir.dir() / "r.txtpb");
  ASSERT_TRUE(e);
  const DistanceFares& d = *e->distance();
  auto id = [&](const char* s) { return *d.stations().find(s); };
  EXPECT_EQ(d.distance_m(id("C"), id("Y")), 500);          // round the loop's closing segment
  EXPECT_EQ(d.distance_m(id("A"), id("X")), 12000 + 9000); // via the interchange at C
  EXPECT_EQ(d.distance_m(id("Y"), id("A")), 12500);
  const LegPrice p = price(*e, "R:A:Y:08:00");
  EXPECT_EQ(p.distance_m, 12500);
  EXPECT_EQ(p.amount.amount_string(), "5.00");
}

TEST(DistanceFare, ABandWithoutAnExplicitEdgeChoiceIsAnErrorNamingTheField) {
  TempFeed dir;
  dir.file("r.txtpb", "currency: \"CNY\" distance { bands { up_to_m: 6000 fare: \"2\" } "
                      "lines { id: \"L\" stations { id: \"A\" } stations { id: \"B\" "
                      "from_previous_m: 1 } } }\n");
  auto e = FareEngine::from_rule_file(dir.dir() / "r.txtpb");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().where.find("distance.bands[0].upper_edge_included"), std::string::npos)
      << e.error().to_string();
}

namespace {

// A rule file with one 2-yuan band and the given lines and walks fails with an error at `field`.
void expect_rule_error(const std::string& lines_and_walks, const std::string& field) {
  TempFeed dir;
  dir.file("r.txtpb", "currency: \"CNY\" distance { bands { up_to_m: 6000 upper_edge_included: "
                      "true fare: \"2\" } " +
                          lines_and_walks + " }\n");
  auto e = FareEngine::from_rule_file(dir.dir() / "r.txtpb");
  ASSERT_FALSE(e) << field;
  EXPECT_NE(e.error().where.find(field), std::string::npos) << e.error().to_string();
}

} // namespace

// A negative walk is a negative cycle (walks go both ways): the shortest-path search never ended.
TEST(DistanceFare, ANegativeWalkDistanceIsAnErrorNamingTheField) {
  expect_rule_error("lines { id: \"L\" stations { id: \"A\" } stations { id: \"B\" "
                    "from_previous_m: 1 } } walks { from: \"A\" to: \"B\" distance_m: -5 }",
                    "distance.walks[0].distance_m");
}

// Distances add up along paths: an absurd one would overflow the sums (and a leg's int32 metres).
TEST(DistanceFare, AnAbsurdlyLongDistanceIsAnErrorNamingTheField) {
  expect_rule_error("lines { id: \"L\" stations { id: \"A\" } stations { id: \"B\" "
                    "from_previous_m: 9223372036854775807 } stations { id: \"C\" "
                    "from_previous_m: 9223372036854775807 } }",
                    "distance.lines[0].stations[1].from_previous_m");
  expect_rule_error("lines { id: \"L\" loop: true closing_m: 9223372036854775807 stations { id: "
                    "\"A\" } stations { id: \"B\" from_previous_m: 1 } }",
                    "distance.lines[0].closing_m");
}

// A step of INT64_MAX metres overflowed the step count (signed overflow) for a trip just past the
// last edge; a network whose links add up past int32 metres gave legs a wrapped distance.
TEST(DistanceFare, AnAbsurdStepOrNetworkLengthIsAnErrorNamingTheField) {
  TempFeed dir;
  dir.file("r.txtpb", "currency: \"CNY\" distance { bands { up_to_m: 6000 upper_edge_included: "
                      "true fare: \"2\" } step_m: 9223372036854775807 step_fare: \"1\" "
                      "step_upper_edge_included: true lines { id: \"L\" stations { id: \"A\" } "
                      "stations { id: \"B\" from_previous_m: 6002 } } }\n");
  auto e = FareEngine::from_rule_file(dir.dir() / "r.txtpb");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().where.find("distance.step_m"), std::string::npos) << e.error().to_string();
  std::string stations = "stations { id: \"S0\" }";
  for (int i = 1; i <= 2148; ++i) { // 2,148 links of 1,000 km: past INT32_MAX metres
    stations += " stations { id: \"S" + std::to_string(i) + "\" from_previous_m: 1000000 }";
  }
  expect_rule_error("lines { id: \"L\" " + stations + " }", "distance.lines");
}

// A folder opens as an empty stream: it must not read as a rule file with no currency.
// Steps multiply the step fare and discounts scale amounts: an absurd fare would overflow there
// (an internal error, exit 1) instead of being bad input at its field.
TEST(DistanceFare, AnAbsurdOrNegativeFareIsAnErrorNamingTheField) {
  TempFeed dir;
  const std::string lines = " lines { id: \"L\" stations { id: \"A\" } stations { id: \"B\" "
                            "from_previous_m: 1 } } }\n";
  dir.file("step.txtpb", "currency: \"CNY\" distance { bands { up_to_m: 6000 "
                         "upper_edge_included: true fare: \"2\" } step_m: 1 step_fare: "
                         "\"90000000000000000\" step_upper_edge_included: true" +
                             lines);
  auto e = FareEngine::from_rule_file(dir.dir() / "step.txtpb");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().where.find("distance.step_fare"), std::string::npos) << e.error().to_string();
  dir.file("band.txtpb", "currency: \"CNY\" distance { bands { up_to_m: 6000 "
                         "upper_edge_included: true fare: \"-2\" }" +
                             lines);
  e = FareEngine::from_rule_file(dir.dir() / "band.txtpb");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().where.find("distance.bands[0].fare"), std::string::npos)
      << e.error().to_string();
}

TEST(DistanceFare, AFolderGivenAsRuleFileIsAnErrorSayingSo) {
  TempFeed dir;
  auto e = FareEngine::from_rule_file(dir.dir());
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().where, dir.dir().string());
  EXPECT_NE(e.error().what.find("is a folder"), std::string::npos) << e.error().to_string();
}

TEST(DistanceFare, ASyntaxErrorNamesFileLineAndColumn) {
  TempFeed dir;
  dir.file("r.txtpb", "currency: \"CNY\"\ndistance {\n  bands { up_to_m: six }\n}\n");
  auto e = FareEngine::from_rule_file(dir.dir() / "r.txtpb");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().where.find("r.txtpb:3:"), std::string::npos) << e.error().to_string();
}

TEST(DistanceFare, UnconnectedStationsAreNotPriced) {
  TempFeed dir;
  dir.file("r.txtpb", "currency: \"CNY\" distance { bands { up_to_m: 6000 upper_edge_included: "
                      "true fare: \"2\" } lines { id: \"L\" stations { id: \"A\" } stations { id: "
                      "\"B\" from_previous_m: 1 } } lines { id: \"M\" stations { id: \"C\" } "
                      "stations { id: \"D\" from_previous_m: 1 } } }\n");
  auto e = FareEngine::from_rule_file(dir.dir() / "r.txtpb");
  ASSERT_TRUE(e) << e.error().to_string();
  EXPECT_EQ(price(*e, "L:A:D:08:00").outcome, LegOutcome::kNoRoute);
}

// Distances from nanchang-line1-station-distances.csv (km_cumulative_computed), fares by the
// published rule: <=6 km 2, <=12 3, <=20 4, <=28 5, then +1 per 10 km.
TEST(NanchangRules, PriceTheHandComputedGridIncludingExactBandEdges) {
  auto e = FareEngine::from_rule_file(kSource + "/scenarios/fares/nanchang.txtpb");
  ASSERT_TRUE(e) << e.error().to_string();
  const GridRow rows[] = {
      {"双港", "孔目湖", 1200, "2.00"},      {"双港", "庐山南大道", 6800, "3.00"},
      {"彭家桥", "艾溪湖东", 6000, "2.00"},  {"青山湖大道", "太子殿", 6000, "2.00"},
      {"长江路", "丁公路北", 12000, "3.00"}, {"卫东", "高新大道", 12000, "3.00"},
      {"双港", "滕王阁", 12500, "4.00"},     {"双港", "青山湖大道", 19700, "4.00"},
      {"双港", "高新大道", 20800, "5.00"},   {"双港", "奥体中心", 27100, "5.00"},
      {"孔目湖", "瑶湖西", 27200, "5.00"},   {"双港", "瑶湖西", 28400, "6.00"},
      {"瑶湖西", "双港", 28400, "6.00"},     {"双港", "双港", 0, "2.00"},
  };
  expect_grid(*e, rows);
}

// Distances summed by hand along the lines in beijing-subway-station-distances.csv; fares by
// 京发改〔2014〕2526号: <=6 km 3, <=12 4, <=22 5, <=32 6, then +1 per 20 km.
TEST(BeijingRules, PriceTheHandComputedGrid) {
  auto e = FareEngine::from_rule_file(kSource + "/scenarios/fares/beijing.txtpb");
  ASSERT_TRUE(e) << e.error().to_string();
  const GridRow rows[] = {
      {"苹果园", "古城", 2569, "3.00"},
      {"苹果园", "玉泉路", 7922, "4.00"},
      {"安河桥北", "中关村", 6468, "4.00"},
      {"苹果园", "公主坟", 12823, "5.00"},
      {"苹果园", "东单", 22240, "6.00"},
      {"苹果园", "四惠东", 30409, "6.00"},
      {"苹果园", "传媒大学", 33786, "7.00"},
      {"新宫", "天宫院", 49408 - 30107, "5.00"},
      {"公益西桥", "天宫院", 49408 - 27309, "6.00"},
      // Line 1 to 复兴门 (16876), then Line 2 via 长椿街 (1234 + 929): shorter than changing at
      // 西单 onto Line 4 (18472 + 815 = 19287).
      {"苹果园", "宣武门", 19039, "5.00"},
  };
  expect_grid(*e, rows);
}
