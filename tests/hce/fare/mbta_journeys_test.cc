// The MBTA's Fall 2024 feed (Fares v2): journeys priced to the published fares of that period, and
// where the feed says more, to the reference's rules worked by hand in each row's note.
#include "hce/fare/fare_engine.h"
#include "hce/fare/leg_text.h"
#include "support/shared_data.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace hcesim;
using namespace hcesim::fare;

namespace {

struct Journey {
  const char* note;
  const char* medium;
  std::vector<const char*> legs;
  std::vector<const char*> amounts; //!< per leg; "-" = not priced on this medium
  const char* total;
};

// Worked by hand from the feed's fare_leg_rules / fare_transfer_rules / fare_products:
const std::vector<Journey> kJourneys = {
    {"subway on a CharlieTicket: Subway Quick Ticket, published $2.40",
     "charlieticket",
     {"Red:70061:70063:08:00"},
     {"2.40"},
     "2.40"},
    {"subway, cash paid on the Green Line B surface (area west of Kenmore): $2.40",
     "cash",
     {"Green-B:170136:70196:08:00"},
     {"2.40"},
     "2.40"},
    {"local bus, cash: published $1.70", "cash", {"1:1:10:09:00"}, {"1.70"}, "1.70"},
    {"express bus 354 outside downtown -> downtown, cash: published $4.25",
     "cash",
     {"354:1684:4510:07:30"},
     {"4.25"},
     "4.25"},
    {"express bus 354 the other way, cash", "cash", {"354:4510:1684:17:30"}, {"4.25"}, "4.25"},
    {"commuter rail zone 1A -> 1A (Back Bay platforms): published $2.40",
     "cash",
     {"CR-Worcester:WML-0012-07:NEC-2276-01:08:00"},
     {"2.40"},
     "2.40"},
    {"commuter rail zone 1A -> zone 1 (Back Bay -> Hyde Park): $6.50",
     "credit_debit",
     {"CR-Providence:NEC-2276-01:NEC-2203-02:08:00"},
     {"6.50"},
     "6.50"},
    {"commuter rail, a parent station stands for its platforms",
     "mticket",
     {"CR-Providence:place-bbsta:place-NEC-2203:08:00"},
     {"6.50"},
     "6.50"},
    {"Silver Line SL1 from a Logan terminal is free (leg_sl_rapid_transit_free)",
     "cash",
     {"741:17091:74617:08:00"},
     {"0.00"},
     "0.00"},
    {"Silver Line SL1 free on any medium: prod_free_fare has no medium",
     "charlieticket",
     {"741:17093:74617:08:00"},
     {"0.00"},
     "0.00"},
    {"Silver Line SL1 towards the airport is paid: $2.40",
     "charlieticket",
     {"741:74611:17091:08:00"},
     {"2.40"},
     "2.40"},
    {"Blue Line from Airport: airport leg group, then a free in-system transfer",
     "charlieticket",
     {"Blue:70047:70038:08:00", "Blue:70038:70040:08:10"},
     {"2.40", "0.00"},
     "2.40"},
    {"subway -> bus inside the 7200 s limit (type 1, departure to departure): A + AB = 2.40 + 0",
     "charlieticket",
     {"Red:70061:70063:08:00", "1:1:10:09:30"},
     {"2.40", "0.00"},
     "2.40"},
    {"subway -> bus exactly at 7200 s still transfers",
     "charlieticket",
     {"Red:70061:70063:08:00", "1:1:10:10:00"},
     {"2.40", "0.00"},
     "2.40"},
    {"subway -> bus past the limit (10:01): a new fare",
     "charlieticket",
     {"Red:70061:70063:08:00", "1:1:10:10:01"},
     {"2.40", "2.40"},
     "4.80"},
    {"repeated subway transfers: transfer_count -1, no duration limit",
     "charlieticket",
     {"Red:70061:70075:08:00", "Orange:70014:70020:08:20", "Blue:70038:70040:08:40",
      "Green-B:70196:70200:11:00"},
     {"2.40", "0.00", "0.00", "0.00"},
     "2.40"},
    {"bus -> subway: the feed has no rule from local bus, so two fares",
     "charlieticket",
     {"1:1:10:09:00", "Red:70061:70063:09:20"},
     {"2.40", "2.40"},
     "4.80"},
    {"cash Green Line surface -> subway: transfer_only cash rule, free",
     "cash",
     {"Green-B:170136:70196:08:00", "Red:70075:70061:08:20"},
     {"2.40", "0.00"},
     "2.40"},
    {"cash bus -> cash bus: no transfer rule for cash bus, two fares",
     "cash",
     {"1:1:10:09:00", "1:10:1:09:30"},
     {"1.70", "1.70"},
     "3.40"},
    {"subway cash at a gated station: no cash product (the gates take CharlieTickets)",
     "cash",
     {"Red:70061:70063:08:00"},
     {"-"},
     "0.00"},
    {"mTicket is not sold for the subway", "mticket", {"Red:70061:70063:08:00"}, {"-"}, "0.00"},
    {"Charlestown ferry on a credit card: $3.70",
     "credit_debit",
     {"Boat-F4:Boat-Charlestown:Boat-Long:08:00"},
     {"3.70"},
     "3.70"},
    {"express bus is cash-only in this feed",
     "charlieticket",
     {"354:1684:4510:07:30"},
     {"-"},
     "0.00"},
};

class MbtaJourneys : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    const auto dir = hcesim::testing::shared_data("gtfs/mbta-2024-fall");
    if (dir.empty()) {
      return;
    }
    auto e = FareEngine::from_gtfs(dir);
    ASSERT_TRUE(e) << e.error().to_string();
    engine_ = new FareEngine(std::move(e).value());
  }
  static void TearDownTestSuite() {
    delete engine_;
    engine_ = nullptr;
  }
  static FareEngine* engine_;
};
FareEngine* MbtaJourneys::engine_ = nullptr;

} // namespace

TEST_F(MbtaJourneys, EachJourneyInTheTablePricesAsWorkedByHand) {
  HCESIM_REQUIRE_SHARED_DATA(dir, "gtfs/mbta-2024-fall");
  ASSERT_GE(kJourneys.size(), 20u);
  for (const Journey& j : kJourneys) {
    SCOPED_TRACE(j.note);
    std::vector<FareLeg> legs;
    for (const char* text : j.legs) {
      auto leg = parse_leg(*engine_, text, 0, j.medium, "");
      ASSERT_TRUE(leg) << leg.error().to_string();
      legs.push_back(*leg);
    }
    const JourneyPrice price = engine_->price_journey(legs);
    ASSERT_EQ(price.legs.size(), j.amounts.size());
    for (size_t i = 0; i < legs.size(); ++i) {
      if (std::string(j.amounts[i]) == "-") {
        EXPECT_EQ(price.legs[i].outcome, LegOutcome::kNotOnMedium) << j.legs[i];
      } else {
        EXPECT_EQ(price.legs[i].outcome, LegOutcome::kPriced) << j.legs[i];
        EXPECT_EQ(price.legs[i].amount.amount_string(), j.amounts[i]) << j.legs[i];
      }
    }
    EXPECT_EQ(price.total.amount_string(), j.total);
  }
}

TEST_F(MbtaJourneys, AnUnknownStopIsAnErrorNamingIt) {
  HCESIM_REQUIRE_SHARED_DATA(dir, "gtfs/mbta-2024-fall");
  auto leg = parse_leg(*engine_, "Red:70061:no-such-stop:08:00", 0, "charlieticket", "");
  ASSERT_FALSE(leg);
  EXPECT_NE(leg.error().what.find("unknown stop \"no-such-stop\""), std::string::npos);
  auto medium = parse_leg(*engine_, "Red:70061:70063:08:00", 0, "bitcoin", "");
  ASSERT_FALSE(medium);
  EXPECT_NE(medium.error().what.find("fare medium"), std::string::npos);
}

TEST_F(MbtaJourneys, OutsideTheFareTimeframeTheTimeframeRulesDoNotMatch) {
  HCESIM_REQUIRE_SHARED_DATA(dir, "gtfs/mbta-2024-fall");
  // fare_regular runs 2024-09-20..2024-12-14; day 100 is after it, so the subway rules that need
  // timeframe_regular fall back to those without a timeframe (none for a gated Red Line station).
  auto leg = parse_leg(*engine_, "Red:70061:70063:08:00", 100, "charlieticket", "");
  ASSERT_TRUE(leg);
  std::vector<FareLeg> legs{*leg};
  EXPECT_NE(engine_->price_journey(legs).legs[0].outcome, LegOutcome::kPriced);
}
