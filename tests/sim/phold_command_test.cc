// The `phold` command: its output contract and its answers to bad flags.
#include "support/run_command.h"

#include <gtest/gtest.h>

#include <string>

using hcesim::testing::run_command;

namespace {
#ifdef HCESIM_PHOLD_BIN
const std::string kPhold = HCESIM_PHOLD_BIN;
#else
const std::string kPhold;
#endif

std::string last_line(const std::string& text) {
  std::string t = text;
  while (!t.empty() && t.back() == '\n') {
    t.pop_back();
  }
  return t.substr(t.rfind('\n') + 1);
}
} // namespace

TEST(PholdCommand, PrintsTheFingerprintThenTheThroughputLine) {
  if (kPhold.empty()) {
    GTEST_SKIP() << "benchmarks not built";
  }
  auto r =
      run_command(kPhold + " --lps 64 --start 2 --remote 0.25 --mean 1 --lookahead 0.1 --end 50 "
                           "--seed 7 --queue heap --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("phold fingerprint=0x03656c3a9e003a51 "), std::string::npos) << r.out;
  EXPECT_EQ(last_line(r.out).rfind("phold events=6341 seconds=", 0), 0U) << r.out;
  EXPECT_NE(last_line(r.out).find(" events_per_second="), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");
}

TEST(PholdCommand, RejectsBadFlagsWithExitCode2) {
  if (kPhold.empty()) {
    GTEST_SKIP() << "benchmarks not built";
  }
  const struct {
    const char* args;
    const char* message;
  } cases[] = {
      {"--lps 0", "phold: --lps: expected an integer in [1, 4294967295], got '0'\n"},
      {"--remote 1.5", "phold: --remote: expected a probability in [0, 1], got '1.5'\n"},
      {"--end 10min", "phold: --end: expected seconds (a non-negative decimal number with at most "
                      "6 decimals), got '10min'\n"},
      {"--mean 0.05", "phold: --lookahead: must not exceed --mean (100ms > 50ms)\n"},
      {"--queue fast", "phold: --queue: expected heap, radix or std, got 'fast'\n"},
      {"--seed", "phold: --seed: missing value\n"},
      {"--colour red", "phold: unknown flag '--colour' (see phold --help)\n"},
  };
  for (const auto& c : cases) {
    auto r = run_command(kPhold + " " + c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args;
    EXPECT_EQ(r.err, c.message) << c.args;
    EXPECT_EQ(r.out, "") << c.args;
  }
}
