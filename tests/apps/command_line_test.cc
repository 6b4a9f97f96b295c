// The command line's pieces on their own: shell quoting for the manifest's command_line and
// whole-number options read strictly (CLI11 alone takes -1 as 2^64-1).
#include "hcesim/command_line.h"

#include <gtest/gtest.h>

using hcesim::cli::shell_command_line;
using hcesim::cli::shell_quoted;
using hcesim::cli::whole_number_error;

TEST(CommandLine, PlainWordsStayAsTheyAre) {
  EXPECT_EQ(shell_quoted("--set"), "--set");
  EXPECT_EQ(shell_quoted("population.riders=200"), "population.riders=200");
  EXPECT_EQ(shell_quoted("/tmp/a-b_c/d.txtpb"), "/tmp/a-b_c/d.txtpb");
}

TEST(CommandLine, WordsTheShellWouldSplitOrExpandAreQuoted) {
  EXPECT_EQ(shell_quoted("name=a b"), "'name=a b'");
  EXPECT_EQ(shell_quoted(""), "''");
  EXPECT_EQ(shell_quoted("refusal_rate<=0.001"), "'refusal_rate<=0.001'");
  EXPECT_EQ(shell_quoted("$HOME"), "'$HOME'");
  EXPECT_EQ(shell_quoted("~x"), "'~x'");
  EXPECT_EQ(shell_quoted("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_command_line({"hcesim", "run", "--set", "name=a b"}),
            "hcesim run --set 'name=a b'");
}

TEST(CommandLine, AWholeNumberIsDecimalDigitsInItsRange) {
  EXPECT_EQ(whole_number_error("0", 0, UINT64_MAX), "");
  EXPECT_EQ(whole_number_error("18446744073709551615", 0, UINT64_MAX), "");
  EXPECT_EQ(whole_number_error("1000", 1, 1000), "");
  for (const char* bad :
       {"-1", "18446744073709551616", "", "0x10", "+3", " 7", "1.5", "1e3", "abc", "7 "}) {
    EXPECT_EQ(whole_number_error(bad, 0, UINT64_MAX),
              "expected a whole number from 0 to 18446744073709551615, got \"" + std::string(bad) +
                  "\"")
        << bad;
  }
  EXPECT_NE(whole_number_error("0", 1, 1000), "");
  EXPECT_NE(whole_number_error("1001", 1, 1000), "");
}
