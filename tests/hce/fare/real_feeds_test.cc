// Every shared GTFS feed loads; the warnings are the rows the feeds really get wrong.
#include "hce/fare/fare_engine.h"
#include "support/shared_data.h"

#include <gtest/gtest.h>

using namespace hcesim::fare;

TEST(RealFeeds, MbtaLoadsAsFaresV2WithOneWarningPerRowNamingTheUndefinedTimeframe) {
  HCESIM_REQUIRE_SHARED_DATA(dir, "gtfs/mbta-2024-fall");
  auto load = load_gtfs(dir);
  ASSERT_TRUE(load) << load.error().to_string();
  EXPECT_TRUE(load->feed.has_v2);
  EXPECT_FALSE(load->feed.has_rule_priority);
  std::cout << "  " << load->warnings.size() << " warnings, first: "
            << (load->warnings.empty() ? "-" : load->warnings.front().to_string()) << '\n';
  for (const auto& w : load->warnings) {
    EXPECT_NE(w.what.find("timeframe_systemwide_free"), std::string::npos) << w.to_string();
    EXPECT_EQ(w.where.rfind("fare_leg_rules.txt:", 0), 0u) << w.to_string();
  }
  EXPECT_FALSE(load->warnings.empty());
  EXPECT_EQ(load->feed.currency.code(), "USD");
}

TEST(RealFeeds, MbtaIsAnErrorUnderStrictLoading) {
  HCESIM_REQUIRE_SHARED_DATA(dir, "gtfs/mbta-2024-fall");
  GtfsLoadOptions strict;
  strict.strict = true;
  auto load = load_gtfs(dir, strict);
  ASSERT_FALSE(load);
  EXPECT_NE(load.error().to_string().find("timeframe_systemwide_free"), std::string::npos);
  EXPECT_EQ(load.error().where.rfind("fare_leg_rules.txt:", 0), 0u) << load.error().to_string();
}

TEST(RealFeeds, HyderabadLoadsAsFaresV1WithoutWarnings) {
  HCESIM_REQUIRE_SHARED_DATA(dir, "gtfs/hmrl-hyderabad-2025");
  auto load = load_gtfs(dir);
  ASSERT_TRUE(load) << load.error().to_string();
  EXPECT_TRUE(load->feed.has_v1);
  EXPECT_FALSE(load->feed.has_v2);
  EXPECT_EQ(load->feed.fare_attributes.size(), 10u);
  EXPECT_EQ(load->feed.fare_rules_v1.size(), 59u * 59u);
  EXPECT_EQ(load->feed.zones.size(), 59u);
  EXPECT_TRUE(load->warnings.empty());
  EXPECT_EQ(load->feed.currency.code(), "INR");
}

TEST(RealFeeds, TranscollinesLoadsAsFaresV2WithRulePriorityColumn) {
  HCESIM_REQUIRE_SHARED_DATA(dir, "gtfs/transcollines-2026");
  auto load = load_gtfs(dir);
  ASSERT_TRUE(load) << load.error().to_string();
  EXPECT_TRUE(load->feed.has_v2);
  EXPECT_TRUE(load->feed.has_rule_priority);
  EXPECT_EQ(load->feed.leg_rules.size(), 8u);
  EXPECT_EQ(load->feed.stop.size(), 424u);
  for (const auto& w : load->warnings) {
    std::cout << "  warning: " << w.to_string() << '\n';
  }
  EXPECT_TRUE(load->warnings.empty());
}
