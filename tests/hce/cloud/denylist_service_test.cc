#include "hce/cloud/account_services.h"

#include "cloud_test_support.h"

#include <gtest/gtest.h>

namespace hcesim::cloud {
namespace {

using testing::fen;

struct DenylistTest : ::testing::Test {
  InMemoryJournal journal;
  testing::TestPricer pricer;
  testing::FakeBank bank{1, 0, 0, 0}; // always approves
  AccountServices services{
      journal, pricer, bank,
      AccountServicesConfig{testing::cny(), SettlementPolicy{}, TopUpPolicy{}}};
  const AccountId rider{4};
  uint64_t seq = 1;
  DenylistTest() {
    EXPECT_TRUE(services.open_account(rider, fen(300), fen(0), Time::epoch()).ok());
    EXPECT_TRUE(services.bind_card(rider, BankCardRef{1}).ok());
  }
  //! A bus tap at `hour`, uploaded `upload_after` hours later (negative: a validator clock ahead).
  void ride(int64_t hour, int64_t upload_after = 1) {
    const SettlementTap t =
        testing::bus_tap(1, seq, rider, TokenId{0, 9}, static_cast<uint16_t>(seq),
                         Time::epoch() + Duration::hours(hour));
    ++seq;
    services.settle({&t, 1}, Time::epoch() + Duration::hours(hour + upload_after));
  }
  Money fraud_loss() const { return services.ledger().balance(services.fraud_loss_account()); }
};

TEST_F(DenylistTest, DebtPastTheLimitListsTheAccountWithItsTokens) {
  ride(1);
  EXPECT_FALSE(services.denylist().listed(rider)); // -200, limit 300
  ride(3);
  EXPECT_TRUE(services.denylist().listed(rider)); // -400
  EXPECT_TRUE(services.ledger().find(rider)->denylisted);
  const auto changes = services.take_denylist_changes();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].version, 1u);
  EXPECT_EQ(changes[0].reasons, kDenyDebt);
  ASSERT_EQ(changes[0].tokens.size(), 1u);
  EXPECT_EQ(changes[0].tokens[0], (TokenId{0, 9}));
}

TEST_F(DenylistTest, ATopUpThatClearsTheDebtLiftsItAndOneThatDoesNotKeepsIt) {
  ride(1);
  ride(3);
  ASSERT_TRUE(services.top_up(rider, fen(200), Time::epoch() + Duration::hours(5)).ok());
  EXPECT_TRUE(services.denylist().listed(rider)); // -200: within the limit, still a debt
  ASSERT_TRUE(services.top_up(rider, fen(200), Time::epoch() + Duration::hours(6)).ok());
  EXPECT_FALSE(services.denylist().listed(rider));
  const auto changes = services.take_denylist_changes();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[1].version, 2u);
  EXPECT_EQ(changes[1].reasons, kDenyNone);
  EXPECT_FALSE(services.ledger().find(rider)->denylisted);
}

TEST_F(DenylistTest, ACloneListingStaysAfterTheDebtIsPaid) {
  SettlementTap a =
      testing::bus_tap(1, 100, rider, TokenId{0, 5}, 1, Time::epoch() + Duration::hours(1));
  SettlementTap b = a;
  b.record = TapRecordId{ValidatorId(2), 100};
  b.tapped_at += Duration::hours(1);
  b.clone_flagged = true;
  services.settle({&a, 1}, Time::epoch() + Duration::hours(3));
  services.settle({&b, 1}, Time::epoch() + Duration::hours(3));
  EXPECT_EQ(services.denylist().reasons(rider), kDenyClone);
  ASSERT_TRUE(services.top_up(rider, fen(1000), Time::epoch() + Duration::hours(4)).ok());
  EXPECT_EQ(services.denylist().reasons(rider), kDenyClone);
  EXPECT_EQ(services.denylist().version(), 1u);
}

TEST_F(DenylistTest, ALostReportBeforeAnyTapRepricesAndReviewsNothing) {
  // The rider would top up automatically (balance 0, threshold 10.00) if anything reviewed it.
  ASSERT_TRUE(services.set_top_up_rule(rider, true, fen(1000), fen(500)).ok());
  // A later account's tap sizes settlement's books past the rider's row: an empty book.
  const AccountId other{5};
  ASSERT_TRUE(services.open_account(other, fen(300), fen(1000), Time::epoch()).ok());
  const SettlementTap t =
      testing::bus_tap(1, 1, other, TokenId{0, 7}, 1, Time::epoch() + Duration::hours(1));
  services.settle({&t, 1}, Time::epoch() + Duration::hours(2));
  ASSERT_EQ(services.settlement().book(rider), nullptr);
  ASSERT_TRUE(services.report_lost(rider, Time::epoch() + Duration::hours(3)).ok());
  EXPECT_TRUE(services.denylist().listed(rider));
  EXPECT_TRUE(services.top_ups().state().requests.empty()) << "no tap: no review, no top-up";
}

TEST_F(DenylistTest, ALostReportListsTheAccountForGoodAndTheFraudLossAccountPaysLaterTaps) {
  ride(1); // the owner's own ride: 200
  ASSERT_TRUE(services.report_lost(rider, Time::epoch() + Duration::hours(2)).ok());
  EXPECT_EQ(services.denylist().reasons(rider), kDenyLost);
  const auto changes = services.take_denylist_changes();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].reasons, kDenyLost);
  EXPECT_EQ(changes[0].tokens, std::vector<TokenId>{(TokenId{0, 9})});
  ride(3); // the finder, before the validators hear of it
  EXPECT_EQ(services.ledger().balance(rider), fen(-200)) << "the owner pays only up to the report";
  EXPECT_EQ(fraud_loss(), fen(-200));
  EXPECT_EQ(services.settlement().figures().fraud_loss_minor, 200);
  // Paying the debt back does not lift it; reporting again changes nothing.
  ASSERT_TRUE(services.top_up(rider, fen(500), Time::epoch() + Duration::hours(5)).ok());
  EXPECT_EQ(services.denylist().reasons(rider), kDenyLost);
  ASSERT_TRUE(services.report_lost(rider, Time::epoch() + Duration::hours(6)).ok());
  EXPECT_TRUE(services.take_denylist_changes().empty());
  EXPECT_EQ(services.settlement().lost_at(rider), Time::epoch() + Duration::hours(2));
}

TEST_F(DenylistTest, ALostReportMovesTapsAlreadySettledFromItsTimeOnToFraudLoss) {
  ride(1);
  ride(5, -3); // a tap stamped 05:00 by a validator clock ahead, settled at 02:00
  EXPECT_EQ(services.ledger().balance(rider), fen(-400));
  ASSERT_TRUE(services.report_lost(rider, Time::epoch() + Duration::hours(3)).ok());
  EXPECT_EQ(services.ledger().balance(rider), fen(-200));
  EXPECT_EQ(fraud_loss(), fen(-200));
  // Money is conserved: what left the owner's account is on the fraud-loss account.
  EXPECT_EQ(services.ledger().balance(rider) + fraud_loss(), fen(-400));
}

TEST_F(DenylistTest, ALostReportForAnUnknownAccountIsAnErrorAndChangesNothing) {
  const auto r = services.report_lost(AccountId(77), Time::epoch());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().to_string().find("no such account"), std::string::npos);
  EXPECT_FALSE(services.report_lost(services.fraud_loss_account(), Time::epoch()).ok());
  EXPECT_EQ(services.denylist().version(), 0u);
}

TEST_F(DenylistTest, ARestartFromTheJournalKeepsTheLostReportAndWhoPays) {
  ride(1);
  ASSERT_TRUE(services.report_lost(rider, Time::epoch() + Duration::hours(2)).ok());
  AccountServices restored(
      journal, pricer, bank,
      AccountServicesConfig{testing::cny(), SettlementPolicy{}, TopUpPolicy{}});
  EXPECT_EQ(restored.denylist().reasons(rider), kDenyLost);
  EXPECT_EQ(restored.settlement().lost_at(rider), Time::epoch() + Duration::hours(2));
  const SettlementTap finder =
      testing::bus_tap(1, 50, rider, TokenId{0, 9}, 2, Time::epoch() + Duration::hours(4));
  restored.settle({&finder, 1}, Time::epoch() + Duration::hours(5));
  EXPECT_EQ(restored.ledger().balance(rider), fen(-200));
  EXPECT_EQ(restored.ledger().balance(restored.fraud_loss_account()), fen(-200));
}

TEST_F(DenylistTest, ValidatorsAtAnyVersionCatchUpByDeltaOrFullList) {
  const hce::Key128 key{1, 2, 3};
  hce::AesCmac cloud_key(key);
  hce::Denylist behind(key, 100);
  hce::Denylist fresh(key, 100);
  ride(1);
  ride(3); // listed for debt: version 1
  ASSERT_EQ(behind.apply(services.denylist().update_for(0, cloud_key)),
            hce::DenylistApply::kApplied);
  EXPECT_TRUE(behind.has_account(rider));
  EXPECT_TRUE(behind.has_token(TokenId{0, 9}));
  ASSERT_TRUE(services.top_up(rider, fen(1000), Time::epoch() + Duration::hours(5)).ok());
  EXPECT_EQ(services.denylist().version(), 2u); // lifted
  const hce::DenylistUpdate delta = services.denylist().update_for(1, cloud_key);
  EXPECT_EQ(delta.base_version, 1u);
  EXPECT_EQ(delta.remove_accounts, std::vector<AccountId>{rider});
  ASSERT_EQ(behind.apply(delta), hce::DenylistApply::kApplied);
  EXPECT_FALSE(behind.has_account(rider));
  EXPECT_FALSE(behind.has_token(TokenId{0, 9}));
  const hce::DenylistUpdate full = services.denylist().update_for(0, cloud_key);
  EXPECT_EQ(full.base_version, 0u);
  ASSERT_EQ(fresh.apply(full), hce::DenylistApply::kApplied);
  EXPECT_EQ(fresh.version(), 2u);
  EXPECT_EQ(fresh.size(), 0u);
}

// A validator accepts no step of more than its bound (a far-future version is refused), so one
// further behind than that used to be refused every update for good; now the cloud steps it.
TEST_F(DenylistTest, AValidatorFurtherBehindThanItsBoundCatchesUpInSteps) {
  const hce::Key128 key{1, 2, 3};
  hce::AesCmac cloud_key(key);
  int64_t hour = 1;
  for (int cycle = 0; cycle < 10; ++cycle) { // listed, then lifted: two versions a cycle
    ride(hour);
    ride(hour + 2);
    ASSERT_TRUE(services.top_up(rider, fen(400), Time::epoch() + Duration::hours(hour + 4)).ok());
    hour += 24; // a day apart: the test pricer caps a day's fares
  }
  ride(hour);
  ride(hour + 2); // listed again
  ASSERT_EQ(services.denylist().version(), 21u);
  ASSERT_TRUE(services.denylist().listed(rider));

  hce::Denylist far(key, 3);
  EXPECT_EQ(far.apply(services.denylist().update_for(0, cloud_key)),
            hce::DenylistApply::kVersionJump); // unstepped: refused
  std::vector<uint64_t> bases;
  while (far.version() < services.denylist().version()) {
    const hce::DenylistUpdate u = services.denylist().update_for(far.version(), cloud_key, 3);
    bases.push_back(u.base_version);
    ASSERT_EQ(far.apply(u), hce::DenylistApply::kApplied) << far.version();
  }
  // Full lists numbered 3, 6, ..., 18, then a delta from 18 to 21.
  EXPECT_EQ(bases, (std::vector<uint64_t>{0, 0, 0, 0, 0, 0, 18}));
  EXPECT_TRUE(far.has_account(rider));
  EXPECT_TRUE(far.has_token(TokenId{0, 9}));

  // The same steps, ending with the rider lifted: the delta after a stepped full list lifts it.
  ASSERT_TRUE(services.top_up(rider, fen(400), Time::epoch() + Duration::hours(hour + 4)).ok());
  hce::Denylist late(key, 3);
  while (late.version() < services.denylist().version()) {
    ASSERT_EQ(late.apply(services.denylist().update_for(late.version(), cloud_key, 3)),
              hce::DenylistApply::kApplied);
  }
  EXPECT_EQ(late.version(), 22u);
  EXPECT_FALSE(late.has_account(rider));
  EXPECT_FALSE(late.has_token(TokenId{0, 9}));
  EXPECT_EQ(late.size(), 0u);
}

} // namespace
} // namespace hcesim::cloud
