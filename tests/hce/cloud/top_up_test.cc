#include "hce/cloud/account_services.h"

#include "cloud_test_support.h"

#include <deque>

#include <gtest/gtest.h>

namespace hcesim::cloud {
namespace {

using testing::fen;

//! A bank that answers from a script, and charges a request at most once.
class ScriptedBank final : public BankPort {
public:
  std::deque<BankAnswer> script;
  std::map<TopUpId, int64_t> charged;
  std::vector<BankCharge> calls;
  //! When true, a time-out still charges the card (the answer was lost on the way back).
  bool timeouts_charge = false;
  BankAnswer charge(const BankCharge& c, Time) override {
    calls.push_back(c);
    BankAnswer a =
        script.empty() ? BankAnswer{BankOutcome::kApproved, DeclineReason::kNone} : script.front();
    if (!script.empty()) {
      script.pop_front();
    }
    if (a.outcome == BankOutcome::kApproved ||
        (a.outcome == BankOutcome::kTimedOut && timeouts_charge)) {
      charged.emplace(c.id, c.amount.minor());
    }
    if (a.outcome == BankOutcome::kDeclined && charged.count(c.id) != 0) {
      return BankAnswer{BankOutcome::kApproved, DeclineReason::kNone};
    }
    return a;
  }
};

constexpr BankAnswer kTimedOut{BankOutcome::kTimedOut, DeclineReason::kNone};
constexpr BankAnswer kApproved{BankOutcome::kApproved, DeclineReason::kNone};
constexpr BankAnswer kDeclined{BankOutcome::kDeclined, DeclineReason::kCardExpired};
constexpr BankAnswer kPending{BankOutcome::kPending, DeclineReason::kNone};

Time at_s(int64_t s) {
  return Time::epoch() + Duration::seconds(s);
}

struct TopUpTest : ::testing::Test {
  InMemoryJournal journal;
  testing::TestPricer pricer;
  ScriptedBank bank;
  AccountServices services{
      journal, pricer, bank,
      AccountServicesConfig{testing::cny(), SettlementPolicy{}, TopUpPolicy{}}};
  const AccountId rider{3};
  TopUpTest() {
    EXPECT_TRUE(services.open_account(rider, fen(500), fen(0), Time::epoch()).ok());
    EXPECT_TRUE(services.bind_card(rider, BankCardRef{77}).ok());
  }
  int64_t balance() const { return services.ledger().balance(rider).minor(); }
};

TEST_F(TopUpTest, AnApprovedManualTopUpIsCreditedOnce) {
  auto id = services.top_up(rider, fen(5000), at_s(0));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(balance(), 5000);
  EXPECT_EQ(services.top_ups().find(*id)->status, TopUp::Status::kCredited);
  ASSERT_TRUE(services.bank_notice(*id, kApproved, at_s(10)).ok()); // the bank repeats itself
  EXPECT_EQ(balance(), 5000);
}

TEST_F(TopUpTest, AnAsynchronousBanksAnswerArrivesLaterAndIsNotRetriedMeanwhile) {
  bank.script = {kPending};
  auto id = services.top_up(rider, fen(5000), at_s(0));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(balance(), 0);
  EXPECT_EQ(services.top_ups().awaiting_bank(), 1u);
  services.advance(at_s(60)); // waiting for the bank is not a time-out: no retry
  EXPECT_EQ(bank.calls.size(), 1u);
  ASSERT_TRUE(services.bank_answer(*id, 1, kApproved, at_s(61)).ok());
  EXPECT_EQ(balance(), 5000);
  EXPECT_EQ(services.top_ups().find(*id)->status, TopUp::Status::kCredited);
  EXPECT_EQ(services.top_ups().awaiting_bank(), 0u);
  EXPECT_FALSE(services.bank_answer(*id, 0, kApproved, at_s(62)).ok());
  EXPECT_FALSE(services.bank_answer(*id, 1, kPending, at_s(62)).ok());
}

TEST_F(TopUpTest, AnAsynchronousTimeOutIsRetriedAndALateApprovalOfTheFirstAttemptCreditsOnce) {
  bank.script = {kPending, kPending};
  auto id = services.top_up(rider, fen(5000), at_s(0));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(services.bank_answer(*id, 1, kTimedOut, at_s(20)).ok());
  services.advance(at_s(50)); // 30 s after the time-out: the second attempt
  ASSERT_EQ(bank.calls.size(), 2u);
  EXPECT_EQ(bank.calls[1].attempt, 2u);
  ASSERT_TRUE(services.bank_answer(*id, 1, kApproved, at_s(55)).ok()); // the first, late
  EXPECT_EQ(balance(), 5000);
  ASSERT_TRUE(services.bank_answer(*id, 2, kApproved, at_s(56)).ok());
  EXPECT_EQ(balance(), 5000);
}

TEST_F(TopUpTest, ADeclineKeepsItsReasonAndCreditsNothing) {
  bank.script = {kDeclined};
  auto id = services.top_up(rider, fen(5000), at_s(0));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(balance(), 0);
  EXPECT_EQ(services.top_ups().find(*id)->status, TopUp::Status::kDeclined);
  EXPECT_EQ(services.top_ups().find(*id)->decline, DeclineReason::kCardExpired);
}

TEST_F(TopUpTest, ATimeOutIsRetriedWithTheSameIdAfterTheBackOff) {
  bank.script = {kTimedOut, kTimedOut, kApproved};
  auto id = services.top_up(rider, fen(5000), at_s(0));
  ASSERT_TRUE(id.ok());
  services.advance(at_s(29));
  EXPECT_EQ(bank.calls.size(), 1u);
  services.advance(at_s(30));
  EXPECT_EQ(bank.calls.size(), 2u);
  services.advance(at_s(89)); // the second wait is twice the first
  EXPECT_EQ(bank.calls.size(), 2u);
  services.advance(at_s(90));
  ASSERT_EQ(bank.calls.size(), 3u);
  EXPECT_EQ(bank.calls[2].id, *id);
  EXPECT_EQ(bank.calls[2].attempt, 3u);
  EXPECT_EQ(balance(), 5000);
}

TEST_F(TopUpTest, ATimedOutChargeApprovedOnRetryAndByNoticeIsCreditedOnce) {
  bank.timeouts_charge = true;
  bank.script = {kTimedOut, kApproved};
  auto id = services.top_up(rider, fen(5000), at_s(0));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(balance(), 0);
  ASSERT_TRUE(services.bank_notice(*id, kApproved, at_s(20)).ok());
  EXPECT_EQ(balance(), 5000);
  services.advance(at_s(100)); // nothing left to retry
  EXPECT_EQ(bank.calls.size(), 1u);
  EXPECT_EQ(balance(), bank.charged.at(*id));
}

TEST_F(TopUpTest, AGivenUpRequestStillCreditsALateApproval) {
  bank.timeouts_charge = true;
  bank.script = {kTimedOut, kTimedOut, kTimedOut};
  auto id = services.top_up(rider, fen(5000), at_s(0));
  ASSERT_TRUE(id.ok());
  services.advance(at_s(30));
  services.advance(at_s(90));
  services.advance(at_s(1000));
  EXPECT_EQ(services.top_ups().find(*id)->status, TopUp::Status::kGaveUp);
  EXPECT_EQ(bank.calls.size(), 3u);
  ASSERT_TRUE(services.bank_notice(*id, kApproved, at_s(2000)).ok());
  EXPECT_EQ(balance(), 5000);
}

TEST_F(TopUpTest, AnAutomaticTopUpFiresBelowTheThresholdOnce) {
  ASSERT_TRUE(services.set_top_up_rule(rider, true, fen(100), fen(3000)).ok());
  bank.script = {kTimedOut, kApproved};
  const SettlementTap t = testing::bus_tap(1, 1, rider, TokenId{0, 1}, 1, at_s(0));
  services.settle({&t, 1}, at_s(60)); // balance -200 < 100: fires, times out
  EXPECT_EQ(bank.calls.size(), 1u);
  const SettlementTap t2 = testing::bus_tap(1, 2, rider, TokenId{0, 1}, 2, at_s(5));
  services.settle({&t2, 1}, at_s(70)); // still below, but one is open already
  EXPECT_EQ(bank.calls.size(), 1u);
  services.advance(at_s(90));
  EXPECT_EQ(bank.calls.size(), 2u);
  EXPECT_EQ(balance(), 3000 - 200 - 100); // the second tap is a transfer
}

TEST_F(TopUpTest, BadRequestsAreErrors) {
  auto no_card = services.top_up(AccountId(99), fen(100), at_s(0));
  ASSERT_FALSE(no_card.ok());
  EXPECT_EQ(no_card.error().to_string(), "account 99: no bank card bound");
  auto zero = services.top_up(rider, fen(0), at_s(0));
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.error().to_string(),
            "account 3: top-up amount must be > 0 and at most 10000000000000.00 CNY, got 0.00 CNY");
  auto first = services.top_up(rider, fen(100), at_s(0));
  ASSERT_TRUE(first.ok());
  auto pending_notice = services.bank_notice(*first, kPending, at_s(0));
  ASSERT_FALSE(pending_notice.ok());
  EXPECT_EQ(pending_notice.error().to_string(),
            "top-up 3/0: a bank notice must approve or decline, got pending");
  auto unknown = services.bank_notice(TopUpId{rider, 5}, kApproved, at_s(0));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().to_string(), "top-up 3/5: no such request");
}

// A top-up the bank may approve must always be creditable: one past the amount bound, or one that
// with those in flight could take the balance past the ledger's bound, is refused before the
// bank hears of it (a huge order used to be charged, then fail to credit).
TEST_F(TopUpTest, ATopUpThatCouldNotBeCreditedIsRefusedBeforeTheBankIsAsked) {
  const int64_t max = Ledger::kMaxAmountMinor;
  auto huge = services.top_up(rider, fen(INT64_MAX), at_s(0));
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().to_string(),
            "account 3: top-up amount must be > 0 and at most 10000000000000.00 CNY, got "
            "92233720368547758.07 CNY");
  EXPECT_TRUE(bank.calls.empty());
  // Approved maximal orders fill the balance up to two short of the bound ...
  const int64_t room = Ledger::kMaxBalanceMinor / max;
  for (int64_t i = 0; i < room - 2; ++i) {
    ASSERT_TRUE(services.top_up(rider, fen(max), at_s(i)).ok()) << i;
  }
  // ... one declined (a late approval could still credit it) and one left pending still fit, and
  // a third does not: every request not yet credited counts.
  bank.script = {kDeclined, kPending};
  ASSERT_TRUE(services.top_up(rider, fen(max), at_s(room)).ok());
  ASSERT_TRUE(services.top_up(rider, fen(max), at_s(room)).ok());
  const size_t calls = bank.calls.size();
  auto past = services.top_up(rider, fen(1), at_s(room));
  ASSERT_FALSE(past.ok());
  EXPECT_NE(past.error().to_string().find("with those in flight would take the balance past"),
            std::string::npos);
  EXPECT_EQ(bank.calls.size(), calls);
  EXPECT_EQ(balance(), (room - 2) * max);
  auto rule = services.set_top_up_rule(rider, true, fen(0), fen(max + 1));
  ASSERT_FALSE(rule.ok());
  EXPECT_EQ(rule.error().to_string(),
            "account 3: top-up threshold and amount must be within +/-10000000000000.00 CNY");
}

} // namespace
} // namespace hcesim::cloud
