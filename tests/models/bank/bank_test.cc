// The bank's answers: shares of declines and silences, latency, and the cloud's timeout.
#include "models/bank/bank.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace hcesim;
using namespace hcesim::models;

TEST(Bank, AnswersFollowTheScenarioProbabilitiesAndLatency) {
  ScenarioConfig::Bank cfg;
  cfg.mean_latency = Duration::millis(800);
  cfg.decline_probability = 0.1;
  cfg.timeout_probability = 0.05;
  cfg.timeout = Duration::seconds(20);
  const Bank bank(cfg);
  sim::RandomStream s(9, sim::Purpose::kBank, 1);
  const int n = 40'000;
  double declined = 0;
  double silent = 0;
  double latency = 0;
  double answered = 0;
  for (int i = 0; i < n; ++i) {
    const BankAnswer a = bank.charge(s);
    if (a.outcome == BankOutcome::kNoAnswer) {
      EXPECT_EQ(a.after, cfg.timeout);
      silent += 1;
      continue;
    }
    declined += a.outcome == BankOutcome::kDeclined ? 1 : 0;
    latency += a.after.to_seconds();
    answered += 1;
    EXPECT_EQ(s.position(), 3U * static_cast<uint64_t>(i + 1)) << "three draws a charge";
  }
  // Binomial shares: 4 standard errors ~ 0.004 (silences) and 0.006 (declines).
  EXPECT_NEAR(silent / n, 0.05 + 0.95 * std::exp(-20.0 / 0.8), 0.005);
  EXPECT_NEAR(declined / answered, 0.1, 0.007);
  EXPECT_NEAR(latency / answered, 0.8, 0.02);
}

TEST(Bank, AnAnswerSlowerThanTheTimeoutIsNoAnswer) {
  ScenarioConfig::Bank cfg;
  cfg.mean_latency = Duration::seconds(10);
  cfg.decline_probability = 0;
  cfg.timeout_probability = 0;
  cfg.timeout = Duration::seconds(5);
  const Bank bank(cfg);
  sim::RandomStream s(9, sim::Purpose::kBank, 2);
  double silent = 0;
  for (int i = 0; i < 20'000; ++i) {
    const BankAnswer a = bank.charge(s);
    ASSERT_LE(a.after, cfg.timeout);
    silent += a.outcome == BankOutcome::kNoAnswer ? 1 : 0;
  }
  EXPECT_NEAR(silent / 20'000, std::exp(-0.5), 0.015);
}
