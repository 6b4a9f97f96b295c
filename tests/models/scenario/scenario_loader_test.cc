// Scenario files: defaults, ranges, every error at once with its place, --set overrides, JSON.
#include "models/scenario/scenario_loader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace hcesim;
using namespace hcesim::models;

namespace {

// A scenario folder with the metro fare rule file the synthetic city names by default.
class ScenarioLoader : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hcesim_scenario_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_ / "fares");
    std::ofstream(dir_ / "fares" / "nanchang.txtpb") << "# placeholder rule file\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  LoadedScenario load(const std::string& text, const std::vector<std::string>& sets = {},
                      const std::string& name = "s.txtpb") {
    std::filesystem::path p = dir_ / name;
    std::ofstream(p) << text;
    return load_scenario(p.string(), sets);
  }
  std::string file(const std::string& name = "s.txtpb") const { return (dir_ / name).string(); }

  std::filesystem::path dir_;
};

std::string all(const Errors& errors) {
  std::string s;
  for (const Error& e : errors) {
    s += e.to_string() + "\n";
  }
  return s;
}

// Found by fuzz_scenario: `validate --print` of a scenario with a short lifetime wrote the unused
// default jitter (2h) above it, and of a scenario outside scenarios/ the default fare rule's path
// relative to a folder without it: neither printed scenario loaded again.
TEST(ResolvedScenario, OfAScenarioOutsideScenariosWithAShortLifetimeLoadsAgain) {
  const auto dir =
      std::filesystem::temp_directory_path() /
      ("hcesim_resolved_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "mine.txtpb") << "token_policy { lifetime: \"7100s\" }\n";
  const LoadedScenario first = load_scenario((dir / "mine.txtpb").string(), {});
  ASSERT_TRUE(first.ok()) << first.errors.front().to_string();
  EXPECT_LE(first.config.token_policy.jitter, first.config.token_policy.lifetime);
  std::ofstream(dir / "printed.txtpb") << scenario_to_text(first.resolved);
  const LoadedScenario again = load_scenario((dir / "printed.txtpb").string(), {});
  ASSERT_TRUE(again.ok()) << again.errors.front().to_string();
  EXPECT_EQ(scenario_to_text(again.resolved), scenario_to_text(first.resolved));
  std::filesystem::remove_all(dir);
}

} // namespace

TEST_F(ScenarioLoader, AnEmptyScenarioTakesEveryDefault) {
  LoadedScenario s = load("");
  ASSERT_TRUE(s.ok()) << all(s.errors);
  const ScenarioConfig& c = s.config;
  EXPECT_EQ(c.name, "s");
  EXPECT_EQ(c.seed, 1u);
  EXPECT_EQ(c.days, 1u);
  EXPECT_EQ(c.warmup, Duration::days(1));
  EXPECT_EQ(c.population.riders, 200'000u);
  EXPECT_EQ(c.token_policy.offline_limit, 3u);
  EXPECT_EQ(c.token_policy.lifetime, Duration::hours(24));
  EXPECT_EQ(c.city.bus_fare.minor(), 200);
  EXPECT_EQ(c.city.currency.code(), "CNY");
  EXPECT_EQ(c.top_up.threshold.minor(), 1000);
  EXPECT_EQ(c.cloud.issuing.servers, 4u);
  EXPECT_EQ(c.cloud.settlement.mean_service_time, Duration::millis(5));
  ASSERT_EQ(c.population.classes.size(), 1u);
  EXPECT_EQ(c.population.classes[0].name, "regular");
  // The resolved scenario has the defaults written in, so a manifest shows every value used.
  EXPECT_EQ(s.resolved.token_policy().lifetime(), "24h");
  EXPECT_NE(scenario_to_text(s.resolved).find("offline_limit: 3"), std::string::npos);
}

// Found by fuzz_scenario: defaults written with two decimals ("2.00") did not parse in a currency
// without minor units and the loader aborted.
TEST_F(ScenarioLoader, AWrittenStartingBalanceIsEveryonesUnlessStartBalancesSaysOtherwise) {
  EXPECT_EQ(load("").config.population.start_balances, StartBalances::kInTopUpCycle);
  EXPECT_EQ(load("population { initial_balance: \"8.00\" }").config.population.start_balances,
            StartBalances::kFixed);
  EXPECT_EQ(load("", {"population.initial_balance=3.00"}).config.population.start_balances,
            StartBalances::kFixed);
  EXPECT_EQ(load("population { initial_balance: \"8.00\" start_balances: IN_TOP_UP_CYCLE }")
                .config.population.start_balances,
            StartBalances::kInTopUpCycle);
  // The resolved scenario says which, so running it again does the same.
  const LoadedScenario s = load("");
  EXPECT_NE(scenario_to_text(s.resolved).find("start_balances: IN_TOP_UP_CYCLE"),
            std::string::npos);
  const LoadedScenario again = load(scenario_to_text(s.resolved));
  ASSERT_TRUE(again.ok()) << all(again.errors);
  EXPECT_EQ(again.config.population.start_balances, StartBalances::kInTopUpCycle);
}

TEST_F(ScenarioLoader, AnOverrideOfTheDefaultClassEditsIt) {
  // proto/study.proto's example axis, population.classes[0].share, on a scenario with no classes:
  // element 0 is the default class (it used to be a new empty one: "name ... got \"\"").
  const LoadedScenario s =
      load("", {"population.classes[0].trip_factor=0.5", "network.coverage[0].offline_factor=2"});
  ASSERT_TRUE(s.ok()) << all(s.errors);
  ASSERT_EQ(s.config.population.classes.size(), 1u);
  EXPECT_EQ(s.config.population.classes[0].name, "regular");
  EXPECT_EQ(s.config.population.classes[0].share, 1.0);
  EXPECT_EQ(s.config.population.classes[0].trip_factor, 0.5);
  ASSERT_EQ(s.config.network.coverage.size(), 1u);
  EXPECT_EQ(s.config.network.coverage[0].name, "good");
  EXPECT_EQ(s.config.network.coverage[0].offline_factor, 2.0);
  // A second class is added after it: the shares must then be given for both.
  const LoadedScenario two = load("", {"population.classes[1].name=students"});
  ASSERT_FALSE(two.ok());
  EXPECT_NE(all(two.errors).find("population.classes[1].share"), std::string::npos)
      << all(two.errors);
}

TEST_F(ScenarioLoader, ACurrencyWithoutMinorUnitsTakesTheDefaultsInWholeUnits) {
  LoadedScenario s = load(R"(city { synthetic { currency: "JPY" } })");
  ASSERT_TRUE(s.ok()) << all(s.errors);
  EXPECT_EQ(s.config.city.bus_fare, Money(2, s.config.city.currency));
  EXPECT_EQ(s.config.top_up.amount.minor(), 50);
  EXPECT_EQ(s.resolved.city().synthetic().bus_fare(), "2");
  // The smallest top-up (0.01 in two decimals) rounds up to one yen, not down to nothing.
  LoadedScenario low = load(R"(city { synthetic { currency: "JPY" } } top_up { amount: "0" })");
  ASSERT_EQ(low.errors.size(), 1u) << all(low.errors);
  EXPECT_NE(low.errors[0].what.find("must be 1..10000"), std::string::npos) << all(low.errors);
  // Resolving is idempotent: the resolved scenario loads again to the same values.
  const std::string resolved = scenario_to_text(s.resolved);
  LoadedScenario again = load(resolved);
  ASSERT_TRUE(again.ok()) << all(again.errors);
  EXPECT_EQ(scenario_to_text(again.resolved), resolved);
}

TEST_F(ScenarioLoader, ReadsWrittenValuesInReadableUnits) {
  LoadedScenario s = load(R"(
    name: "limit ten"
    seed: 7
    days: 2
    token_policy { offline_limit: 10 lifetime: "72h" alignment: ROLLING_WITH_JITTER jitter: "90min" }
    top_up { threshold: "5" amount: "30.50" }
    population { classes { name: "commuter" share: 0.75 } classes { name: "occasional" share: 0.25 trip_factor: 0.3 } }
    cloud { outages { start: "d1 08:00" duration: "2h" } }
  )");
  ASSERT_TRUE(s.ok()) << all(s.errors);
  EXPECT_EQ(s.config.name, "limit ten");
  EXPECT_EQ(s.config.token_policy.offline_limit, 10u);
  EXPECT_EQ(s.config.token_policy.lifetime, Duration::hours(72));
  EXPECT_EQ(s.config.token_policy.jitter, Duration::minutes(90));
  EXPECT_EQ(s.config.top_up.amount.minor(), 3050);
  ASSERT_EQ(s.config.population.classes.size(), 2u);
  EXPECT_DOUBLE_EQ(s.config.population.classes[1].trip_factor, 0.3);
  ASSERT_EQ(s.config.cloud.outages.size(), 1u);
  EXPECT_EQ(s.config.cloud.outages[0].start,
            Time::epoch() + Duration::days(1) + Duration::hours(8));
}

// An outage on a day after the run did nothing, silently (the same fingerprint as none). Hours
// may pass 23 as in GTFS ("d1 25:00" is d2 01:00, inside the default run).
TEST_F(ScenarioLoader, AnOutageAtOrAfterTheRunsEndIsAnErrorAtItsField) {
  LoadedScenario s = load(R"(
    days: 1
    cloud { outages { start: "d5 08:00" duration: "2h" } outages { start: "d1 25:00" duration: "1h" } }
  )");
  ASSERT_EQ(s.errors.size(), 1u) << all(s.errors);
  EXPECT_NE(s.errors[0].to_string().find(
                "cloud.outages[0].start: \"d5 08:00\" is at or after the run's end (d2 12:00:00"),
            std::string::npos)
      << all(s.errors);
}

// The documented top of the lifetime range ("30d") always failed: key_rotation's fixed "30d"
// default must exceed lifetime + the longest upload interval. Unwritten, it now follows.
TEST_F(ScenarioLoader, TheLongestLifetimeLoadsWithTheDefaultKeyRotation) {
  LoadedScenario s = load("token_policy { lifetime: \"30d\" }\n");
  ASSERT_TRUE(s.ok()) << all(s.errors);
  EXPECT_EQ(s.config.token_policy.key_rotation, Duration::days(31));
  // Unwritten in the resolved scenario: a sweep over the lifetime derives it per point.
  EXPECT_FALSE(s.resolved.token_policy().has_key_rotation());
  EXPECT_EQ(load("").config.token_policy.key_rotation, Duration::days(30));
  LoadedScenario written = load("token_policy { lifetime: \"30d\" key_rotation: \"30d\" }\n");
  ASSERT_EQ(written.errors.size(), 1u) << all(written.errors);
  EXPECT_NE(written.errors[0].what.find("must exceed lifetime"), std::string::npos);
}

TEST_F(ScenarioLoader, ASyntaxErrorNamesFileLineAndColumn) {
  LoadedScenario s = load("days: 2\ntoken_policy {\n  offline_limit: 3\n");
  ASSERT_EQ(s.errors.size(), 1u) << all(s.errors);
  EXPECT_EQ(s.errors[0].where.rfind(file() + ":4:", 0), 0u) << all(s.errors);
}

TEST_F(ScenarioLoader, AnUnknownFieldNamesFileLineColumnAndTheField) {
  LoadedScenario s = load("days: 2\ntoken_policy {\n  ofline_limit: 3\n}\n");
  ASSERT_EQ(s.errors.size(), 1u) << all(s.errors);
  EXPECT_EQ(s.errors[0].where, file() + ":3:15");
  EXPECT_NE(s.errors[0].what.find("ofline_limit"), std::string::npos) << all(s.errors);
  // The field it most likely meant, when one is near.
  EXPECT_NE(s.errors[0].what.find("(did you mean \"offline_limit\"?)"), std::string::npos)
      << all(s.errors);
  LoadedScenario far = load("token_policy {\n  zzzzzzzzzzzz: 3\n}\n");
  ASSERT_EQ(far.errors.size(), 1u) << all(far.errors);
  EXPECT_EQ(far.errors[0].what.find("did you mean"), std::string::npos) << all(far.errors);
}

TEST_F(ScenarioLoader, AnUnknownEnumValueListsTheValuesAndTheNearest) {
  LoadedScenario s = load("expectations { kpis { kpi: \"refusal_rate\" max: 0.1 interval: "
                          "SIGNIFICANT } }\n");
  ASSERT_EQ(s.errors.size(), 1u) << all(s.errors);
  EXPECT_NE(s.errors[0].what.find("(did you mean \"SIGNIFICANT_VIOLATION\"? one of MEAN, "
                                  "WHOLE_INTERVAL, SIGNIFICANT_VIOLATION)"),
            std::string::npos)
      << all(s.errors);
  LoadedScenario far = load("refill { trigger: ZZZZZZZZZZZZZZZZ }\n");
  ASSERT_EQ(far.errors.size(), 1u) << all(far.errors);
  EXPECT_EQ(far.errors[0].what.find("did you mean"), std::string::npos) << all(far.errors);
  EXPECT_NE(far.errors[0].what.find("one of AFTER_EVERY_USE"), std::string::npos)
      << all(far.errors);
}

TEST_F(ScenarioLoader, AFieldNoRunReadsIsRefusedNamingWhatToSetInstead) {
  LoadedScenario s = load("network { mean_time_between_restarts: \"1h\" }\n");
  ASSERT_EQ(s.errors.size(), 1u) << all(s.errors);
  EXPECT_NE(s.errors[0].what.find("faults.app_restarts_per_rider_day"), std::string::npos)
      << all(s.errors);
}

TEST_F(ScenarioLoader, ReportsEveryOutOfRangeValueAtOnceWithItsLine) {
  LoadedScenario s = load("days: 0\n"
                          "token_policy {\n"
                          "  offline_limit: 0\n"
                          "  lifetime: \"30min\"\n"
                          "}\n"
                          "population { hce_share: 1.5 }\n");
  ASSERT_EQ(s.errors.size(), 4u) << all(s.errors);
  EXPECT_EQ(s.errors[0].to_string(), file() + ":1:1: days: must be 1..366, got 0");
  EXPECT_EQ(s.errors[1].to_string(),
            file() + ":3:3: token_policy.offline_limit: must be 1..100, got 0");
  EXPECT_EQ(s.errors[2].to_string(),
            file() + ":4:3: token_policy.lifetime: must be 1h..30d, got \"30min\"");
  EXPECT_EQ(s.errors[3].to_string(), file() + ":6:14: population.hce_share: must be 0..1, got 1.5");
}

TEST_F(ScenarioLoader, ManualTopUpsTakeAShareAndAMeanWaitInRange) {
  LoadedScenario s = load("top_up {\n  manual_share: 1.2\n  manual_delay: \"0s\"\n}\n");
  ASSERT_EQ(s.errors.size(), 2u) << all(s.errors);
  EXPECT_EQ(s.errors[0].to_string(), file() + ":2:3: top_up.manual_share: must be 0..1, got 1.2");
  EXPECT_EQ(s.errors[1].to_string(),
            file() + ":3:3: top_up.manual_delay: must be 1s..30d, got \"0s\"");
  s = load("top_up { manual_share: 0.25 manual_delay: \"45min\" }\n");
  ASSERT_TRUE(s.ok()) << all(s.errors);
  EXPECT_EQ(s.config.top_up.manual_share, 0.25);
  EXPECT_EQ(s.config.top_up.manual_delay, Duration::minutes(45));
  s = load("");
  EXPECT_EQ(s.config.top_up.manual_share, 1.0); // the defaults the proto documents
  EXPECT_EQ(s.config.top_up.manual_delay, Duration::hours(1));
}

// The jitter only matters with ROLLING_WITH_JITTER: its 2h default must not make the shortest
// allowed lifetime ("1h") an error under the default ROLLING alignment.
TEST_F(ScenarioLoader, TheShortestLifetimeIsValidWithoutJitter) {
  LoadedScenario s = load(R"(token_policy { lifetime: "1h" })");
  EXPECT_TRUE(s.ok()) << all(s.errors);
}

// The issuer needs 0 < jitter < lifetime (a token must not expire the moment it is issued): a
// jitter equal to the lifetime is refused here, with its place, not by an assertion mid-run.
TEST_F(ScenarioLoader, AJitterAsLongAsTheLifetimeIsAnErrorWithJitterAlignment) {
  LoadedScenario s =
      load(R"(token_policy { lifetime: "2h" alignment: ROLLING_WITH_JITTER jitter: "2h" })");
  const std::string text = all(s.errors);
  EXPECT_NE(text.find("token_policy.jitter: must be less than lifetime (2h)"), std::string::npos)
      << text;
  s = load(R"(token_policy { lifetime: "1h" alignment: ROLLING_WITH_JITTER })");
  EXPECT_NE(all(s.errors).find("token_policy.jitter"), std::string::npos) << all(s.errors);
  s = load(R"(token_policy { alignment: ROLLING_WITH_JITTER jitter: "0s" })");
  EXPECT_NE(all(s.errors).find("token_policy.jitter: must be above 0s"), std::string::npos)
      << all(s.errors);
}

TEST_F(ScenarioLoader, InconsistentValuesAreErrorsNamingTheRule) {
  LoadedScenario s = load(R"(
    token_policy { tokens_per_grant: 4 wallet_size: 2 lifetime: "24h" jitter: "25h" }
    population { classes { name: "a" share: 0.5 } classes { name: "a" share: 0.4 } }
    refill { retry_backoff: "10min" max_backoff: "1min" }
  )");
  std::string text = all(s.errors);
  EXPECT_NE(text.find("token_policy.wallet_size: must be at least tokens_per_grant (4), got 2"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("token_policy.jitter: must not exceed lifetime"), std::string::npos) << text;
  EXPECT_NE(text.find("population.classes[1].name: \"a\" is used twice"), std::string::npos)
      << text;
  EXPECT_NE(text.find("population.classes: shares must add up to 1"), std::string::npos) << text;
  EXPECT_NE(text.find("refill.max_backoff: must be at least retry_backoff"), std::string::npos)
      << text;
}

TEST_F(ScenarioLoader, BadUnitsAndAmountsGiveBaseErrorsAtTheirField) {
  LoadedScenario s =
      load("token_policy { lifetime: \"24 hours\" }\ntop_up { threshold: \"5.123\" }\n");
  ASSERT_EQ(s.errors.size(), 2u) << all(s.errors);
  EXPECT_EQ(s.errors[0].where, file() + ":1:16");
  EXPECT_EQ(s.errors[0].what, "token_policy.lifetime: bad duration \"24 hours\": unexpected ' '; "
                              "expected a unit (us, ms, s, min, h, d)");
  EXPECT_EQ(s.errors[1].where, file() + ":2:10");
  EXPECT_EQ(s.errors[1].what, "top_up.threshold: bad amount \"5.123\": CNY has 2 decimal places");
}

TEST_F(ScenarioLoader, KeyRotationMustOutliveTokensAndUploadIntervals) {
  LoadedScenario s = load("token_policy { lifetime: \"72h\" key_rotation: \"3d\" }\n");
  ASSERT_EQ(s.errors.size(), 1u) << all(s.errors);
  EXPECT_NE(s.errors[0].what.find("token_policy.key_rotation: must exceed lifetime"),
            std::string::npos);
}

TEST_F(ScenarioLoader, OverridesSetFieldsAndAreCheckedTheSameWay) {
  LoadedScenario s =
      load("token_policy { offline_limit: 3 }\n",
           {"token_policy.offline_limit=10", "population.riders=1000",
            "token_policy.alignment=DAILY_BOUNDARY", "city.synthetic.bus_fare=2.50"});
  ASSERT_TRUE(s.ok()) << all(s.errors);
  EXPECT_EQ(s.config.token_policy.offline_limit, 10u);
  EXPECT_EQ(s.config.population.riders, 1000u);
  EXPECT_EQ(s.config.token_policy.alignment, ExpiryAlignment::kDailyBoundary);
  EXPECT_EQ(s.config.city.bus_fare.minor(), 250);

  LoadedScenario bad = load("", {"token_policy.offline_limit=0"});
  ASSERT_EQ(bad.errors.size(), 1u) << all(bad.errors);
  EXPECT_EQ(
      bad.errors[0].to_string(),
      "--set token_policy.offline_limit=0: token_policy.offline_limit: must be 1..100, got 0");
}

TEST_F(ScenarioLoader, BadOverridesNameThePathAndWhatWasExpected) {
  auto err = [&](const std::string& set) {
    LoadedScenario s = load("", {set});
    return s.errors.empty() ? std::string("no error") : s.errors[0].to_string();
  };
  EXPECT_EQ(
      err("token_policy.ofline_limit=3")
          .rfind("--set token_policy.ofline_limit=3: no field \"ofline_limit\" in token_policy", 0),
      0u);
  EXPECT_EQ(err("token_policy.offline_limit=three"),
            "--set token_policy.offline_limit=three: token_policy.offline_limit: expected a "
            "decimal whole number 0..4294967295, got \"three\"");
  // The text format would read 010 as octal 8 and 0x10 as 16.
  for (const char* odd : {"010", "0x10", "+5", ""}) {
    EXPECT_EQ(err(std::string("population.riders=") + odd),
              std::string("--set population.riders=") + odd +
                  ": population.riders: expected a decimal whole number 0..4294967295, got \"" +
                  odd + "\"");
  }
  EXPECT_EQ(err("population.riders=7"), "no error");
  EXPECT_EQ(err("token_policy.alignment=HOURLY"),
            "--set token_policy.alignment=HOURLY: token_policy.alignment: expected one of ROLLING, "
            "DAILY_BOUNDARY, ROLLING_WITH_JITTER, got \"HOURLY\"");
  EXPECT_EQ(err("days"), "--set days: expected path.to.field=value");
  EXPECT_NE(err("token_policy=3").find("is a group of fields"), std::string::npos);
  EXPECT_NE(err("population.classes[3].share=1").find("past the end"), std::string::npos);
}

// A rule over a whole message broken by an override of one of its fields blamed only the file.
TEST_F(ScenarioLoader, ARuleBrokenByAnOverrideBelowItNamesTheOverride) {
  LoadedScenario s = load("population {\n  classes { name: \"a\" share: 0.5 }\n"
                          "  classes { name: \"b\" share: 0.5 }\n}\n",
                          {"population.classes[0].share=0.7"});
  ASSERT_EQ(s.errors.size(), 1u) << all(s.errors);
  EXPECT_EQ(s.errors[0].where, file() + ":2:3 (with --set population.classes[0].share=0.7)")
      << all(s.errors);
}

// A service date in another form (or no such day) was accepted here and failed later with the
// day's number since 1970, or without saying it came from --set.
TEST_F(ScenarioLoader, AGtfsServiceDateMustBeAYyyyMmDdDay) {
  const auto feed = ::testing::TempDir() + "hcesim_loader_feed";
  std::filesystem::create_directories(feed);
  std::ofstream(feed + "/fare_attributes.txt") << "fare_id,price,currency_type\nf,1.00,USD\n";
  for (const std::string date : {"20250101", "2025-02-30", "2025-1x-01"}) {
    LoadedScenario s =
        load("city { gtfs { folder: \"" + feed + "\" } }\n", {"city.gtfs.service_date=" + date});
    ASSERT_FALSE(s.ok()) << date;
    EXPECT_EQ(s.errors[0].where, "--set city.gtfs.service_date=" + date) << all(s.errors);
    EXPECT_NE(s.errors[0].what.find(date), std::string::npos) << all(s.errors);
    EXPECT_EQ(s.errors[0].what.find("YYYYMMDD"), std::string::npos) << all(s.errors);
  }
  std::filesystem::remove_all(feed);
}

TEST_F(ScenarioLoader, JsonScenariosUseTheSameSchema) {
  LoadedScenario s = load(R"({"days": 3, "tokenPolicy": {"offlineLimit": 5}})", {}, "s.json");
  ASSERT_TRUE(s.ok()) << all(s.errors);
  EXPECT_EQ(s.config.days, 3u);
  EXPECT_EQ(s.config.token_policy.offline_limit, 5u);

  LoadedScenario bad = load(R"({"days": 3, "tokenPolicy": {"ofline": 5}})", {}, "s.json");
  ASSERT_EQ(bad.errors.size(), 1u);
  EXPECT_EQ(bad.errors[0].where, file("s.json"));
  EXPECT_NE(bad.errors[0].what.find("ofline"), std::string::npos) << all(bad.errors);

  // A cut-off file: one line, at its place.
  LoadedScenario cut = load(R"({"name": "x", "population": {"riders": 1000)", {}, "s.json");
  ASSERT_EQ(cut.errors.size(), 1u);
  EXPECT_EQ(cut.errors[0].to_string(),
            file("s.json") + ":1:44: expected ',' or '}', found the end of the file");

  LoadedScenario range = load(R"({"tokenPolicy": {"offlineLimit": 500}})", {}, "s.json");
  ASSERT_EQ(range.errors.size(), 1u);
  EXPECT_EQ(range.errors[0].to_string(),
            file("s.json") + ": token_policy.offline_limit: must be 1..100, got 500");
}

// protobuf's JSON parser named no place for a syntax error and took a trailing comma and a
// repeated key (the later value winning): each is an error at its line and column.
TEST_F(ScenarioLoader, JsonSyntaxErrorsNameLineAndColumn) {
  auto first = [&](const std::string& text) {
    LoadedScenario s = load(text, {}, "s.json");
    return s.errors.empty() ? std::string("no error") : s.errors[0].to_string();
  };
  EXPECT_EQ(first("{\n  \"days\": 3,\n}\n"),
            file("s.json") + ":3:1: a comma before '}' (no trailing commas in JSON)");
  EXPECT_EQ(first("{\"name\": \"t\",\n \"name\": \"u\"}"),
            file("s.json") + ":2:2: key \"name\" again (first at " + file("s.json") + ":1:2)");
  EXPECT_EQ(first("{\"days\": tru}"), file("s.json") + ":1:10: expected a value, found 't'");
  EXPECT_EQ(first("{\"days\": 3} x"),
            file("s.json") + ":1:13: unexpected text after the scenario's closing '}'");
  EXPECT_EQ(first("[1]"),
            file("s.json") + ":1:1: a scenario is one JSON object, starting with '{'");
  EXPECT_EQ(first("{\"a\": [1, 2,]}"),
            file("s.json") + ":1:13: a comma before ']' (no trailing commas in JSON)");
  EXPECT_EQ(first("{\"name\": \"x\\q\"}"), file("s.json") + ":1:13: unknown escape \\q");
  EXPECT_EQ(first(std::string(300, '[')), file("s.json") + ":1:1: a scenario is one JSON object, "
                                                           "starting with '{'");
  EXPECT_NE(first("{\"a\":" + std::string(300, '[')).find("nested deeper than 256 levels"),
            std::string::npos);
  EXPECT_EQ(first("{\"seed\": 1e400}"), file("s.json") + ":1:10: number 1e400 is out of range");
  // A UTF-8 byte-order mark (some editors write one) is not part of the scenario.
  EXPECT_EQ(first("\xEF\xBB\xBF{\"days\": 2}"), "no error");
  EXPECT_TRUE(load("\xEF\xBB\xBF"
                   "days: 2\n")
                  .ok());
  // Well-formed: numbers, escapes and UTF-8 pass to the schema's checks.
  LoadedScenario ok = load("{\"name\": \"\u5357\\n\u660c\", \"days\": 2, \"population\": "
                           "{\"hceShare\": 0.5e0}}",
                           {}, "s.json");
  EXPECT_TRUE(ok.ok()) << all(ok.errors);
}

TEST_F(ScenarioLoader, MissingFilesAndFoldersGiveOneClearLine) {
  LoadedScenario s = load_scenario((dir_ / "nope.txtpb").string(), {});
  ASSERT_EQ(s.errors.size(), 1u);
  EXPECT_EQ(s.errors[0].what, "cannot read the scenario file (missing or unreadable)");
  LoadedScenario d = load_scenario(dir_.string(), {});
  ASSERT_EQ(d.errors.size(), 1u);
  EXPECT_NE(d.errors[0].what.find("is a folder"), std::string::npos);
  LoadedScenario g = load("city { gtfs { folder: \"no/such/feed\" } }\n");
  ASSERT_EQ(g.errors.size(), 1u) << all(g.errors);
  EXPECT_NE(g.errors[0].what.find("city.gtfs.folder: not a readable folder"), std::string::npos);
}

TEST_F(ScenarioLoader, AScenarioOutsideScenariosGetsTheShippedFareRuleOnlyWhenItNamesNone) {
  std::filesystem::remove_all(dir_ / "fares"); // a user's own folder: no fares/ beside the file
  const LoadedScenario d = load("name: \"mine\"\n");
  ASSERT_TRUE(d.ok()) << all(d.errors);
  EXPECT_EQ(std::filesystem::path(d.config.city.metro_fare_rules),
            std::filesystem::path(HCESIM_SOURCE_DIR "/scenarios/fares/nanchang.txtpb"));
  // A rule file the scenario names must be where it says.
  const LoadedScenario n =
      load("city { synthetic { metro_fare_rules: \"fares/nanchang.txtpb\" } }\n");
  ASSERT_EQ(n.errors.size(), 1u) << all(n.errors);
  EXPECT_NE(n.errors[0].what.find("metro_fare_rules: file not found"), std::string::npos)
      << all(n.errors);
}
