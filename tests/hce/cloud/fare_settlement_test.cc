#include "hce/cloud/account_services.h"

#include "cloud_test_support.h"

#include <gtest/gtest.h>

namespace hcesim::cloud {
namespace {

using testing::fen;

Time at(int64_t day, int64_t hour, int64_t minute) {
  return Time::epoch() + Duration::days(day) + Duration::hours(hour) + Duration::minutes(minute);
}

struct SettlementTest : ::testing::Test {
  InMemoryJournal journal;
  testing::TestPricer pricer;
  testing::FakeBank bank{1};
  AccountServices services{
      journal, pricer, bank,
      AccountServicesConfig{testing::cny(), SettlementPolicy{}, TopUpPolicy{}}};
  uint64_t next_seq = 1;
  const AccountId rider{7};

  SettlementTest() {
    EXPECT_TRUE(services.open_account(rider, fen(2000), fen(0), Time::epoch()).ok());
  }
  SettlementTap tap(uint32_t validator, TapKind kind, Time t, uint16_t counter = 1,
                    TokenId token = TokenId{0, 1}) {
    return testing::settlement_tap(validator, next_seq++, rider, token, counter, t, kind);
  }
  int64_t balance() const { return services.ledger().balance(rider).minor(); }
};

TEST_F(SettlementTest, ABusTapIsChargedItsFlatFareOnce) {
  const SettlementTap t = tap(5, TapKind::kFlat, at(0, 8, 0));
  EXPECT_EQ(services.settle({&t, 1}, at(0, 9, 0)).accepted, 1u);
  EXPECT_EQ(balance(), -200);
  const auto again = services.settle({&t, 1}, at(0, 10, 0));
  EXPECT_EQ(again.duplicates, 1u);
  EXPECT_EQ(balance(), -200);
  EXPECT_EQ(services.figures(at(0, 10, 0)).max_lag, Duration::hours(1));
}

TEST_F(SettlementTest, AnEntryAndItsExitArePricedAsOneMetroJourney) {
  const SettlementTap taps[] = {tap(1000, TapKind::kEntry, at(0, 8, 0)),
                                tap(1009, TapKind::kExit, at(0, 8, 25))};
  services.settle(taps, at(0, 9, 0));
  EXPECT_EQ(balance(), -600); // 300 + 3 × 100
}

TEST_F(SettlementTest, AMissingExitIsChargedTheMaximumAfterTheWindowAndCorrectedWhenItArrives) {
  const SettlementTap entry = tap(1000, TapKind::kEntry, at(0, 8, 0));
  const SettlementTap exit = tap(1003, TapKind::kExit, at(0, 8, 20));
  services.settle({&entry, 1}, at(0, 9, 0));
  EXPECT_EQ(balance(), 0);
  EXPECT_EQ(services.figures(at(0, 9, 0)).pending_taps, 1u);
  services.advance(at(0, 11, 0)); // the 3 h window has run out
  EXPECT_EQ(balance(), -testing::TestPricer::kMax);
  services.settle({&exit, 1}, at(0, 12, 0));
  EXPECT_EQ(balance(), -400);
  const auto entries = services.ledger().entries();
  EXPECT_EQ(entries.back().reason, EntryReason::kFareCorrection);
  EXPECT_EQ(entries.back().amount, fen(500));
}

TEST_F(SettlementTest, AnExitWithoutEntryIsChargedTheMaximumAndCorrectedByALateEntry) {
  const SettlementTap entry = tap(1000, TapKind::kEntry, at(0, 8, 0));
  const SettlementTap exit = tap(1003, TapKind::kExit, at(0, 8, 20));
  services.settle({&exit, 1}, at(0, 12, 0));
  EXPECT_EQ(balance(), -testing::TestPricer::kMax);
  services.settle({&entry, 1}, at(0, 13, 0));
  EXPECT_EQ(balance(), -400);
}

TEST_F(SettlementTest, ALateEarlierLegRepricesTheDayUnderItsCapAndTransfers) {
  // Three bus taps, the first arriving last: the transfer discount moves, the total is the same.
  const SettlementTap a = tap(1, TapKind::kFlat, at(0, 8, 0));
  const SettlementTap b = tap(2, TapKind::kFlat, at(0, 8, 20)); // transfer from a: 100
  const SettlementTap c = tap(3, TapKind::kFlat, at(0, 12, 0));
  services.settle({&b, 1}, at(0, 13, 0));
  services.settle({&c, 1}, at(0, 13, 0));
  EXPECT_EQ(balance(), -400);
  services.settle({&a, 1}, at(0, 14, 0));
  EXPECT_EQ(balance(), -500);
  EXPECT_EQ(services.ledger().entries().back().reason, EntryReason::kFareCorrection);
}

TEST_F(SettlementTest, ACloneIsTheAccountsUpToItsFirstRepeatedCounterThenFraudLoss) {
  const TokenId token{0, 42};
  const SettlementTap own1 = tap(1, TapKind::kFlat, at(0, 8, 0), 1, token);
  const SettlementTap own2 = tap(2, TapKind::kFlat, at(0, 12, 0), 2, token);
  SettlementTap clone2 = tap(3, TapKind::kFlat, at(0, 13, 0), 2, token); // repeats counter 2
  clone2.clone_flagged = true;
  const SettlementTap clone3 = tap(4, TapKind::kFlat, at(0, 15, 0), 3, token);
  services.settle({&own1, 1}, at(0, 16, 0));
  services.settle({&own2, 1}, at(0, 16, 0));
  services.settle({&clone3, 1}, at(0, 16, 0));
  EXPECT_EQ(balance(), -600); // no clone known yet: all three are the rider's
  services.settle({&clone2, 1}, at(0, 17, 0));
  EXPECT_EQ(balance(), -400);
  EXPECT_EQ(services.ledger().balance(services.fraud_loss_account()), fen(-400));
  EXPECT_EQ(services.figures(at(0, 17, 0)).fraud_loss, fen(400));
  EXPECT_TRUE(services.denylist().listed(rider));
  EXPECT_EQ(services.denylist().reasons(rider), kDenyClone);
}

TEST_F(SettlementTest, ATapForAnUnknownAccountIsNotCharged) {
  SettlementTap t = tap(1, TapKind::kFlat, at(0, 8, 0));
  t.account = AccountId(99);
  EXPECT_EQ(services.settle({&t, 1}, at(0, 9, 0)).unknown_account, 1u);
  EXPECT_EQ(journal.last_sequence(), 4u); // two accounts opened, two commit points, nothing else
}

TEST_F(SettlementTest, ServiceDaysAreSeparateForCaps) {
  std::vector<SettlementTap> taps;
  for (int day = 0; day < 2; ++day) {
    for (int i = 0; i < 7; ++i) {
      taps.push_back(tap(1, TapKind::kFlat, at(day, 6 + 2 * i, 0)));
    }
  }
  services.settle(taps, at(2, 0, 0));
  EXPECT_EQ(balance(), -2 * testing::TestPricer::kCap);
}

// Settlement closes a service day a while after it ends (here one day, to see it in a short test).
struct ClosingTest : ::testing::Test {
  static AccountServicesConfig config() {
    SettlementPolicy policy;
    policy.day_closes_after = Duration::days(1);
    return AccountServicesConfig{testing::cny(), policy, TopUpPolicy{}};
  }
  InMemoryJournal journal;
  testing::TestPricer pricer;
  testing::FakeBank bank{1};
  AccountServices services{journal, pricer, bank, config()};
  uint64_t next_seq = 1;
  const AccountId rider{7};

  ClosingTest() {
    EXPECT_TRUE(services.open_account(rider, fen(100'000), fen(0), Time::epoch()).ok());
  }
  AccountServices::BatchReceipt settle(uint32_t validator, TapKind kind, Time t, Time arrives) {
    const SettlementTap tap =
        testing::settlement_tap(validator, next_seq++, rider, TokenId{0, 1}, 1, t, kind);
    return services.settle({&tap, 1}, arrives);
  }
  int64_t balance() const { return services.ledger().balance(rider).minor(); }
};

TEST_F(ClosingTest, ClosedDaysAreLetGoSoTheBookHoldsAboutTheOpenDaysAndAReplayAgrees) {
  for (int64_t d = 0; d < 10; ++d) {
    EXPECT_EQ(settle(5, TapKind::kFlat, at(d, 8, 0), at(d, 9, 0)).accepted, 1u) << d;
  }
  EXPECT_EQ(balance(), -10 * 200); // every day's bus fare, once
  const FareSettlement::Book* b = services.settlement().book(rider);
  ASSERT_NE(b, nullptr);
  // At day 9 09:00 day 8 is the first open day: its tap and day 9's are held, nothing older.
  ASSERT_EQ(b->taps.size(), 2u);
  EXPECT_EQ(b->taps.front().tapped_at, at(8, 8, 0));
  EXPECT_EQ(b->posted.size(), 2u);
  // The journal kept everything: services rebuilt from it let go of the same and agree.
  AccountServices replayed(journal, pricer, bank, config());
  EXPECT_EQ(replayed.ledger().balance(rider), services.ledger().balance(rider));
  const FareSettlement::Book* r = replayed.settlement().book(rider);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->taps.size(), 2u);
  EXPECT_EQ(r->posted.size(), 2u);
}

TEST_F(ClosingTest, ABookGivesBackTheRoomOfItsBusiestDayOnceThatDayCloses) {
  // A busy day: 40 taps (a million books each keeping such room would creep up over weeks).
  for (int i = 0; i < 40; ++i) {
    settle(5, TapKind::kFlat, at(0, 6, i), at(0, 7, 0));
  }
  const FareSettlement::Book* b = services.settlement().book(rider);
  ASSERT_NE(b, nullptr);
  ASSERT_GE(b->taps.capacity(), 40u);
  // Quiet days after: once day 0 has closed, the book holds a tap or two and about that room.
  for (int64_t d = 1; d <= 3; ++d) {
    settle(5, TapKind::kFlat, at(d, 8, 0), at(d, 9, 0));
  }
  b = services.settlement().book(rider);
  ASSERT_LE(b->taps.size(), 2u);
  EXPECT_LE(b->taps.capacity(), 8u);
  EXPECT_LE(b->posted.capacity(), 8u);
}

TEST_F(ClosingTest, ATapOfAClosedDayIsJournaledAndCountedButChargesNobody) {
  settle(5, TapKind::kFlat, at(0, 8, 0), at(0, 9, 0));
  const uint64_t journaled = journal.last_sequence();
  // Day 0 closed at day 2 00:00; a record of day 0 arriving on day 3 is final as it is.
  const auto late = settle(6, TapKind::kFlat, at(0, 10, 0), at(3, 0, 0));
  EXPECT_EQ(late.day_closed, 1u);
  EXPECT_EQ(late.accepted, 0u);
  EXPECT_EQ(balance(), -200);
  EXPECT_EQ(services.settlement().figures().taps_after_close, 1u);
  // Nothing lost: the tap is in the journal.
  size_t received = 0;
  for (uint64_t i = journaled; i < journal.last_sequence(); ++i) {
    if (const auto* r = std::get_if<TapReceived>(&journal.records()[i])) {
      EXPECT_EQ(r->tap.tapped_at, at(0, 10, 0));
      ++received;
    }
  }
  EXPECT_EQ(received, 1u);
  // Its day stays closed however often the record comes again.
  EXPECT_EQ(settle(6, TapKind::kFlat, at(0, 10, 0), at(3, 1, 0)).day_closed, 1u);
  EXPECT_EQ(balance(), -200);
  // A tap of an open day still settles.
  EXPECT_EQ(settle(6, TapKind::kFlat, at(2, 10, 0), at(3, 2, 0)).accepted, 1u);
  EXPECT_EQ(balance(), -400);
}

TEST_F(ClosingTest, ACloneFlagStaysAndACloneTokensTapsAreKeptWhenTheirDayCloses) {
  const TokenId token{0, 9};
  SettlementTap first =
      testing::settlement_tap(5, next_seq++, rider, token, 1, at(0, 10, 0), TapKind::kFlat);
  SettlementTap copy =
      testing::settlement_tap(6, next_seq++, rider, token, 1, at(0, 10, 10), TapKind::kFlat);
  copy.clone_flagged = true;
  services.settle({&first, 1}, at(0, 11, 0));
  services.settle({&copy, 1}, at(0, 11, 0));
  settle(5, TapKind::kFlat, at(0, 12, 0), at(0, 13, 0)); // another token's tap, same day
  // Day 0 closes; a tap on day 3 lets it go, but for the clone's token (its clone point stays).
  settle(5, TapKind::kFlat, at(3, 8, 0), at(3, 9, 0));
  const FareSettlement::Book* b = services.settlement().book(rider);
  ASSERT_NE(b, nullptr);
  ASSERT_EQ(b->taps.size(), 3u);
  EXPECT_EQ(b->taps[0].token, token);
  EXPECT_EQ(b->taps[1].token, token);
  // A clone-flagged record of a closed day still lists the account (here a second rider's).
  const AccountId other{8};
  ASSERT_TRUE(services.open_account(other, fen(100'000), fen(0), at(3, 0, 0)).ok());
  SettlementTap late =
      testing::settlement_tap(7, next_seq++, other, TokenId{0, 11}, 1, at(0, 9, 0), TapKind::kFlat);
  late.clone_flagged = true;
  EXPECT_EQ(services.settle({&late, 1}, at(3, 10, 0)).day_closed, 1u);
  EXPECT_TRUE(services.settlement().has_clone(other));
  EXPECT_NE(services.denylist().reasons(other) & kDenyClone, 0u);
}

TEST_F(ClosingTest, AJourneyAcrossMidnightKeepsBothEndsWhenItsFirstDayCloses) {
  settle(1000, TapKind::kEntry, at(0, 23, 50), at(1, 1, 0));
  settle(1003, TapKind::kExit, at(1, 0, 30), at(1, 1, 0));
  const int64_t journey = balance();
  ASSERT_LT(journey, 0);
  ASSERT_GT(journey, -testing::TestPricer::kMax); // priced as a journey, not a lone end
  // Day 0 closes at day 2 00:00. A late tap of day 1 then reprices day 1, where the exit is: its
  // entry (day 0, within an exit window of day 1) is still held, so the exit is not a lone end
  // charged the maximum fare a second time; and day 0, which the late tap is within an exit
  // window of, is closed: its journey, let go, is not charged again either.
  EXPECT_EQ(settle(5, TapKind::kFlat, at(1, 1, 0), at(2, 1, 0)).accepted, 1u);
  EXPECT_EQ(balance(), journey - 200);
  const FareSettlement::Book* b = services.settlement().book(rider);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->taps.size(), 3u);
  EXPECT_EQ(b->taps.front().tapped_at, at(0, 23, 50));
}

} // namespace
} // namespace hcesim::cloud
