// `hcesim validate`: exit codes and one error line per problem, with its place.
#include "support/run_command.h"

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
