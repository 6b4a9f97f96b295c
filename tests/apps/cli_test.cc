// The hcesim executable: help, version and exit codes (DESIGN §3 rule 8).
#include "support/run_command.h"

#include <gtest/gtest.h>

using hcesim::testing::run_command;

namespace {
const std::string kBin = HCESIM_BIN;
}

TEST(Cli, HelpListsSubcommandsAndExitsZero) {
  auto r = run_command(kBin + " --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("version"), std::string::npos) << r.out;
}

TEST(Cli, VersionFlagPrintsTheGitVersion) {
  auto r = run_command(kBin + " --version");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind("hcesim ", 0), 0u) << r.out;
  EXPECT_GT(r.out.size(), std::string("hcesim \n").size());
}

TEST(Cli, VersionFlagWorksOnASubcommandToo) {
  auto r = run_command(kBin + " version --version");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind("hcesim ", 0), 0u) << r.out;
}

TEST(Cli, NoSubcommandIsBadInput) {
  auto r = run_command(kBin);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("error:"), std::string::npos) << r.err;
}

TEST(Cli, UnknownSubcommandIsBadInputWithOneLine) {
  auto r = run_command(kBin + " frobnicate");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("frobnicate"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("terminate"), std::string::npos) << r.err;
}

TEST(Cli, UnknownFlagIsBadInput) {
  auto r = run_command(kBin + " version --no-such-flag");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--no-such-flag"), std::string::npos) << r.err;
}

TEST(Cli, LoadgenNumbersAreReadStrictly) {
  // CLI11 alone took --connections -1 as 4294967295 connections and a port of "abc" threw.
  for (const char* bad : {"--connections -1", "--window 0x20", "--repeats ''"}) {
    auto r =
        run_command(kBin + " loadgen --target 127.0.0.1:1 --rate 1 --data /nonexistent " + bad);
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_NE(r.err.find("expected a whole number from "), std::string::npos) << r.err;
  }
  auto r = run_command(kBin + " loadgen --target 127.0.0.1:http --rate 1 --data /nonexistent");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "error: --target 127.0.0.1:http: port: expected a whole number from 1 to 65535, got "
            "\"http\"\n");
}
