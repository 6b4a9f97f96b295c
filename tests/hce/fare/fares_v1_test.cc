// Fares v1 (fare_attributes + fare_rules) matching and transfers, with hand-written feeds.
#include "hce/fare/fare_engine.h"
#include "hce/fare/leg_text.h"
#include "temp_feed.h"

#include <gtest/gtest.h>

using namespace hcesim;
using namespace hcesim::fare;
using hcesim::fare::testing::TempFeed;

namespace {

const char* kRoutes = "route_id,agency_id,route_type\nBUS,A,3\nEXP,A,3\nRAIL,A,2\n";
const char* kStops = "stop_id,stop_name,zone_id,location_type,parent_station\n"
                     "a,A,z1,0,\nb,B,z2,0,\nc,C,z3,0,\nX,Interchange,,1,\nx1,X bus,z2,0,X\n"
                     "x2,X rail,z4,0,X\n";

std::string amounts(const FareEngine& e, std::vector<std::string> legs) {
  std::vector<FareLeg> parsed;
  for (const auto& t : legs) {
    auto l = parse_leg(e, t, 0, "", "");
    EXPECT_TRUE(l) << l.error().to_string();
    parsed.push_back(*l);
  }
  std::string out;
  for (const LegPrice& p : e.price_journey(parsed).legs) {
    out += (out.empty() ? "" : "/") +
           (p.outcome == LegOutcome::kPriced ? p.amount.amount_string() : std::string("-"));
  }
  return out;
}

std::unique_ptr<FareEngine> engine(TempFeed& f, const std::string& attributes,
                                   const std::string& rules) {
  f.base(kRoutes, kStops).file("fare_attributes.txt", attributes);
  if (!rules.empty()) {
    f.file("fare_rules.txt", rules);
  }
  auto e = FareEngine::from_gtfs(f.dir());
  EXPECT_TRUE(e) << e.error().to_string();
  return std::make_unique<FareEngine>(std::move(e).value());
}

} // namespace

TEST(FaresV1, WithoutFareRulesEveryFareAppliesAndTheCheapestIsUsed) {
  TempFeed f;
  auto e = engine(f,
                  "fare_id,price,currency_type,payment_method,transfers\n"
                  "hi,3.00,USD,0,0\nlo,1.25,USD,0,0\n",
                  "");
  EXPECT_EQ(e->kind(), FareEngine::Kind::kGtfsV1);
  EXPECT_EQ(amounts(*e, {"BUS:a:b:08:00"}), "1.25");
}

TEST(FaresV1, RulesMatchOnRouteOriginAndDestinationWithEmptyFieldsMatchingAnything) {
  TempFeed f;
  auto e = engine(f,
                  "fare_id,price,currency_type,payment_method,transfers\n"
                  "bus,1.00,USD,0,0\nexp,4.00,USD,0,0\nz12,2.50,USD,0,0\n",
                  "fare_id,route_id,origin_id,destination_id\n"
                  "bus,BUS,,\nexp,EXP,,\nz12,RAIL,z1,z2\n");
  EXPECT_EQ(amounts(*e, {"BUS:a:c:08:00"}), "1.00");
  EXPECT_EQ(amounts(*e, {"EXP:a:c:08:00"}), "4.00");
  EXPECT_EQ(amounts(*e, {"RAIL:a:b:08:00"}), "2.50");
  EXPECT_EQ(amounts(*e, {"RAIL:b:a:08:00"}), "-"); // z2 -> z1 has no rule
}

TEST(FaresV1, ContainsIdMatchesAZoneTheTripTouches) {
  TempFeed f;
  auto e = engine(f,
                  "fare_id,price,currency_type,payment_method,transfers\n"
                  "via3,5.00,USD,0,0\n",
                  "fare_id,route_id,contains_id\nvia3,RAIL,z3\n");
  EXPECT_EQ(amounts(*e, {"RAIL:a:c:08:00"}), "5.00");
  EXPECT_EQ(amounts(*e, {"RAIL:a:b:08:00"}), "-");
}

TEST(FaresV1, TransfersAndTransferDurationLetLaterLegsRideOnTheSameFare) {
  TempFeed f;
  auto e = engine(f,
                  "fare_id,price,currency_type,payment_method,transfers,transfer_duration\n"
                  "bus,2.00,USD,0,1,3600\n",
                  "fare_id,route_id\nbus,BUS\n");
  // One transfer within an hour of the first departure rides free; the next pays.
  EXPECT_EQ(amounts(*e, {"BUS:a:b:08:00", "BUS:b:c:08:30", "BUS:c:a:08:40"}), "2.00/0.00/2.00");
  // Past the hour: a new fare.
  EXPECT_EQ(amounts(*e, {"BUS:a:b:08:00", "BUS:b:c:09:01"}), "2.00/2.00");
}

TEST(FaresV1, TransfersZeroMeansEveryLegPays) {
  TempFeed f;
  auto e = engine(f,
                  "fare_id,price,currency_type,payment_method,transfers,transfer_duration\n"
                  "bus,2.00,USD,0,0,3600\n",
                  "");
  EXPECT_EQ(amounts(*e, {"BUS:a:b:08:00", "BUS:b:c:08:10"}), "2.00/2.00");
}

TEST(FaresV1, WithoutADurationAChangeAtTheSameStationIsOneTripFromFirstOriginToLastDestination) {
  TempFeed f;
  auto e = engine(f,
                  "fare_id,price,currency_type,payment_method,transfers\n"
                  "f1,1.00,USD,0,\nf3,3.00,USD,0,\nf4,4.00,USD,0,\n",
                  "fare_id,origin_id,destination_id\n"
                  "f1,z1,z2\nf3,z2,z4\nf3,z4,z3\nf4,z1,z3\nf1,z1,z4\n");
  // a (z1) -> x1 (z2) on the bus, then x2 (z4, same station X) -> c (z3): one trip z1 -> z3 = 4,
  // so the second tap pays 4 - 1.
  EXPECT_EQ(amounts(*e, {"BUS:a:x1:08:00", "RAIL:x2:c:08:20"}), "1.00/3.00");
  // Starting elsewhere: two trips.
  EXPECT_EQ(amounts(*e, {"BUS:a:x1:08:00", "RAIL:b:c:08:20"}), "1.00/-");
}
