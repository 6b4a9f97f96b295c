// Fares v2 matching rules of the GTFS reference, one small hand-written feed per rule.
#include "hce/fare/fare_engine.h"
#include "hce/fare/leg_text.h"
#include "temp_feed.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace hcesim;
using namespace hcesim::fare;
using hcesim::fare::testing::TempFeed;

namespace {

const char* kRoutes = "route_id,agency_id,route_type,network_id\n"
                      "R1,A,3,N1\nR2,A,3,N2\nR3,A,3,\n";
const char* kStops = "stop_id,stop_name,location_type,parent_station\n"
                     "S1,One,0,\nS2,Two,0,\nS3,Three,0,\nST,Station,1,\nP1,Platform,0,ST\n";
const char* kAreas = "area_id\nA\nB\nC\n";
const char* kStopAreas = "stop_id,area_id\nS1,A\nS2,B\nST,C\n";

std::unique_ptr<FareEngine> engine(TempFeed& f) {
  auto e = FareEngine::from_gtfs(f.dir());
  EXPECT_TRUE(e) << e.error().to_string();
  return e ? std::make_unique<FareEngine>(std::move(e).value()) : nullptr;
}

// Prices legs written as text (day 0 = 2024-01-01, a Monday) and returns "amount/amount/..."
// with "-" for an unpriced leg.
std::string amounts(const FareEngine& e, std::vector<std::string> legs, const char* medium = "",
                    const char* category = "") {
  std::vector<FareLeg> parsed;
  for (const auto& t : legs) {
    auto l = parse_leg(e, t, 0, medium, category);
    EXPECT_TRUE(l) << l.error().to_string();
    if (!l) {
      return "bad leg";
    }
    parsed.push_back(*l);
  }
  const JourneyPrice j = e.price_journey(parsed);
  std::string out;
  for (const LegPrice& p : j.legs) {
    out += (out.empty() ? "" : "/") +
           (p.outcome == LegOutcome::kPriced ? p.amount.amount_string() : std::string("-"));
  }
  return out;
}

TempFeed& v2_feed(TempFeed& f, const std::string& products, const std::string& leg_rules) {
  f.base(kRoutes, kStops)
      .file("areas.txt", kAreas)
      .file("stop_areas.txt", kStopAreas)
      .file("fare_products.txt", products)
      .file("fare_leg_rules.txt", leg_rules);
  return f;
}

const char* kProducts = "fare_product_id,amount,currency\n"
                        "p1,1.00,USD\np2,2.00,USD\np3,3.00,USD\np5,5.00,USD\nt1,0.50,USD\n";

} // namespace

TEST(FaresV2, AnEmptyNetworkMatchesOnlyNetworksNoRuleNames) {
  TempFeed f;
  v2_feed(f, kProducts, "leg_group_id,network_id,fare_product_id\ng1,N1,p1\ng0,,p3\n");
  auto e = engine(f);
  EXPECT_EQ(amounts(*e, {"R1:S1:S2:08:00"}), "1.00"); // N1 is named: only its rule
  EXPECT_EQ(amounts(*e, {"R2:S1:S2:08:00"}), "3.00"); // N2 is not: the empty network
  EXPECT_EQ(amounts(*e, {"R3:S1:S2:08:00"}), "3.00"); // a route without a network
}

TEST(FaresV2, ANamedAreaWinsOverAnEmptyAreaWhichCoversStopsInNoNamedArea) {
  TempFeed f;
  v2_feed(f, kProducts,
          "leg_group_id,network_id,from_area_id,to_area_id,fare_product_id\n"
          "g1,N1,A,B,p2\ng2,N1,A,,p5\ng3,N1,,,p1\n");
  auto e = engine(f);
  EXPECT_EQ(amounts(*e, {"R1:S1:S2:08:00"}), "2.00"); // A -> B exactly
  EXPECT_EQ(amounts(*e, {"R1:S1:S3:08:00"}), "5.00"); // A -> (no rule names S3's area)
  EXPECT_EQ(amounts(*e, {"R1:S3:S2:08:00"}), "1.00"); // from no named area
  // From S2 (area B) no rule names B as from_area, so only the empty from_area remains.
  EXPECT_EQ(amounts(*e, {"R1:S2:S1:08:00"}), "1.00");
}

TEST(FaresV2, AStationInAnAreaPutsItsPlatformsThere) {
  TempFeed f;
  v2_feed(f, kProducts,
          "leg_group_id,network_id,from_area_id,to_area_id,fare_product_id\n"
          "g1,N1,C,,p2\ng2,N1,,,p1\n");
  auto e = engine(f);
  EXPECT_EQ(amounts(*e, {"R1:P1:S1:08:00"}), "2.00");
  EXPECT_EQ(amounts(*e, {"R1:ST:S1:08:00"}), "2.00"); // the station itself
}

TEST(FaresV2, WithARulePriorityColumnEmptyFieldsMatchAnythingAndTheHighestPriorityWins) {
  TempFeed f;
  v2_feed(f, kProducts,
          "leg_group_id,network_id,from_area_id,to_area_id,fare_product_id,rule_priority\n"
          "g1,N1,A,,p2,1\ng2,,,,p5,\ng3,N1,,B,p3,2\n");
  auto e = engine(f);
  EXPECT_EQ(amounts(*e, {"R1:S1:S2:08:00"}), "3.00"); // g1, g2, g3 all match: priority 2
  EXPECT_EQ(amounts(*e, {"R1:S1:S3:08:00"}), "2.00"); // g1 (1) beats g2 (empty = 0)
  EXPECT_EQ(amounts(*e, {"R2:S1:S2:08:00"}), "5.00"); // only g2 has no network
}

TEST(FaresV2, TimeframesMatchOnActiveServiceDaysInsideTheirHours) {
  TempFeed f;
  v2_feed(f, kProducts,
          "leg_group_id,network_id,from_timeframe_group_id,fare_product_id\n"
          "peak,N1,tf_peak,p3\noff,N1,,p1\n");
  f.file("timeframes.txt", "timeframe_group_id,start_time,end_time,service_id\n"
                           "tf_peak,07:00:00,09:00:00,WKDAY\ntf_peak,16:00:00,18:30:00,WKDAY\n");
  f.file("calendar_dates.txt", "service_id,date,exception_type\nWKDAY,20240101,1\n"
                               "WKDAY,20240102,1\n");
  auto e = engine(f);
  EXPECT_EQ(amounts(*e, {"R1:S1:S2:07:00"}), "3.00"); // start inclusive
  EXPECT_EQ(amounts(*e, {"R1:S1:S2:09:00"}), "1.00"); // end exclusive
  EXPECT_EQ(amounts(*e, {"R1:S1:S2:18:29"}), "3.00");
  std::vector<FareLeg> day2{*parse_leg(*e, "R1:S1:S2:08:00", 1, "", "")};
  std::vector<FareLeg> day3{*parse_leg(*e, "R1:S1:S2:08:00", 2, "", "")};
  EXPECT_EQ(e->price_journey(day2).total.amount_string(), "3.00"); // 2024-01-02 active
  EXPECT_EQ(e->price_journey(day3).total.amount_string(), "1.00"); // 2024-01-03 not
}

TEST(FaresV2, AProductsPriceDependsOnTheFareMedium) {
  TempFeed f;
  v2_feed(f,
          "fare_product_id,fare_media_id,amount,currency\n"
          "bus,cash,2.00,USD\nbus,card,1.50,USD\nrail,card,3.00,USD\n",
          "leg_group_id,network_id,fare_product_id\ng1,N1,bus\ng2,N2,rail\n");
  f.file("fare_media.txt", "fare_media_id,fare_media_name,fare_media_type\ncash,Cash,0\n"
                           "card,Card,2\n");
  auto e = engine(f);
  EXPECT_EQ(amounts(*e, {"R1:S1:S2:08:00"}, "cash"), "2.00");
  EXPECT_EQ(amounts(*e, {"R1:S1:S2:08:00"}, "card"), "1.50");
  EXPECT_EQ(amounts(*e, {"R1:S1:S2:08:00"}), "1.50"); // no medium given: the cheapest
  std::vector<FareLeg> legs{*parse_leg(*e, "R2:S1:S2:08:00", 0, "cash", "")};
  EXPECT_EQ(e->price_journey(legs).legs[0].outcome, LegOutcome::kNotOnMedium);
}

TEST(FaresV2, RiderCategoriesPickTheirOwnPriceAndTheDefaultCategoryOtherwise) {
  TempFeed f;
  v2_feed(f,
          "fare_product_id,rider_category_id,amount,currency\n"
          "bus,adult,2.00,USD\nbus,child,1.00,USD\n",
          "leg_group_id,network_id,fare_product_id\ng1,N1,bus\n");
  f.file("rider_categories.txt", "rider_category_id,rider_category_name,is_default_fare_category\n"
                                 "adult,Adult,1\nchild,Child,0\n");
  auto e = engine(f);
  EXPECT_EQ(amounts(*e, {"R1:S1:S2:08:00"}, "", "child"), "1.00");
  EXPECT_EQ(amounts(*e, {"R1:S1:S2:08:00"}, "", "adult"), "2.00");
  EXPECT_EQ(amounts(*e, {"R1:S1:S2:08:00"}), "2.00"); // the default category, adult
}

namespace {
// Two networks, a 2.00 and a 3.00 leg, and one transfer rule g1 -> g2 given as CSV.
std::unique_ptr<FareEngine> transfer_engine(TempFeed& f, const std::string& rule) {
  v2_feed(f, kProducts, "leg_group_id,network_id,fare_product_id\ng1,N1,p2\ng2,N2,p3\n");
  f.file("fare_transfer_rules.txt",
         "from_leg_group_id,to_leg_group_id,transfer_count,duration_limit,duration_limit_type,"
         "fare_transfer_type,fare_product_id\n" +
             rule + "\n");
  return engine(f);
}
} // namespace

TEST(FaresV2, TransferTypeZeroChargesTheFirstLegPlusTheTransfer) {
  TempFeed f;
  auto e = transfer_engine(f, "g1,g2,,,,0,t1");
  EXPECT_EQ(amounts(*e, {"R1:S1:S2:08:00", "R2:S2:S3:08:30"}), "2.00/0.50"); // A + AB
}

TEST(FaresV2, TransferTypeOneChargesTheFirstLegTheTransferAndTheSecondLeg) {
  TempFeed f;
  auto e = transfer_engine(f, "g1,g2,,,,1,t1");
  // A + AB + B = 2 + 0.5 + 3 costs more than a new fare (3): a new fare is bought instead.
  EXPECT_EQ(amounts(*e, {"R1:S1:S2:08:00", "R2:S2:S3:08:30"}), "2.00/3.00");
  TempFeed free;
  auto e2 = transfer_engine(free, "g1,g2,,,,1,");
  EXPECT_EQ(amounts(*e2, {"R1:S1:S2:08:00", "R2:S2:S3:08:30"}), "2.00/3.00"); // A + 0 + B
  const JourneyPrice j = e2->price_journey(std::vector<FareLeg>{
      *parse_leg(*e2, "R1:S1:S2:08:00", 0, "", ""), *parse_leg(*e2, "R2:S2:S3:08:30", 0, "", "")});
  EXPECT_TRUE(j.legs[1].transfer); // ties go to the transfer
}

TEST(FaresV2, TransferTypeTwoMakesTheWholeSubJourneyCostTheTransferProduct) {
  TempFeed f;
  auto e = transfer_engine(f, "g1,g2,,,,2,p5");
  // AB = 5.00 in all: after paying 2.00 for A, the second leg pays 3.00 (a new fare would be
  // 3.00 too; the transfer wins the tie). With AB = 4 it would pay 2.
  EXPECT_EQ(amounts(*e, {"R1:S1:S2:08:00", "R2:S2:S3:08:30"}), "2.00/3.00");
  TempFeed cheaper;
  auto e2 = transfer_engine(cheaper, "g1,g2,,,,2,p2");
  EXPECT_EQ(amounts(*e2, {"R1:S1:S2:08:00", "R2:S2:S3:08:30"}), "2.00/0.00"); // AB = 2.00
}

// GTFS allows a negative fare_products.amount for a transfer discount. It used to mean "not
// sold" (the offer lookup's -1), so the discount never applied, and with a product's offers in
// one order or the other the cheapest was -0.50 or 1.00.
TEST(FaresV2, ANegativeTransferProductIsADiscountWhicheverOrderItsOffersCome) {
  for (const std::string offers : {"d1,-0.50,USD\nd1,1.00,USD\n", "d1,1.00,USD\nd1,-0.50,USD\n"}) {
    TempFeed f;
    v2_feed(f, std::string(kProducts) + offers,
            "leg_group_id,network_id,fare_product_id\ng1,N1,p2\ng2,N2,p3\n");
    f.file("fare_transfer_rules.txt",
           "from_leg_group_id,to_leg_group_id,transfer_count,duration_limit,duration_limit_type,"
           "fare_transfer_type,fare_product_id\ng1,g2,,,,1,d1\n");
    auto e = engine(f);
    ASSERT_NE(e, nullptr);
    // A + AB + B = 2.00 - 0.50 + 3.00: the second leg pays 2.50, less than a new fare (3.00).
    EXPECT_EQ(amounts(*e, {"R1:S1:S2:08:00", "R2:S2:S3:08:30"}), "2.00/2.50") << offers;
  }
}

// A negative product as a leg's own fare would be every matching leg's cheapest, crediting the
// rider: refused where the leg rule names it (negative amounts are for transfers).
TEST(FaresV2, ANegativeProductAsALegsFareIsAnErrorAtTheLegRule) {
  TempFeed f;
  v2_feed(f, std::string(kProducts) + "neg,-2.40,USD\n",
          "leg_group_id,network_id,fare_product_id\ng1,N1,p2\ng2,N2,neg\n");
  auto e = FareEngine::from_gtfs(f.dir());
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().to_string(),
            "fare_leg_rules.txt:3:7: fare_product_id: product \"neg\" costs -2.40 USD: a leg's "
            "fare cannot be negative (only a transfer's product may be)");
}

TEST(FaresV2, ALaterTypeTwoTransferAddsItsProductToWhatWasPaid) {
  // The reference's three-leg table: A > B type 2 costs AB; B > C type 2 costs S + BC.
  TempFeed f;
  v2_feed(f, kProducts, "leg_group_id,network_id,fare_product_id\ng1,N1,p2\ng2,N2,p3\n");
  f.file("fare_transfer_rules.txt", "from_leg_group_id,to_leg_group_id,fare_transfer_type,"
                                    "fare_product_id\ng1,g2,2,p5\ng2,g1,2,t1\n");
  auto e = engine(f);
  // 2.00, then AB = 5.00 in all (3.00 more), then + BC = 0.50.
  EXPECT_EQ(amounts(*e, {"R1:S1:S2:08:00", "R2:S2:S3:08:10", "R1:S3:S1:08:20"}), "2.00/3.00/0.50");
}

TEST(FaresV2, TheSmallestTransferCountCoveringTheTransferIsSelected) {
  // g1 -> g1: the first transfer costs 0.50 (count 1), later ones are free (count -1): the
  // reference selects the minimum count >= the sub-journey's transfer count, not the cheapest.
  TempFeed f;
  v2_feed(f, kProducts, "leg_group_id,network_id,fare_product_id\ng1,N1,p2\n");
  f.file("fare_transfer_rules.txt", "from_leg_group_id,to_leg_group_id,transfer_count,"
                                    "fare_transfer_type,fare_product_id\ng1,g1,1,0,t1\n"
                                    "g1,g1,-1,0,\n");
  auto e = engine(f);
  EXPECT_EQ(amounts(*e, {"R1:S1:S2:08:00", "R1:S2:S3:08:10", "R1:S3:S1:08:20"}), "2.00/0.50/0.00");
}

TEST(FaresV2, DurationLimitTypesMeasureFromTheRightEventsOfTheFirstLeg) {
  // First leg 08:00-08:20, second leg 08:50-09:00: each type measures a different span
  // (0: 08:00->09:00 = 60 min, 1: 08:00->08:50 = 50, 2: 08:20->08:50 = 30, 3: 08:20->09:00 = 40),
  // so against limits of 35, 45, 55 and 65 minutes every type has its own row of outcomes and
  // any two types mixed up would show.
  const std::vector<std::string> legs{"R1:S1:S2:08:00:08:20", "R2:S2:S3:08:50:09:00"};
  const int limits_min[] = {35, 45, 55, 65};
  const char* expected[4][4] = {
      {"2.00/3.00", "2.00/3.00", "2.00/3.00", "2.00/0.00"}, // 0: 60 min
      {"2.00/3.00", "2.00/3.00", "2.00/0.00", "2.00/0.00"}, // 1: 50 min
      {"2.00/0.00", "2.00/0.00", "2.00/0.00", "2.00/0.00"}, // 2: 30 min
      {"2.00/3.00", "2.00/0.00", "2.00/0.00", "2.00/0.00"}, // 3: 40 min
  };
  for (int type = 0; type < 4; ++type) {
    for (int l = 0; l < 4; ++l) {
      TempFeed f;
      auto e = transfer_engine(f, "g1,g2,," + std::to_string(limits_min[l] * 60) + "," +
                                      std::to_string(type) + ",0,");
      EXPECT_EQ(amounts(*e, legs), expected[type][l])
          << "duration_limit_type " << type << ", limit " << limits_min[l] << " min";
    }
  }
}

TEST(FaresV2, TransferCountLimitsConsecutiveTransfersAndMinusOneIsUnlimited) {
  for (const char* count : {"1", "2", "-1"}) {
    TempFeed f;
    v2_feed(f, kProducts, "leg_group_id,network_id,fare_product_id\ng1,N1,p2\n");
    f.file("fare_transfer_rules.txt", std::string("from_leg_group_id,to_leg_group_id,"
                                                  "transfer_count,fare_transfer_type\ng1,g1,") +
                                          count + ",0\n");
    auto e = engine(f);
    const std::string got =
        amounts(*e, {"R1:S1:S2:08:00", "R1:S2:S3:08:10", "R1:S3:S1:08:20", "R1:S1:S2:08:30"});
    const std::string want = std::string(count) == "1"   ? "2.00/0.00/2.00/0.00"
                             : std::string(count) == "2" ? "2.00/0.00/0.00/2.00"
                                                         : "2.00/0.00/0.00/0.00";
    EXPECT_EQ(got, want) << "transfer_count " << count;
  }
}

TEST(FaresV2, AnEmptyFromLegGroupCoversGroupsNoOtherRuleNames) {
  TempFeed f;
  v2_feed(f, kProducts, "leg_group_id,network_id,fare_product_id\ng1,N1,p2\ng2,N2,p3\ng3,,p1\n");
  f.file("fare_transfer_rules.txt", "from_leg_group_id,to_leg_group_id,fare_transfer_type,"
                                    "fare_product_id\n,g2,0,t1\ng1,g2,0,\n");
  auto e = engine(f);
  EXPECT_EQ(amounts(*e, {"R1:S1:S2:08:00", "R2:S2:S3:08:10"}), "2.00/0.00"); // g1 named: free
  EXPECT_EQ(amounts(*e, {"R3:S1:S2:08:00", "R2:S2:S3:08:10"}), "1.00/0.50"); // g3: the empty row
}

TEST(FaresV2, JoinedLegsArePricedAsOneEffectiveFareLeg) {
  TempFeed f;
  v2_feed(f, kProducts,
          "leg_group_id,network_id,from_area_id,to_area_id,fare_product_id\n"
          "short,N1,A,B,p2\nshort2,N1,B,,p2\nlong,,A,,p3\nany,,,,p5\n");
  f.file("fare_leg_join_rules.txt", "from_network_id,to_network_id,from_stop_id,to_stop_id\n"
                                    "N1,N2,S2,S2\n");
  auto e = engine(f);
  // R1 S1(A) -> S2(B) = 2.00, then R2 from S2 joins it: the effective leg S1(A) -> S3 over two
  // networks matches only rules without a network, from A: "long" = 3.00; the tap pays 1.00.
  EXPECT_EQ(amounts(*e, {"R1:S1:S2:08:00", "R2:S2:S3:08:10"}), "2.00/1.00");
  // Not at the join stop: two legs priced separately.
  EXPECT_EQ(amounts(*e, {"R1:S1:S2:08:00", "R2:S3:S1:08:10"}), "2.00/5.00");
}

TEST(FaresV2, AFeedWithBothGenerationsIsPricedByFaresV2) {
  TempFeed f;
  v2_feed(f, kProducts, "leg_group_id,network_id,fare_product_id\ng1,,p2\n");
  f.file("fare_attributes.txt", "fare_id,price,currency_type,payment_method,transfers\n"
                                "F,9.00,USD,0,0\n");
  auto e = engine(f);
  EXPECT_EQ(e->kind(), FareEngine::Kind::kGtfsV2);
  EXPECT_EQ(amounts(*e, {"R1:S1:S2:08:00"}), "2.00");
}
