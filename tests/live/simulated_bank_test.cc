// The live service's simulated bank: answers arrive after their latency, decisions follow the
// scenario's probabilities and a retry of the same request gets the same decision.
#include "live/simulated_bank.h"

#include <gtest/gtest.h>

namespace hcesim::live {
namespace {

const Time kT0 = Time::from_us(1'000'000'000);
const Money kAmount = Money(5000, Currency::from_code("CNY").value());

cloud::BankCharge charge(uint64_t account, uint32_t serial, uint32_t attempt = 1) {
  return cloud::BankCharge{cloud::TopUpId{AccountId(account), serial}, cloud::BankCardRef{9},
                           kAmount, attempt};
}

TEST(SimulatedBank, NeverAnswersWithinTheCallAndDeliversEachAnswerOnceAfterItsLatency) {
  BankConfig cfg;
  cfg.mean_latency = Duration::millis(100);
  cfg.decline_probability = 0;
  cfg.timeout_probability = 0;
  SimulatedBank bank(cfg);
  for (uint32_t s = 1; s <= 50; ++s) {
    EXPECT_EQ(bank.charge(charge(7, s), kT0).outcome, cloud::BankOutcome::kTimedOut);
  }
  EXPECT_EQ(bank.take_due(kT0).size(), 0u);
  // Exponential latency, mean 100 ms: by 1 ms a few, by 2 s all (the timeout is 20 s).
  const size_t early = bank.take_due(kT0 + Duration::millis(1)).size();
  EXPECT_LT(early, 5u);
  auto rest = bank.take_due(kT0 + Duration::seconds(2));
  EXPECT_EQ(early + rest.size(), 50u);
  for (const auto& [id, answer] : rest) {
    EXPECT_EQ(answer.outcome, cloud::BankOutcome::kApproved);
  }
  EXPECT_EQ(bank.pending(), 0u);
}

TEST(SimulatedBank, DeclinesAtTheScenariosRateAndARetryGetsTheSameDecision) {
  BankConfig cfg;
  cfg.decline_probability = 0.3;
  cfg.timeout_probability = 0;
  SimulatedBank first(cfg);
  SimulatedBank again(cfg); // the bank asked again after a restart
  int declined = 0;
  for (uint32_t s = 1; s <= 1000; ++s) {
    first.charge(charge(11, s, 1), kT0);
    again.charge(charge(11, s, 2), kT0);
  }
  auto a = first.take_due(kT0 + Duration::seconds(30));
  auto b = again.take_due(kT0 + Duration::seconds(30));
  ASSERT_EQ(a.size(), 1000u);
  ASSERT_EQ(b.size(), 1000u);
  std::map<uint32_t, cloud::BankOutcome> decided;
  for (const auto& [id, answer] : a) {
    decided[id.serial] = answer.outcome;
    declined += answer.outcome == cloud::BankOutcome::kDeclined ? 1 : 0;
  }
  for (const auto& [id, answer] : b) {
    EXPECT_EQ(answer.outcome, decided[id.serial]) << "serial " << id.serial;
  }
  EXPECT_NEAR(declined, 300, 60);
}

TEST(SimulatedBank, AnUnansweredChargeNeverArrives) {
  BankConfig cfg;
  cfg.timeout_probability = 1;
  SimulatedBank bank(cfg);
  bank.charge(charge(3, 1), kT0);
  EXPECT_EQ(bank.pending(), 0u);
  EXPECT_TRUE(bank.take_due(kT0 + Duration::hours(1)).empty());
}

} // namespace
} // namespace hcesim::live
