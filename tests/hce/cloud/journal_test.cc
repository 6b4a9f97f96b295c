#include "hce/cloud/account_services.h"

#include "cloud_test_support.h"

#include <gtest/gtest.h>

namespace hcesim::cloud {
namespace {

using testing::fen;

TEST(InMemoryJournal, KeepsSequencesThroughDiscardAndForget) {
  InMemoryJournal j;
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(j.append(CommitPoint{}), static_cast<uint64_t>(i + 1));
  }
  j.discard_after(4);
  EXPECT_EQ(j.last_sequence(), 4u);
  j.forget_through(2);
  EXPECT_EQ(j.last_sequence(), 4u);
  EXPECT_EQ(j.append(CommitPoint{}), 5u);
  int seen = 0;
  j.replay(2, [&](const JournalRecord&) { ++seen; });
  EXPECT_EQ(seen, 3);
}

TEST(InMemoryJournal, ASnapshotAndTheTailAfterForgettingRestoreTheSameBalances) {
  InMemoryJournal journal;
  testing::TestPricer pricer;
  testing::FakeBank bank(1, 0, 0, 0);
  const AccountServicesConfig config{testing::cny(), SettlementPolicy{}, TopUpPolicy{}};
  AccountServicesSnapshot snapshot;
  {
    AccountServices s(journal, pricer, bank, config);
    ASSERT_TRUE(s.open_account(AccountId(1), fen(500), fen(1000), Time::epoch()).ok());
    snapshot = s.snapshot();
    journal.forget_through(snapshot.journal_sequence);
    const SettlementTap t =
        testing::bus_tap(1, 1, AccountId(1), TokenId{0, 1}, 1, Time::epoch() + Duration::hours(8));
    s.settle({&t, 1}, Time::epoch() + Duration::hours(9));
    EXPECT_EQ(s.ledger().balance(AccountId(1)), fen(800));
  }
  AccountServices restored(journal, pricer, bank, config, &snapshot);
  EXPECT_EQ(restored.ledger().balance(AccountId(1)), fen(800));
  EXPECT_EQ(restored.ledger().entries().size(), 2u);
}

} // namespace
} // namespace hcesim::cloud
