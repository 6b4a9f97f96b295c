// The scenario's faults block: absent means no faults (and nothing written back), every field's
// default and range, errors with file:line:column, --set overrides.
#include "models/scenario/scenario_loader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

using namespace hcesim;
using namespace hcesim::models;

namespace {

class FaultsFields : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hcesim_faults_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_ / "fares");
    std::ofstream(dir_ / "fares" / "nanchang.txtpb") << "# placeholder rule file\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  LoadedScenario load(const std::string& text, const std::vector<std::string>& sets = {}) {
    std::ofstream(dir_ / "s.txtpb") << text;
    return load_scenario((dir_ / "s.txtpb").string(), sets);
  }
  std::string file() const { return (dir_ / "s.txtpb").string(); }
  std::filesystem::path dir_;
};

std::string all(const Errors& errors) {
  std::string s;
  for (const Error& e : errors) {
    s += e.to_string() + "\n";
  }
  return s;
}

} // namespace

TEST_F(FaultsFields, NoBlockMeansNoFaultsAndNothingWrittenBack) {
  LoadedScenario s = load("");
  ASSERT_TRUE(s.ok()) << all(s.errors);
  EXPECT_TRUE(s.config.faults.none());
  EXPECT_FALSE(s.resolved.has_faults());
}

TEST_F(FaultsFields, AnEmptyBlockTakesEveryDefaultAndIsStillNoFault) {
  LoadedScenario s = load("faults {}\n");
  ASSERT_TRUE(s.ok()) << all(s.errors);
  const FaultsConfig& f = s.config.faults;
  EXPECT_TRUE(f.none());
  EXPECT_EQ(f.cloud_outage_mean, Duration::minutes(20));
  EXPECT_EQ(f.link_outage_mean, Duration::hours(2));
  EXPECT_EQ(f.clock_skew, Duration::minutes(30));
  EXPECT_EQ(f.tiny_store_capacity, 20u);
  EXPECT_DOUBLE_EQ(f.clock_reset_share, 0.5);
  EXPECT_TRUE(s.resolved.faults().has_upload_lost()); // defaults written back
}

TEST_F(FaultsFields, ReadsRatesAndWindows) {
  LoadedScenario s = load("faults {\n"
                          "  seed: 7 upload_lost: 0.1 upload_cut: 0.05\n"
                          "  windows { kind: LINK_OUTAGE start: \"d1 08:00\" duration: \"3h\" "
                          "validator: 4 }\n"
                          "  windows { kind: CLOCK_SKEW start: \"d1 09:00\" duration: \"1h\" "
                          "skew: \"10min\" behind: true }\n"
                          "  windows { kind: APP_RESTART start: \"d1 12:00\" rider: 5 "
                          "wallet_lost: true }\n"
                          "}\n");
  ASSERT_TRUE(s.ok()) << all(s.errors);
  const FaultsConfig& f = s.config.faults;
  EXPECT_EQ(f.seed, 7u);
  EXPECT_DOUBLE_EQ(f.upload_lost, 0.1);
  ASSERT_EQ(f.windows.size(), 3u);
  EXPECT_EQ(f.windows[0].kind, FaultKind::kLinkOutage);
  EXPECT_EQ(f.windows[0].validator, 4);
  EXPECT_EQ(f.windows[0].start, Time::epoch() + Duration::days(1) + Duration::hours(8));
  EXPECT_EQ(f.windows[1].skew, Duration::zero() - Duration::minutes(10));
  EXPECT_EQ(f.windows[1].validator, -1);
  EXPECT_EQ(f.windows[2].rider, 5u);
  EXPECT_TRUE(f.windows[2].wallet_lost);
}

TEST_F(FaultsFields, OutOfRangeAndInconsistentValuesNameFileLineAndColumn) {
  LoadedScenario s = load("faults {\n"
                          "  upload_lost: 1.5\n"
                          "  windows { kind: BANK_OUTAGE start: \"d1 08:00\" }\n"
                          "  windows { kind: CLOUD_OUTAGE start: \"d1 08:00\" duration: \"1h\" "
                          "validator: 2 }\n"
                          "}\n");
  ASSERT_EQ(s.errors.size(), 3u) << all(s.errors);
  EXPECT_EQ(s.errors[0].to_string(), file() + ":2:3: faults.upload_lost: must be 0..1, got 1.5");
  EXPECT_EQ(s.errors[1].where.rfind(file() + ":3:", 0), 0u) << s.errors[1].to_string();
  EXPECT_NE(s.errors[1].what.find("required"), std::string::npos);
  EXPECT_EQ(s.errors[2].where.rfind(file() + ":4:", 0), 0u) << s.errors[2].to_string();
  EXPECT_NE(s.errors[2].to_string().find("faults.windows[1].validator: only for LINK_OUTAGE"),
            std::string::npos)
      << s.errors[2].to_string();
}

TEST_F(FaultsFields, AWindowStartingAtOrAfterTheRunsEndIsAnError) {
  // The default run ends at d2 12:00 (warm-up 24 h, one day, 12 h drain): "d1 25:00" is d2 01:00,
  // inside it; "d2 13:00" would never happen.
  LoadedScenario ok = load("faults { windows { kind: CLOUD_OUTAGE start: \"d1 25:00\" "
                           "duration: \"1h\" } }\n");
  EXPECT_TRUE(ok.ok()) << all(ok.errors);
  LoadedScenario late = load("faults { windows { kind: CLOUD_OUTAGE start: \"d2 13:00\" "
                             "duration: \"1h\" } }\n");
  ASSERT_EQ(late.errors.size(), 1u) << all(late.errors);
  EXPECT_NE(late.errors[0].to_string().find("faults.windows[0].start"), std::string::npos);
  EXPECT_NE(late.errors[0].what.find("after the run's end"), std::string::npos)
      << late.errors[0].to_string();
  // A longer drain takes it in.
  EXPECT_TRUE(
      load("faults { windows { kind: CLOUD_OUTAGE start: \"d2 13:00\" duration: \"1h\" } }\n",
           {"drain=2d"})
          .ok());
}

TEST_F(FaultsFields, AValidatorOutageShareBecomesLinkOutagesThatKeepThatShareDown) {
  // Poisson windows of mean m at rate λ: a link is down with probability 1 - exp(-λ m).
  LoadedScenario s = load("validators { outage_share: 0.2 }\n");
  ASSERT_TRUE(s.ok()) << all(s.errors);
  const double per_day = s.config.faults.link_outages_per_validator_day;
  EXPECT_NEAR(per_day, -std::log(0.8) / (2.0 / 24.0), 1e-9); // the default mean, 2 h
  EXPECT_NEAR(1 - std::exp(-per_day * 2.0 / 24.0), 0.2, 1e-12);
  EXPECT_FALSE(s.config.faults.none());
  EXPECT_NEAR(load("validators { outage_share: 0.2 } faults { link_outage_mean: \"30min\" }\n")
                  .config.faults.link_outages_per_validator_day,
              4 * per_day, 1e-9);
  LoadedScenario both = load("validators { outage_share: 0.2 }\n"
                             "faults { link_outages_per_validator_day: 1 }\n");
  ASSERT_EQ(both.errors.size(), 1u) << all(both.errors);
  EXPECT_NE(both.errors[0].what.find("not both"), std::string::npos);
  LoadedScenario too_many = load("validators { outage_share: 0.9 }\n"
                                 "faults { link_outage_mean: \"1min\" }\n");
  ASSERT_EQ(too_many.errors.size(), 1u) << all(too_many.errors);
  EXPECT_NE(too_many.errors[0].what.find("lengthen link_outage_mean"), std::string::npos);
  EXPECT_FALSE(load("validators { outage_share: 1 }\n").ok()); // never up: no uploads at all
}

TEST_F(FaultsFields, UploadFaultsMayNotAddUpToMoreThanOne) {
  LoadedScenario s = load("faults { upload_lost: 0.6 upload_cut: 0.6 }\n");
  ASSERT_EQ(s.errors.size(), 1u) << all(s.errors);
  EXPECT_NE(s.errors[0].what.find("at most 1"), std::string::npos);
}

TEST_F(FaultsFields, SetOverridesWorkWithoutABlockInTheFile) {
  LoadedScenario s = load("", {"faults.upload_duplicated=0.25", "faults.tiny_store_share=0.1"});
  ASSERT_TRUE(s.ok()) << all(s.errors);
  EXPECT_DOUBLE_EQ(s.config.faults.upload_duplicated, 0.25);
  EXPECT_FALSE(s.config.faults.none());
  LoadedScenario bad = load("", {"faults.app_restarts_per_rider_day=30"});
  ASSERT_EQ(bad.errors.size(), 1u) << all(bad.errors);
  EXPECT_EQ(bad.errors[0].to_string(), "--set faults.app_restarts_per_rider_day=30: "
                                       "faults.app_restarts_per_rider_day: must be 0..24, got 30");
}
