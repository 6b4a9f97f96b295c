// `hcesim fare`: per-leg lines and a total line; bad legs exit 2 with one precise line each.
#include "support/run_command.h"
#include "support/shared_data.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

using hcesim::testing::run_command;

namespace {
const std::string kBin = HCESIM_BIN;
const std::string kSource = HCESIM_SOURCE_DIR;

std::string last_line(std::string s) {
  while (!s.empty() && s.back() == '\n') {
    s.pop_back();
  }
  const size_t start = s.rfind('\n');
  return start == std::string::npos ? s : s.substr(start + 1);
}
} // namespace

TEST(FareCommand, PricesAnMbtaJourneyLegByLegWithATotal) {
  HCESIM_REQUIRE_SHARED_DATA(dir, "gtfs/mbta-2024-fall");
  auto r = run_command(kBin + " fare --gtfs " + dir.string() +
                       " --date 2024-10-01 --media charlieticket Red:70061:70063:08:00 "
                       "1:1:10:09:30:09:50");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Red:70061:70063:08:00 product=prod_rapid_transit_quick_subway "
                       "amount=2.40\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("1:1:10:09:30:09:50 product=prod_rapid_transit_quick_subway amount=0.00 "
                       "transfer\n"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(last_line(r.out), "total=2.40 USD");
  EXPECT_NE(r.err.find("warning: 185 feed rows set aside"), std::string::npos) << r.err;
}

TEST(FareCommand, PricesADistanceRuleFile) {
  auto r = run_command(kBin + " fare --rules " + kSource +
                       "/scenarios/fares/nanchang.txtpb 1号线:双港:瑶湖西:08:00 "
                       "1号线:彭家桥:艾溪湖东:18:00");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("1号线:双港:瑶湖西:08:00 product=distance over 28 km (+1 step) amount=6.00 "
                       "distance_m=28400\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("amount=2.00 distance_m=6000"), std::string::npos) << r.out;
  EXPECT_EQ(last_line(r.out), "total=8.00 CNY");
}

TEST(FareCommand, EachBadLegGetsOnePreciseErrorLineAndExitCodeTwo) {
  auto r = run_command(kBin + " fare --rules " + kSource +
                       "/scenarios/fares/nanchang.txtpb 1号线:双港:火星:08:00 1号线:双港:瑶湖西 "
                       "1号线:双港:瑶湖西:25:99");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("error: leg \"1号线:双港:火星:08:00\": unknown stop \"火星\"\n"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("error: leg \"1号线:双港:瑶湖西\": found 3 ':'-separated fields"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("error: leg \"1号线:双港:瑶湖西:25:99\": bad departure time"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST(FareCommand, ALegNoRuleCoversIsAnErrorSayingWhy) {
  HCESIM_REQUIRE_SHARED_DATA(dir, "gtfs/mbta-2024-fall");
  auto r =
      run_command(kBin + " fare --gtfs " + dir.string() + " --media cash Red:70061:70063:08:00");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("error: leg \"Red:70061:70063:08:00\": no fare product for this leg is sold "
                       "on this fare medium"),
            std::string::npos)
      << r.err;
}

TEST(FareCommand, GtfsAndRulesTogetherOrNeitherAreBadInput) {
  auto neither = run_command(kBin + " fare A:B:C:08:00");
  EXPECT_EQ(neither.exit_code, 2);
  EXPECT_NE(neither.err.find("--gtfs"), std::string::npos) << neither.err;
  auto both = run_command(kBin + " fare --gtfs x --rules y A:B:C:08:00");
  EXPECT_EQ(both.exit_code, 2);
}

TEST(FareCommand, AMissingFeedFolderIsBadInputNamingIt) {
  auto r = run_command(kBin + " fare --gtfs /no/such/feed A:B:C:08:00");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/no/such/feed"), std::string::npos) << r.err;
}

TEST(FareCommand, StrictLoadingTurnsTheMbtaFeedsUnknownTimeframeIntoAnError) {
  HCESIM_REQUIRE_SHARED_DATA(dir, "gtfs/mbta-2024-fall");
  auto r = run_command(kBin + " fare --strict --gtfs " + dir.string() + " Red:70061:70063:08:00");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("error: fare_leg_rules.txt:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("timeframe_systemwide_free"), std::string::npos) << r.err;
}

TEST(FareCommand, ACategoryDiscountAndDailyCapFromTheRuleFileApply) {
  const std::string file = ::testing::TempDir() + "/hcesim_fare_cli_caps.txtpb";
  {
    std::ofstream out(file);
    out << "currency: \"CNY\"\n"
           "distance { bands { up_to_m: 6000 upper_edge_included: true fare: \"3\" }\n"
           "  lines { id: \"L\" stations { id: \"A\" } stations { id: \"B\" from_previous_m: 1000 "
           "} "
           "} }\n"
           "discounts { category: \"student\" percent_off: 50 }\n"
           "caps { amount: \"4\" }\n";
  }
  auto r = run_command(kBin + " fare --rules " + file +
                       " --category student L:A:B:08:00 L:A:B:09:00 L:B:A:10:00");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(
      r.out.find("L:B:A:10:00 product=distance up to 6 km amount=1.00 distance_m=1000 capped\n"),
      std::string::npos)
      << r.out;
  EXPECT_EQ(last_line(r.out), "total=4.00 CNY");
}
