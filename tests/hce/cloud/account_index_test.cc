#include "hce/cloud/account_index.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace hcesim::cloud {
namespace {

TEST(AccountIndex, FindsEveryAccountAtItsRowAcrossGrowthAndNothingElse) {
  AccountIndex index;
  std::map<uint64_t, uint32_t> expected;
  std::mt19937_64 random(7);
  EXPECT_EQ(index.find(AccountId(1)), AccountIndex::kNone);
  for (uint32_t row = 0; row < 5000; ++row) {
    // Sequential ids (riders), random ones and the top of the range (the fraud-loss account).
    const uint64_t id = row % 3 == 0 ? row : row % 3 == 1 ? random() : ~uint64_t{0} - row;
    const auto [held, added] = index.emplace(AccountId(id), row);
    const bool fresh = expected.emplace(id, row).second;
    EXPECT_EQ(added, fresh);
    EXPECT_EQ(held, expected.at(id));
  }
  EXPECT_EQ(index.size(), expected.size());
  for (const auto& [id, row] : expected) {
    EXPECT_EQ(index.find(AccountId(id)), row);
  }
  EXPECT_EQ(index.find(AccountId(123'456'789)), AccountIndex::kNone);
}

TEST(AccountIndex, FillsToThreeQuartersAndAReserveKeepsEveryRow) {
  // 6,000 accounts fit 8,192 slots at three quarters full (at half full they took 16,384).
  AccountIndex grown;
  for (uint32_t row = 0; row < 6000; ++row) {
    grown.emplace(AccountId(row + 1), row);
  }
  EXPECT_EQ(grown.slot_count(), 8192u);
  AccountIndex reserved;
  reserved.emplace(AccountId(42), 0);
  reserved.reserve(6000);
  EXPECT_EQ(reserved.slot_count(), 8192u);
  EXPECT_EQ(reserved.find(AccountId(42)), 0u); // an account held before the reserve keeps its row
  for (uint32_t row = 1; row < 6000; ++row) {
    reserved.emplace(AccountId(row + 1000), row);
  }
  EXPECT_EQ(reserved.slot_count(), 8192u); // no growth after the reserve
  for (uint32_t row = 1; row < 6000; ++row) {
    ASSERT_EQ(reserved.find(AccountId(row + 1000)), row);
  }
  EXPECT_EQ(reserved.find(AccountId(42)), 0u);
  reserved.reserve(10); // never shrinks
  EXPECT_EQ(reserved.slot_count(), 8192u);
}

TEST(AccountIndex, AnAccountAddedTwiceKeepsItsFirstRow) {
  AccountIndex index;
  EXPECT_EQ(index.emplace(AccountId(9), 4), std::make_pair(4u, true));
  EXPECT_EQ(index.emplace(AccountId(9), 5), std::make_pair(4u, false));
  EXPECT_EQ(index.find(AccountId(9)), 4u);
  EXPECT_EQ(index.size(), 1u);
}

TEST(AccountIndex, TablesWithTheSameRowsAreEqualWhateverTheInsertionOrder) {
  AccountIndex a;
  AccountIndex b;
  for (uint32_t i = 0; i < 100; ++i) {
    a.emplace(AccountId(i * 7), i);
    b.emplace(AccountId((99 - i) * 7), 99 - i);
  }
  EXPECT_EQ(a, b);
  b.emplace(AccountId(1), 100);
  EXPECT_FALSE(a == b);
  a.emplace(AccountId(1), 101);
  EXPECT_FALSE(a == b); // same accounts, another row
}

} // namespace
} // namespace hcesim::cloud
