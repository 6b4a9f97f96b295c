#include "hce/cloud/ledger.h"

#include "cloud_test_support.h"

#include <gtest/gtest.h>

namespace hcesim::cloud {
namespace {

using testing::fen;

//! A change log that applies records straight to the ledger and keeps them.
struct LedgerLog final : ChangeLog {
  Ledger* ledger = nullptr;
  std::vector<JournalRecord> records;
  void sync() override {}
  void commit(const JournalRecord& r) override {
    records.push_back(r);
    if (const auto* o = std::get_if<AccountOpened>(&r)) {
      ledger->apply(*o);
    } else if (const auto* e = std::get_if<EntryPosted>(&r)) {
      ledger->apply(e->entry);
    }
  }
};

struct LedgerTest : ::testing::Test {
  LedgerLog log;
  Ledger ledger{log, testing::cny()};
  LedgerTest() { log.ledger = &ledger; }
};

TEST_F(LedgerTest, OpeningBalanceIsAnAdjustmentEntry) {
  ASSERT_TRUE(ledger.open(AccountId(1), fen(500), fen(1200), Time::epoch()).ok());
  EXPECT_EQ(ledger.balance(AccountId(1)), fen(1200));
  ASSERT_EQ(ledger.entries().size(), 1u);
  EXPECT_EQ(ledger.entries()[0].reason, EntryReason::kAdjustment);
  EXPECT_EQ(ledger.sum_of_entries(AccountId(1)), fen(1200));
}

TEST_F(LedgerTest, ArchivedEntriesLeaveBalancesSequencesAndKeysAsTheyWere) {
  ASSERT_TRUE(ledger.open(AccountId(1), fen(500), fen(1200), Time::epoch()).ok());
  ASSERT_TRUE(ledger.open(AccountId(2), fen(500), fen(300), Time::epoch()).ok());
  const auto key = IdempotencyKey::make(KeyScope::kRefund, 1, 7);
  ASSERT_TRUE(ledger.post(AccountId(1), fen(-200), EntryReason::kRefund, key, Time::epoch()).ok());
  ledger.archive_before(2); // both openings
  EXPECT_EQ(ledger.archived_through(), 2u);
  ASSERT_EQ(ledger.entries().size(), 1u);
  EXPECT_EQ(ledger.entries()[0].sequence, 2u);
  EXPECT_EQ(ledger.next_sequence(), 3u);
  EXPECT_EQ(ledger.sum_of_entries(AccountId(1)), fen(1000));
  EXPECT_EQ(ledger.sum_of_entries(AccountId(2)), fen(300));
  // The key of an archived entry still refuses a second posting; new entries follow on.
  auto again = ledger.post(AccountId(1), fen(-200), EntryReason::kRefund, key, Time::epoch());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, Ledger::PostOutcome::kDuplicate);
  ASSERT_TRUE(ledger
                  .post(AccountId(2), fen(50), EntryReason::kRefund,
                        IdempotencyKey::make(KeyScope::kRefund, 2, 1), Time::epoch())
                  .ok());
  ledger.archive_before(99); // past the end: everything held so far
  EXPECT_TRUE(ledger.entries().empty());
  EXPECT_EQ(ledger.next_sequence(), 4u);
  EXPECT_EQ(ledger.sum_of_entries(AccountId(1)), ledger.balance(AccountId(1)));
  EXPECT_EQ(ledger.sum_of_entries(AccountId(2)), fen(350));
}

TEST_F(LedgerTest, APostingWithAKeySeenBeforeChangesNothing) {
  ASSERT_TRUE(ledger.open(AccountId(1), fen(500), fen(0), Time::epoch()).ok());
  const auto key = IdempotencyKey::make(KeyScope::kRefund, 1, 7);
  auto first = ledger.post(AccountId(1), fen(300), EntryReason::kRefund, key, Time::epoch());
  auto again = ledger.post(AccountId(1), fen(300), EntryReason::kRefund, key, Time::epoch());
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(*first, Ledger::PostOutcome::kPosted);
  EXPECT_EQ(*again, Ledger::PostOutcome::kDuplicate);
  EXPECT_EQ(ledger.balance(AccountId(1)), fen(300));
  EXPECT_EQ(log.records.size(), 2u); // opening + one entry: a duplicate is not journaled
}

TEST_F(LedgerTest, BalanceMayGoNegativeAndCountsAsUnpaidDebtPastNoLimit) {
  ASSERT_TRUE(ledger.open(AccountId(1), fen(500), fen(100), Time::epoch()).ok());
  ASSERT_TRUE(ledger
                  .post(AccountId(1), fen(-400), EntryReason::kAdjustment,
                        IdempotencyKey::make(KeyScope::kAdjustment, 1, 1), Time::epoch())
                  .ok());
  EXPECT_EQ(ledger.balance(AccountId(1)), fen(-300));
  EXPECT_EQ(ledger.unpaid_debt(), fen(300));
  EXPECT_FALSE(ledger.over_debt_limit(AccountId(1)));
  ASSERT_TRUE(ledger
                  .post(AccountId(1), fen(-201), EntryReason::kAdjustment,
                        IdempotencyKey::make(KeyScope::kAdjustment, 1, 2), Time::epoch())
                  .ok());
  EXPECT_TRUE(ledger.over_debt_limit(AccountId(1)));
  EXPECT_EQ(ledger.unpaid_debt(), fen(501));
  EXPECT_EQ(ledger.sum_of_entries(AccountId(1)), ledger.balance(AccountId(1)));
}

TEST_F(LedgerTest, BadPostingsAreErrorsNamingTheAccount) {
  ASSERT_TRUE(ledger.open(AccountId(1), fen(500), fen(0), Time::epoch()).ok());
  auto unknown = ledger.post(AccountId(9), fen(1), EntryReason::kRefund,
                             IdempotencyKey::make(KeyScope::kRefund, 9, 1), Time::epoch());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().to_string(), "account 9: no such account");
  auto usd =
      ledger.post(AccountId(1), Money(1, Currency::from_code("USD").value()), EntryReason::kRefund,
                  IdempotencyKey::make(KeyScope::kRefund, 1, 1), Time::epoch());
  ASSERT_FALSE(usd.ok());
  EXPECT_EQ(usd.error().to_string(), "account 1: amount 0.01 USD is not in CNY");
  auto twice = ledger.open(AccountId(1), fen(500), fen(0), Time::epoch());
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().to_string(), "account 1: already open");
  auto negative = ledger.open(AccountId(2), fen(-1), fen(0), Time::epoch());
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.error().to_string(),
            "account 2: debt limit must be >= 0 and at most 10000000000000.00 CNY, got -0.01 CNY");
}

// Amounts from outside are bounded before anything is journaled, so a balance cannot overflow
// and an opening balance of INT64_MIN (whose debt would be -INT64_MIN) never reaches the ledger.
TEST_F(LedgerTest, AmountsPastTheBoundAreRefusedBeforeTheyAreJournaled) {
  const int64_t max = Ledger::kMaxAmountMinor;
  auto huge_opening = ledger.open(AccountId(1), fen(0), fen(INT64_MIN), Time::epoch());
  ASSERT_FALSE(huge_opening.ok());
  EXPECT_EQ(huge_opening.error().to_string(),
            "account 1: opening balance must be within +/-10000000000000.00 CNY, got "
            "-92233720368547758.08 CNY");
  EXPECT_FALSE(ledger.open(AccountId(1), fen(max + 1), fen(0), Time::epoch()).ok());
  EXPECT_TRUE(log.records.empty());
  EXPECT_FALSE(ledger.has_account(AccountId(1)));

  ASSERT_TRUE(ledger.open(AccountId(1), fen(max), fen(max), Time::epoch()).ok());
  const size_t records = log.records.size();
  auto too_big = ledger.post(AccountId(1), fen(max + 1), EntryReason::kRefund,
                             IdempotencyKey::make(KeyScope::kRefund, 1, 1), Time::epoch());
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.error().to_string(),
            "account 1: amount must be within +/-10000000000000.00 CNY, got 10000000000000.01 CNY");
  // Postings each within the bound stop where the balance would pass kMaxBalanceMinor.
  uint64_t n = 2;
  Result<Ledger::PostOutcome> posted = Ledger::PostOutcome::kPosted;
  while ((posted = ledger.post(AccountId(1), fen(max), EntryReason::kRefund,
                               IdempotencyKey::make(KeyScope::kRefund, 1, n), Time::epoch()))
             .ok()) {
    ++n;
  }
  EXPECT_EQ(n, 2 + Ledger::kMaxBalanceMinor / max - 1); // the opening counted one
  EXPECT_EQ(ledger.balance(AccountId(1)).minor(), Ledger::kMaxBalanceMinor);
  EXPECT_NE(posted.error().to_string().find("would take the balance past"), std::string::npos);
  EXPECT_EQ(log.records.size(), records + (n - 2)); // the refused ones journaled nothing
}

// The opening balance's key holds the whole account id: accounts 5 and 2^56 + 5 both get theirs.
TEST_F(LedgerTest, AccountsWhoseIdsShareTheirLow56BitsEachGetTheirOpeningBalance) {
  const AccountId low(5);
  const AccountId high((uint64_t{1} << 56) + 5);
  ASSERT_TRUE(ledger.open(low, fen(0), fen(1000), Time::epoch()).ok());
  ASSERT_TRUE(ledger.open(high, fen(0), fen(1000), Time::epoch()).ok());
  EXPECT_EQ(ledger.balance(low), fen(1000));
  EXPECT_EQ(ledger.balance(high), fen(1000));
}

} // namespace
} // namespace hcesim::cloud
