// Daily and rolling caps and rider-category discounts (our extension), and the incremental form
// for settlement agreeing with whole-journey pricing.
#include "hce/fare/fare_engine.h"
#include "hce/fare/leg_text.h"
#include "support/shared_data.h"
#include "temp_feed.h"

#include <gtest/gtest.h>

#include <random>

using namespace hcesim;
using namespace hcesim::fare;
using hcesim::fare::testing::TempFeed;

namespace {

const std::string kSource = HCESIM_SOURCE_DIR;

// Stations 2 km apart on one line: A-B 2 km (3), A-D 6 km (3), A-E 8 km (4), A-G 12 km (4),
// A-H 14 km (5).
std::string capped_rules(const std::string& caps) {
  return "currency: \"CNY\"\n"
         "distance {\n"
         "  bands { up_to_m: 6000 upper_edge_included: true fare: \"3\" }\n"
         "  bands { up_to_m: 12000 upper_edge_included: true fare: \"4\" }\n"
         "  step_m: 10000 step_fare: \"1\" step_upper_edge_included: true\n"
         "  lines { id: \"L\" stations { id: \"A\" } stations { id: \"B\" from_previous_m: 2000 }\n"
         "    stations { id: \"C\" from_previous_m: 2000 } stations { id: \"D\" from_previous_m: "
         "2000 }\n"
         "    stations { id: \"E\" from_previous_m: 2000 } stations { id: \"F\" from_previous_m: "
         "2000 }\n"
         "    stations { id: \"G\" from_previous_m: 2000 } stations { id: \"H\" from_previous_m: "
         "2000 } }\n"
         "}\n" +
         caps;
}

std::string day_of(const FareEngine& e, const std::vector<std::pair<std::string, int>>& legs,
                   const char* category = "") {
  std::vector<FareLeg> parsed;
  for (const auto& [text, day] : legs) {
    auto l = parse_leg(e, text, day, "", category);
    EXPECT_TRUE(l) << l.error().to_string();
    parsed.push_back(*l);
  }
  std::string out;
  for (const LegPrice& p : e.price_journey(parsed).legs) {
    out += (out.empty() ? "" : "/") + p.amount.amount_string() + (p.capped ? "c" : "");
  }
  return out;
}

} // namespace

TEST(FareCaps, ADailyCapLimitsWhatARiderPaysPerServiceDayAndResetsTheNextDay) {
  TempFeed f;
  f.file("r.txtpb", capped_rules("caps { amount: \"10\" day_starts_at: \"04:00\" }\n"));
  auto e = FareEngine::from_rule_file(f.dir() / "r.txtpb");
  ASSERT_TRUE(e) << e.error().to_string();
  EXPECT_EQ(day_of(*e, {{"L:A:B:08:00", 0},
                        {"L:A:E:09:00", 0},
                        {"L:A:H:12:00", 0},   // 5, but only 3 left of the cap
                        {"L:A:B:18:00", 0},   // capped to nothing
                        {"L:A:B:03:30", 1},   // 03:30 next morning: still service day 0
                        {"L:A:B:04:00", 1}}), // a new service day
            "3.00/4.00/3.00c/0.00c/0.00c/3.00");
}

TEST(FareCaps, ARollingCapCountsTheChargesInsideItsWindow) {
  TempFeed f;
  f.file("r.txtpb", capped_rules("caps { amount: \"7\" window: \"2h\" }\n"));
  auto e = FareEngine::from_rule_file(f.dir() / "r.txtpb");
  ASSERT_TRUE(e) << e.error().to_string();
  EXPECT_EQ(day_of(*e, {{"L:A:E:08:00", 0},   // 4
                        {"L:A:E:09:00", 0},   // 4, but 3 left in the window
                        {"L:A:B:09:59", 0},   // 0 left
                        {"L:A:B:10:00", 0},   // the 08:00 charge left the window: 3 room
                        {"L:A:E:10:59", 0},   // 09:00's 3 and 10:00's 3 inside: 1 left
                        {"L:A:B:11:00", 0}}), // 09:00 is exactly 2 h old: out of the window
            "4.00/3.00c/0.00c/3.00/1.00c/3.00");
}

TEST(FareCaps, ACategoryDiscountRoundsDownAndACategoryCanHaveItsOwnCap) {
  TempFeed f;
  f.file("r.txtpb", capped_rules("discounts { category: \"student\" percent_off: 50 }\n"
                                 "discounts { category: \"senior\" percent_off: 33 }\n"
                                 "caps { amount: \"100\" }\n"
                                 "caps { category: \"student\" amount: \"4\" }\n"));
  auto e = FareEngine::from_rule_file(f.dir() / "r.txtpb");
  ASSERT_TRUE(e) << e.error().to_string();
  // Half of 3 and of 5, then the student cap of 4 is reached exactly, then nothing.
  EXPECT_EQ(day_of(*e, {{"L:A:B:08:00", 0}, {"L:A:H:09:00", 0}, {"L:A:B:10:00", 0}}, "student"),
            "1.50/2.50/0.00c");
  EXPECT_EQ(day_of(*e, {{"L:A:B:08:00", 0}}, "senior"), "2.01"); // 3.00 x 67% = 2.01
  EXPECT_EQ(day_of(*e, {{"L:A:B:08:00", 0}}), "3.00");
}

TEST(FareCaps, BadCapsAreErrorsNamingTheField) {
  TempFeed f;
  f.file("r.txtpb", capped_rules("caps { amount: \"10\" window: \"soon\" }\n"));
  auto e = FareEngine::from_rule_file(f.dir() / "r.txtpb");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().where.find("caps[0].window"), std::string::npos) << e.error().to_string();
  f.file("r.txtpb", capped_rules("discounts { category: \"x\" percent_off: 120 }\n"));
  auto e2 = FareEngine::from_rule_file(f.dir() / "r.txtpb");
  ASSERT_FALSE(e2);
  EXPECT_NE(e2.error().where.find("discounts[0].percent_off"), std::string::npos);
}

TEST(FareCaps, CapsBesideAGtfsFeedApplyToItsFares) {
  HCESIM_REQUIRE_SHARED_DATA(dir, "gtfs/mbta-2024-fall");
  auto e = FareEngine::from_gtfs(dir);
  ASSERT_TRUE(e);
  TempFeed f;
  f.file("caps.txtpb", "currency: \"USD\" caps { amount: \"5.00\" }\n");
  ASSERT_TRUE(e.value().add_caps(f.dir() / "caps.txtpb"));
  std::vector<FareLeg> legs;
  // Bus legs on a CharlieTicket (2.40 each; the feed has no bus-to-bus transfer).
  for (const char* t : {"1:1:10:06:00", "1:10:1:09:00", "1:1:10:12:00", "1:10:1:15:00"}) {
    legs.push_back(*parse_leg(*e, t, 0, "charlieticket", ""));
  }
  const JourneyPrice j = e->price_journey(legs);
  EXPECT_EQ(j.legs[2].amount.amount_string(), "0.20");
  EXPECT_EQ(j.total.amount_string(), "5.00");
}

namespace {
// Random legs: the incremental form (each leg priced given the earlier ones, replayed from text
// ids, as settlement would) must give each leg and the total exactly as the whole journey does.
void expect_incremental_equals_whole(const FareEngine& e, const std::vector<FareLeg>& legs) {
  const JourneyPrice whole = e.price_journey(legs);
  RiderDay day;
  Money total(0, e.currency());
  for (size_t i = 0; i < legs.size(); ++i) {
    const LegPrice replayed = e.price_next_leg(std::span<const FareLeg>(legs.data(), i), legs[i]);
    const LegPrice stepped = e.price_next_leg(day, legs[i]);
    ASSERT_EQ(replayed.amount, whole.legs[i].amount) << "leg " << i;
    ASSERT_EQ(stepped.amount, whole.legs[i].amount) << "leg " << i;
    ASSERT_EQ(stepped.product, whole.legs[i].product) << "leg " << i;
    total += stepped.amount;
  }
  EXPECT_EQ(total, whole.total);
}
} // namespace

TEST(IncrementalPricing, AgreesWithWholeJourneysOnRandomBeijingDaysWithCaps) {
  auto base = FareEngine::from_rule_file(kSource + "/scenarios/fares/beijing.txtpb");
  ASSERT_TRUE(base) << base.error().to_string();
  TempFeed f;
  f.file("caps.txtpb", "currency: \"CNY\" caps { amount: \"20\" }\n"
                       "caps { amount: \"30\" window: \"36h\" }\n"
                       "discounts { category: \"student\" percent_off: 50 }\n");
  ASSERT_TRUE(base.value().add_caps(f.dir() / "caps.txtpb"));
  const FareEngine& e = *base;
  const uint32_t n = static_cast<uint32_t>(e.distance()->stations().size());
  const uint32_t student = *e.find_category("student");
  std::mt19937_64 rng(13);
  for (int journey = 0; journey < 200; ++journey) {
    std::vector<FareLeg> legs(1 + rng() % 12);
    Time t = Time::epoch() + Duration::hours(6);
    const uint32_t category = rng() % 3 == 0 ? student : kNone;
    for (FareLeg& leg : legs) {
      leg.from_stop = static_cast<uint32_t>(rng() % n);
      leg.to_stop = static_cast<uint32_t>(rng() % n);
      t += Duration::minutes(static_cast<int64_t>(rng() % 600));
      leg.depart = t;
      leg.arrive = t + Duration::minutes(30);
      leg.category = category;
    }
    expect_incremental_equals_whole(e, legs);
  }
}

TEST(IncrementalPricing, AgreesWithWholeJourneysOnRandomMbtaDays) {
  HCESIM_REQUIRE_SHARED_DATA(dir, "gtfs/mbta-2024-fall");
  auto e = FareEngine::from_gtfs(dir);
  ASSERT_TRUE(e);
  const char* routes[] = {"Red", "Orange", "Blue", "Green-B", "1", "741", "354"};
  const char* stops[] = {"70061", "70063", "70075", "70014", "70038", "70047", "170136",
                         "1",     "10",    "17091", "74611", "4510",  "1684"};
  const char* media[] = {"charlieticket", "cash", ""};
  std::mt19937_64 rng(42);
  for (int journey = 0; journey < 300; ++journey) {
    const char* medium = media[rng() % 3];
    std::vector<FareLeg> legs;
    int minute = 6 * 60;
    for (size_t i = 0, n = 1 + rng() % 8; i < n; ++i) {
      minute += static_cast<int>(rng() % 90);
      char hm[32];
      std::snprintf(hm, sizeof hm, "%02d:%02d", minute / 60, minute % 60);
      const std::string text = std::string(routes[rng() % 7]) + ":" + stops[rng() % 13] + ":" +
                               stops[rng() % 13] + ":" + hm;
      auto leg = parse_leg(*e, text, 0, medium, "");
      ASSERT_TRUE(leg) << leg.error().to_string();
      legs.push_back(*leg);
    }
    expect_incremental_equals_whole(*e, legs);
  }
}
