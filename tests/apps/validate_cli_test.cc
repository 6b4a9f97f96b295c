// `hcesim validate`: exit codes and one error line per problem, with its place.
#include "support/run_command.h"
#include "support/shared_data.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using hcesim::testing::run_command;

namespace {

const std::string kBin = HCESIM_BIN;

class ValidateCli : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hcesim_validate_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::create_directories(dir_ / "fares");
    std::ofstream(dir_ / "fares" / "nanchang.txtpb") << "# rule file\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& text) {
    std::string p = (dir_ / "s.txtpb").string();
    std::ofstream(p) << text;
    return p;
  }
  std::filesystem::path dir_;
};

int count_lines(const std::string& s) {
  int n = 0;
  for (char c : s) {
    n += c == '\n' ? 1 : 0;
  }
  return n;
}

} // namespace

TEST_F(ValidateCli, AGoodScenarioExitsZeroAndSummarises) {
  auto r = run_command(kBin + " validate " + write("days: 2\n"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("2 measured day(s)"), std::string::npos) << r.out;
}

TEST_F(ValidateCli, ThreeBadValuesGiveThreeLinesAndExitTwo) {
  std::string p =
      write("days: 0\ntoken_policy { offline_limit: 0 }\npopulation { hce_share: 2 }\n");
  auto r = run_command(kBin + " validate " + p);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(count_lines(r.err), 3) << r.err;
  EXPECT_NE(r.err.find(p + ":2:16: token_policy.offline_limit: must be 1..100, got 0"),
            std::string::npos)
      << r.err;
}

TEST_F(ValidateCli, ASyntaxErrorGivesFileLineColumn) {
  std::string p = write("days: 2\ntoken_policy {\n");
  auto r = run_command(kBin + " validate " + p);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(p + ":3:"), std::string::npos) << r.err;
}

TEST_F(ValidateCli, OverridesApplyAndPrintShowsTheResolvedScenario) {
  auto r =
      run_command(kBin + " validate " + write("") + " --set token_policy.offline_limit=9 --print");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("offline_limit: 9"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("lifetime: \"24h\""), std::string::npos) << r.out;
}

// The resolved scenario named its files relative to its first folder: written elsewhere (a
// manifest's copy, --print to /tmp) it failed "file not found: ../fares/nanchang.txtpb".
TEST_F(ValidateCli, APrintedScenarioLoadsAgainFromAnotherFolder) {
  std::filesystem::create_directories(dir_ / "policy");
  const std::string inner = (dir_ / "policy" / "s.txtpb").string();
  std::ofstream(inner) << "city { synthetic { metro_fare_rules: \"../fares/nanchang.txtpb\" } }\n";
  auto r = run_command(kBin + " validate " + inner + " --print");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(
      r.out.find("metro_fare_rules: \"" + (dir_ / "fares" / "nanchang.txtpb").string() + "\""),
      std::string::npos)
      << r.out;
  const auto elsewhere = dir_ / "elsewhere";
  std::filesystem::create_directories(elsewhere);
  std::ofstream(elsewhere / "printed.txtpb") << r.out;
  r = run_command(kBin + " validate " + (elsewhere / "printed.txtpb").string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(ValidateCli, AMissingFileIsOneClearLine) {
  auto r = run_command(kBin + " validate " + (dir_ / "missing.txtpb").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("cannot read the scenario file"), std::string::npos) << r.err;
}

// An unparsable --set value is one error line: protobuf's own log line must not leak to stderr.
TEST_F(ValidateCli, ABadSetValueGivesExactlyOneErrorLine) {
  auto r = run_command(kBin + " validate " + write("days: 2\n") +
                       " --set token_policy.offline_limit=abc");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_EQ(r.err.rfind("error: --set token_policy.offline_limit=abc: ", 0), 0u) << r.err;
}

// A GTFS city is read by validate as by run: a bad feed fails both with the same error, exit 2.
class ValidateGtfsCli : public ValidateCli {
protected:
  // The Hyderabad feed copied beside the scenario (false when the shared data is absent).
  bool copy_feed() {
    const auto feed = hcesim::testing::shared_data("gtfs/hmrl-hyderabad-2025");
    if (feed.empty()) {
      return false;
    }
    std::filesystem::copy(feed, dir_ / "feed");
    for (const auto& f : std::filesystem::directory_iterator(dir_ / "feed")) {
      std::filesystem::permissions(f.path(), std::filesystem::perms::owner_write,
                                   std::filesystem::perm_options::add);
    }
    return true;
  }
  std::string scenario() {
    return write("name: \"gtfs-check\"\ncity { gtfs { folder: \"feed\" } }\n"
                 "population { riders: 200 }\n");
  }
};

#define HCESIM_REQUIRE_FEED()                                                                      \
  if (!copy_feed()) {                                                                              \
    GTEST_SKIP() << "shared data gtfs/hmrl-hyderabad-2025 not found under "                        \
                 << hcesim::testing::shared_data_dir()                                             \
                 << " (set HCESIM_SHARED_DATA to the shared/data folder)";                         \
  }

TEST_F(ValidateGtfsCli, AGoodFeedIsOkAndTheCityIsDescribed) {
  HCESIM_REQUIRE_FEED();
  auto r = run_command(kBin + " validate " + scenario());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("GTFS city of 57 stops on 3 routes"), std::string::npos) << r.out;
}

TEST_F(ValidateGtfsCli, ABadStopTimesRowFailsValidateWithRunsErrorAndExitTwo) {
  HCESIM_REQUIRE_FEED();
  std::ofstream(dir_ / "feed" / "stop_times.txt", std::ios::app)
      << "NOSUCHTRIP,1,NOSUCH,99:99:99,ab,1,1\n";
  const std::string s = scenario();
  auto validate = run_command(kBin + " validate " + s);
  EXPECT_EQ(validate.exit_code, 2) << validate.out;
  // The feed's folder as the scenario resolved it (absolute), then the file's place.
  EXPECT_EQ(validate.err, "error: " + (dir_ / "feed").string() +
                              "/stop_times.txt:61831:1: trip_id: unknown trip_id \"NOSUCHTRIP\" "
                              "(not in trips.txt)\n");
  auto run =
      run_command(kBin + " run " + s + " --quiet --no-report --out " + (dir_ / "out").string());
  EXPECT_EQ(run.exit_code, 2) << run.out;
  EXPECT_EQ(run.err, validate.err);
}

TEST_F(ValidateGtfsCli, AMissingStopTimesFileFailsValidateWithRunsErrorAndExitTwo) {
  HCESIM_REQUIRE_FEED();
  std::filesystem::remove(dir_ / "feed" / "stop_times.txt");
  const std::string s = scenario();
  auto validate = run_command(kBin + " validate " + s);
  EXPECT_EQ(validate.exit_code, 2) << validate.out;
  EXPECT_NE(validate.err.find("stop_times.txt: missing"), std::string::npos) << validate.err;
  auto run =
      run_command(kBin + " run " + s + " --quiet --no-report --out " + (dir_ / "out").string());
  EXPECT_EQ(run.exit_code, 2) << run.out;
  EXPECT_EQ(run.err, validate.err);
}

// Fare rows set aside for an unknown reference change the fares, and only `hcesim fare` said so:
// validate and run were silent.
TEST_F(ValidateGtfsCli, FareRowsSetAsideAreAWarningInValidateAndRun) {
  HCESIM_REQUIRE_FEED();
  std::ofstream(dir_ / "feed" / "fare_rules.txt", std::ios::app) << "NAG,NAG,NOSUCHFARE\n";
  const std::string s = scenario();
  const std::string warning = "warning: 1 feed rows set aside (their fares are not used); first: ";
  auto validate = run_command(kBin + " validate " + s);
  EXPECT_EQ(validate.exit_code, 0) << validate.err;
  EXPECT_EQ(validate.err.rfind(warning, 0), 0U) << validate.err;
  EXPECT_NE(validate.err.find("fare_rules.txt:3483:"), std::string::npos) << validate.err;
  auto run =
      run_command(kBin + " run " + s + " --quiet --no-report --out " + (dir_ / "out").string());
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err.rfind(warning, 0), 0U) << run.err;
}
