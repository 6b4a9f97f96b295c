// Transcollines (Fares v2 with a rule_priority column, real trips): legs between its areas price
// to the published 5 / 20 CAD rules, on the first weekday trip of route 910 (Pontiac - Gatineau).
#include "hce/fare/fare_engine.h"
#include "hce/fare/leg_text.h"
#include "support/shared_data.h"

#include <gtest/gtest.h>

using namespace hcesim;
using namespace hcesim::fare;

namespace {

LegPrice price(const FareEngine& e, const std::string& text) {
  auto leg = parse_leg(e, text, 0, "", "");
  EXPECT_TRUE(leg) << leg.error().to_string();
  std::vector<FareLeg> legs{*leg};
  return e.price_journey(legs).legs[0];
}

} // namespace

// Trip 20260105-Semaine-01-910-0-0517 (stop_times.txt): F134-01 05:17 in PNT, F103-04 06:25 in
// COL, L910-01 06:59 and F912-51 07:31 in GAT. Day 0 is 2026-01-05, the feed's first service day.
TEST(Transcollines, PontiacToGatineauOnARealTripCosts20Cad) {
  HCESIM_REQUIRE_SHARED_DATA(dir, "gtfs/transcollines-2026");
  auto e = FareEngine::from_gtfs(dir);
  ASSERT_TRUE(e) << e.error().to_string();
  EXPECT_EQ(e->service_day0(), 20458); // 2026-01-05
  const LegPrice p = price(*e, "910:F134-01:F912-51:05:17:07:31");
  ASSERT_EQ(p.outcome, LegOutcome::kPriced);
  EXPECT_EQ(e->product_name(p), "PS-2000");
  EXPECT_EQ(p.amount.to_string(), "20.00 CAD");
}

TEST(Transcollines, PontiacToCollinesAndCollinesToGatineauCost5Cad) {
  HCESIM_REQUIRE_SHARED_DATA(dir, "gtfs/transcollines-2026");
  auto e = FareEngine::from_gtfs(dir);
  ASSERT_TRUE(e);
  EXPECT_EQ(price(*e, "910:F134-01:F103-04:05:17:06:25").amount.to_string(), "5.00 CAD");
  EXPECT_EQ(price(*e, "910:F103-04:L910-01:06:25:06:59").amount.to_string(), "5.00 CAD");
  EXPECT_EQ(price(*e, "910:F134-01:F103-06:05:17:06:26").amount.to_string(), "5.00 CAD");
}

TEST(Transcollines, ARideInsideGatineauHasNoRule) {
  HCESIM_REQUIRE_SHARED_DATA(dir, "gtfs/transcollines-2026");
  auto e = FareEngine::from_gtfs(dir);
  ASSERT_TRUE(e);
  EXPECT_EQ(price(*e, "910:L910-01:F912-51:06:59:07:31").outcome, LegOutcome::kNoFareRule);
}

TEST(Transcollines, OutsideTheFareTimeframesServiceDatesNoRuleMatches) {
  HCESIM_REQUIRE_SHARED_DATA(dir, "gtfs/transcollines-2026");
  auto e = FareEngine::from_gtfs(dir);
  ASSERT_TRUE(e);
  // FARES-GT-2026-1 ends on 2026-08-23; every rule needs timeframe GT-2026.
  auto leg = parse_leg(*e, "910:F134-01:F912-51:05:17", 300, "", "");
  ASSERT_TRUE(leg);
  std::vector<FareLeg> legs{*leg};
  EXPECT_EQ(e->price_journey(legs).legs[0].outcome, LegOutcome::kNoFareRule);
}
