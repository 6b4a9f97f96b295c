#include "sim/progress.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>

using namespace hcesim;
using namespace hcesim::sim;

namespace {
std::string contents(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string text;
  int c = 0;
  while ((c = std::fgetc(f)) != EOF) {
    text.push_back(static_cast<char>(c));
  }
  return text;
}
} // namespace

TEST(Progress, IsSilentWhenTheOutputIsNotATerminal) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  Progress p(Time::epoch(), Time::from_us(10'000'000), {.out = f, .interval = {}});
  EXPECT_FALSE(p.active());
  p.report(Time::from_us(5'000'000), 1000);
  EXPECT_EQ(contents(f), "");
  std::fclose(f);
}

TEST(Progress, IsSilentWhenQuiet) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  Progress p(Time::epoch(), Time::from_us(10'000'000),
             {.quiet = true, .out = f, .even_if_not_terminal = true, .interval = {}});
  p.report(Time::from_us(5'000'000), 1000);
  EXPECT_EQ(contents(f), "");
  std::fclose(f);
}

TEST(Progress, PrintsSimulatedTimeRateAndEta) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  Progress p(Time::epoch(), Time::from_us(10'000'000),
             {.out = f, .even_if_not_terminal = true, .interval = {}});
  p.report(Time::from_us(5'000'000), 1000);
  const std::string text = contents(f);
  EXPECT_EQ(text.rfind("progress: simulated d0 00:00:05, ", 0), 0U) << text;
  EXPECT_NE(text.find("events/s, ETA "), std::string::npos) << text;
  EXPECT_EQ(p.lines_printed(), 1);
  std::fclose(f);
}

TEST(Progress, PrintsAtMostOncePerInterval) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  Progress p(Time::epoch(), Time::max(),
             {.out = f, .even_if_not_terminal = true, .interval = std::chrono::hours(1)});
  for (int i = 0; i < 100; ++i) {
    p.report(Time::from_us(i), static_cast<uint64_t>(i));
  }
  EXPECT_EQ(p.lines_printed(), 0);
  std::fclose(f);
}
