// Quick versions of the cloud services' property tests (the slow suite runs thousands).
#include "properties.h"

namespace hcesim::cloud::testing {
namespace {

TEST(CloudProperties, RandomHistoriesSettleEveryTapOnceWhateverTheArrivalOrder) {
  for (uint64_t seed = 1; seed <= 150; ++seed) {
    check_history(seed, HistoryConfig{});
    if (::testing::Test::HasFailure()) {
      return;
    }
  }
}

TEST(CloudProperties, WithoutTopUpsFinalBalancesAreIdenticalWhateverTheArrivalOrder) {
  for (uint64_t seed = 1000; seed < 1100; ++seed) {
    check_history(seed, HistoryConfig{3, 2, false, true});
    if (::testing::Test::HasFailure()) {
      return;
    }
  }
}

TEST(CloudProperties, CrashesInsideOperationsLoseNothingAndDoubleNothing) {
  int crashes = 0;
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    crashes += check_crashes(seed, HistoryConfig{});
    if (::testing::Test::HasFailure()) {
      return;
    }
  }
  EXPECT_GT(crashes, 10);
}

TEST(CloudProperties, ARestartAtEveryCutPointGivesTheSameFinalState) {
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    check_restarts(seed, HistoryConfig{3, 2, true, true});
    if (::testing::Test::HasFailure()) {
      return;
    }
  }
}

} // namespace
} // namespace hcesim::cloud::testing

namespace hcesim::cloud::testing {
namespace {

// The properties above mean something only if the histories contain what they claim to.
TEST(CloudProperties, RandomHistoriesContainLateTapsClonesDuplicatesAndBankTrouble) {
  std::map<EntryReason, int> reasons;
  int duplicates = 0;
  int retried = 0;
  int gave_up_or_declined = 0;
  int incomplete = 0;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    const History h = make_history(seed, HistoryConfig{}, seed * 7919 + 1);
    InMemoryJournal journal;
    TestPricer pricer;
    FakeBank bank(seed);
    AccountServices s(journal, pricer, bank, config());
    set_up(s, h);
    for (const Op& op : h.ops) {
      for (const FakeBank::Notice& n : bank.take_notices(op.at)) {
        ASSERT_TRUE(s.bank_notice(n.id, n.answer, op.at).ok());
      }
      if (op.kind == Op::kBatch) {
        duplicates += static_cast<int>(s.settle(op.taps, op.at).duplicates);
      } else if (op.kind == Op::kAdvance) {
        s.advance(op.at);
      } else {
        ASSERT_TRUE(s.top_up(op.account, fen(op.amount), op.at).ok());
      }
    }
    for (const LedgerEntry& e : s.ledger().entries()) {
      ++reasons[e.reason];
      incomplete += e.reason == EntryReason::kFare && e.amount == fen(-TestPricer::kMax) ? 1 : 0;
    }
    for (const auto& [id, r] : s.top_ups().state().requests) {
      retried += r.attempts > 1 ? 1 : 0;
      gave_up_or_declined +=
          r.status == TopUp::Status::kGaveUp || r.status == TopUp::Status::kDeclined ? 1 : 0;
    }
  }
  EXPECT_GT(reasons[EntryReason::kFare], 500);
  EXPECT_GT(reasons[EntryReason::kFareCorrection], 20);
  EXPECT_GT(reasons[EntryReason::kFraudLoss], 5);
  EXPECT_GT(reasons[EntryReason::kTopUp], 20);
  EXPECT_GT(incomplete, 10);
  EXPECT_GT(duplicates, 50);
  EXPECT_GT(retried, 5);
  EXPECT_GT(gave_up_or_declined, 2);
}

} // namespace
} // namespace hcesim::cloud::testing
