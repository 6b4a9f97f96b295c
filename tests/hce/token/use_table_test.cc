#include "hce/token/use_table.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <tuple>

using namespace hcesim;
using namespace hcesim::hce;

namespace {

UseTable::FirstUse use(uint32_t validator, uint64_t sequence, int64_t expires_s) {
  return UseTable::FirstUse{RecordId{ValidatorId(validator), sequence},
                            Time::epoch() + Duration::seconds(expires_s)};
}

using Model = std::map<std::tuple<uint64_t, uint64_t, uint16_t>, UseTable::FirstUse>;

void expect_same(const UseTable& t, const Model& m) {
  ASSERT_EQ(t.size(), m.size());
  for (const auto& [k, u] : m) {
    const auto found =
        t.find(UseTable::Key{TokenId{std::get<0>(k), std::get<1>(k)}, std::get<2>(k)});
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(*found, u);
  }
  size_t seen = 0;
  t.for_each([&](const UseTable::Key& k, const UseTable::FirstUse& u) {
    ++seen;
    const auto it = m.find({k.token.hi, k.token.lo, k.counter});
    ASSERT_NE(it, m.end());
    EXPECT_EQ(it->second, u);
  });
  EXPECT_EQ(seen, m.size());
}

} // namespace

TEST(UseTable, KeepsTheFirstUseOfAPairAndReturnsItToTheSecond) {
  UseTable t;
  const UseTable::Key k{TokenId{7, 9}, 2};
  const auto [first, added] = t.try_emplace(k, use(1, 5, 100));
  EXPECT_TRUE(added);
  EXPECT_EQ(first, use(1, 5, 100));
  const auto [held, again] = t.try_emplace(k, use(3, 8, 100));
  EXPECT_FALSE(again);
  EXPECT_EQ(held, use(1, 5, 100)) << "the clone is told the first record, not its own";
  EXPECT_EQ(t.size(), 1u);
  // Another counter of the token, and the same counter of another token, are other pairs.
  EXPECT_TRUE(t.try_emplace(UseTable::Key{TokenId{7, 9}, 3}, use(1, 6, 100)).second);
  EXPECT_TRUE(t.try_emplace(UseTable::Key{TokenId{9, 7}, 2}, use(1, 7, 100)).second);
  EXPECT_TRUE(t.try_emplace(UseTable::Key{TokenId{7, 9}, 0}, use(1, 8, 100)).second)
      << "counter 0 (over the limit) is a pair like any other";
  EXPECT_EQ(t.size(), 4u);
  EXPECT_FALSE(t.find(UseTable::Key{TokenId{7, 10}, 2}).has_value());
}

TEST(UseTable, AgreesWithAMapThroughGrowthAndForgetting) {
  std::mt19937_64 rng(42);
  UseTable t;
  Model m;
  uint64_t seq = 0;
  for (int round = 0; round < 4; ++round) {
    for (int i = 0; i < 50'000; ++i) {
      // Few distinct tokens per round so pairs repeat (clones) as well as grow the table.
      const TokenId token{rng() % 20'000, static_cast<uint64_t>(round)};
      const auto counter = static_cast<uint16_t>(1 + rng() % 3);
      const UseTable::FirstUse u = use(static_cast<uint32_t>(rng() % 50), ++seq, round * 100 + 50);
      const auto [held, added] = t.try_emplace(UseTable::Key{token, counter}, u);
      const auto [it, model_added] = m.try_emplace({token.hi, token.lo, counter}, u);
      ASSERT_EQ(added, model_added);
      ASSERT_EQ(held, it->second);
    }
    expect_same(t, m);
    // Forget the uses of tokens expired before this round's: the older rounds' entries go.
    const Time cutoff = Time::epoch() + Duration::seconds(round * 100);
    const size_t removed = t.erase_if(
        [&](const UseTable::Key&, const UseTable::FirstUse& u) { return u.expires_at < cutoff; });
    const size_t model_removed =
        std::erase_if(m, [&](const auto& e) { return e.second.expires_at < cutoff; });
    EXPECT_EQ(removed, model_removed);
    expect_same(t, m);
  }
}

TEST(UseTable, ForgettingInPlaceSeesEachEntryOnceAndKeepsTheRestFindable) {
  // Full to the 4/5 bound, so probe runs are long and some wrap around the table's end.
  UseTable t;
  Model m;
  std::mt19937_64 rng(7);
  for (uint64_t i = 1; t.size() < 819; ++i) {
    const UseTable::Key k{TokenId{rng(), rng()}, static_cast<uint16_t>(i % 5)};
    const UseTable::FirstUse u = use(1, i, static_cast<int64_t>(i % 2));
    ASSERT_TRUE(t.try_emplace(k, u).second);
    m.emplace(std::tuple{k.token.hi, k.token.lo, k.counter}, u);
  }
  ASSERT_EQ(t.slot_count(), 1024u);
  std::map<std::tuple<uint64_t, uint64_t, uint16_t>, int> seen;
  const size_t removed = t.erase_if([&](const UseTable::Key& k, const UseTable::FirstUse& u) {
    ++seen[{k.token.hi, k.token.lo, k.counter}];
    return u.expires_at == Time::epoch(); // every other entry
  });
  EXPECT_EQ(seen.size(), 819u);
  for (const auto& [k, n] : seen) {
    EXPECT_EQ(n, 1) << "an entry was judged twice";
  }
  const size_t model_removed =
      std::erase_if(m, [](const auto& e) { return e.second.expires_at == Time::epoch(); });
  EXPECT_EQ(removed, model_removed);
  expect_same(t, m);
}

TEST(UseTable, TablesWithTheSameEntriesAreEqualWhateverTheOrderBuilt) {
  UseTable a;
  UseTable b;
  for (uint64_t i = 1; i <= 1000; ++i) {
    ASSERT_TRUE(a.try_emplace(UseTable::Key{TokenId{i, i}, 1}, use(1, i, 10)).second);
  }
  for (uint64_t i = 1000; i >= 1; --i) {
    ASSERT_TRUE(b.try_emplace(UseTable::Key{TokenId{i, i}, 1}, use(1, i, 10)).second);
  }
  EXPECT_TRUE(a == b);
  UseTable c = b;
  c.erase_if([](const UseTable::Key& k, const UseTable::FirstUse&) { return k.token.hi == 500; });
  EXPECT_FALSE(a == c);
  ASSERT_TRUE(c.try_emplace(UseTable::Key{TokenId{500, 500}, 1}, use(2, 500, 10)).second);
  EXPECT_FALSE(a == c) << "same pairs, another first record";
}

TEST(UseTable, PacksTheLargestSequenceAndCounterAndRoundsExpiryUpToTheSecond) {
  UseTable t;
  const UseTable::Key big{TokenId{1, 2}, UINT16_MAX};
  const UseTable::FirstUse exact{RecordId{ValidatorId(UINT32_MAX), kMaxRecordSequence},
                                 Time::from_us(1'500'001)};
  const auto [held, added] = t.try_emplace(big, exact);
  ASSERT_TRUE(added);
  EXPECT_EQ(held.record, exact.record);
  EXPECT_EQ(held.expires_at, Time::from_us(2'000'000)) << "kept longer, never forgotten early";
  EXPECT_EQ(t.find(big), held);
  EXPECT_FALSE(t.find(UseTable::Key{TokenId{1, 2}, UINT16_MAX - 1}).has_value());
  // Never-expiring tokens stay never-expiring; whole seconds stay exact; before the epoch clamps
  // to it (later, so still never early).
  const UseTable::Key never{TokenId{3, 4}, 1};
  EXPECT_EQ(t.try_emplace(never, UseTable::FirstUse{RecordId{ValidatorId(1), 1}, Time::max()})
                .first.expires_at,
            Time::max());
  EXPECT_EQ(t.try_emplace(UseTable::Key{TokenId{5, 6}, 1}, use(1, 2, 86'400)).first,
            use(1, 2, 86'400));
  EXPECT_EQ(t.try_emplace(UseTable::Key{TokenId{7, 8}, 1},
                          UseTable::FirstUse{RecordId{ValidatorId(1), 3}, Time::from_us(-5)})
                .first.expires_at,
            Time::epoch());
  EXPECT_EQ(t.size(), 4u);
}
