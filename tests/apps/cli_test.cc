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
