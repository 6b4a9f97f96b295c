#include "hce/random_source.h"
#include "hce/token/record_store.h"
#include "hce/token/replay_memory.h"

#include <gtest/gtest.h>

#include <deque>
#include <set>
#include <stdexcept>

using namespace hcesim;
using namespace hcesim::hce;

TEST(ReplayMemory, RemembersTheLastCapacityPairsAndForgetsTheOldest) {
  ReplayMemory m(3);
  for (uint16_t c = 1; c <= 4; ++c) {
    m.insert(TokenId{1, 2}, c);
  }
  EXPECT_EQ(m.size(), 3u);
  EXPECT_FALSE(m.contains(TokenId{1, 2}, 1));
  EXPECT_TRUE(m.contains(TokenId{1, 2}, 2));
  EXPECT_TRUE(m.contains(TokenId{1, 2}, 4));
  EXPECT_FALSE(m.contains(TokenId{1, 3}, 4));
}

TEST(ReplayMemory, AgreesWithAReferenceWindowUnderHeavyCollisions) {
  // Few distinct token ids and a small table force long probe chains and backward shifts.
  SeededRandomSource random(9);
  ReplayMemory m(50);
  std::deque<std::pair<TokenId, uint16_t>> window;
  std::set<std::pair<TokenId, uint16_t>> in_window;
  for (int i = 0; i < 20'000; ++i) {
    const TokenId t{random.next_u64() % 4, random.next_u64() % 4};
    const auto c = static_cast<uint16_t>(random.next_u64() % 40);
    const bool expected = in_window.count({t, c}) != 0;
    ASSERT_EQ(m.contains(t, c), expected) << i;
    if (!expected) {
      m.insert(t, c);
      window.emplace_back(t, c);
      in_window.insert({t, c});
      if (window.size() > 50) {
        in_window.erase(window.front());
        window.pop_front();
      }
    }
  }
}

TEST(ReplayMemory, RefusesACapacityOutsideItsRange) {
  EXPECT_THROW(ReplayMemory(0), std::invalid_argument);
  EXPECT_THROW(ReplayMemory(ReplayMemory::kMaxCapacity + 1), std::invalid_argument);
  EXPECT_NO_THROW(ReplayMemory(1));
}

TEST(ReplayMemory, AFullMemoryHoldsAboutTwentySixBytesAPair) {
  // Thousands of validators each hold one: the budget is the ring (18 B a pair) plus the table
  // (4 B a slot, at most 3/4 full: 4,096 pairs in 8,192 slots).
  for (const size_t capacity : {size_t{4096}, size_t{5000}}) {
    ReplayMemory m(capacity);
    for (uint64_t i = 0; i < 3 * capacity; ++i) {
      m.insert(TokenId{i, i * 7}, static_cast<uint16_t>(1 + i % 3));
    }
    EXPECT_EQ(m.size(), capacity);
    EXPECT_LE(m.heap_bytes(), capacity * 27) << capacity;
    EXPECT_TRUE(m.contains(TokenId{3 * capacity - 1, (3 * capacity - 1) * 7},
                           static_cast<uint16_t>(1 + (3 * capacity - 1) % 3)));
    EXPECT_FALSE(m.contains(TokenId{0, 0}, 1));
  }
}

TEST(RecordStore, FreesOnlyTheAcknowledgedPrefixInOrder) {
  RecordStore s(3);
  for (uint64_t q = 1; q <= 3; ++q) {
    TapRecord r;
    r.sequence = q;
    s.push(r);
  }
  EXPECT_TRUE(s.full());
  EXPECT_EQ(s.acknowledge(std::vector<uint64_t>{2}), 1u);
  EXPECT_TRUE(s.full()); // 1 still holds the front
  EXPECT_EQ(s.unacknowledged(), 2u);
  EXPECT_EQ(s.acknowledge(std::vector<uint64_t>{1, 7, 0}), 1u);
  EXPECT_EQ(s.size(), 1u);
  const auto left = s.oldest_unacknowledged(10);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].sequence, 3u);
  TapRecord r4;
  r4.sequence = 4;
  s.push(r4);
  EXPECT_EQ(s.oldest_unacknowledged(1)[0].sequence, 3u);
}

TEST(RecordStore, GrowsWithUseAndKeepsOrderAcrossGrowth) {
  RecordStore s(100);
  uint64_t next = 1;
  // Interleave pushes and acks so the ring wraps before each growth.
  for (int round = 0; round < 10; ++round) {
    for (int i = 0; i < 9; ++i) {
      TapRecord r;
      r.sequence = next++;
      s.push(r);
    }
    const auto oldest = s.oldest_unacknowledged(2);
    std::vector<uint64_t> ack;
    for (const auto& r : oldest) {
      ack.push_back(r.sequence);
    }
    s.acknowledge(ack);
  }
  const auto left = s.oldest_unacknowledged(1000);
  ASSERT_EQ(left.size(), 70u);
  for (size_t i = 0; i < left.size(); ++i) {
    EXPECT_EQ(left[i].sequence, 21 + i);
  }
}

TEST(RecordStore, GivesBackMemoryAsAcknowledgementsEmptyIt) {
  RecordStore s(100'000);
  uint64_t next = 1;
  auto push = [&](int n) {
    for (int i = 0; i < n; ++i) {
      TapRecord r;
      r.sequence = next++;
      s.push(r);
    }
  };
  auto ack_oldest = [&](size_t n) {
    std::vector<uint64_t> ack;
    for (const auto& r : s.oldest_unacknowledged(n)) {
      ack.push_back(r.sequence);
    }
    s.acknowledge(ack);
  };
  push(1000); // a busy hour
  const size_t busy = s.heap_bytes();
  EXPECT_GE(busy, 1000 * sizeof(TapRecord));
  ack_oldest(990); // ten left, the ring wrapped nowhere yet
  EXPECT_LE(s.heap_bytes(), busy / 4);
  push(5); // and it keeps their order across the shrink
  const auto left = s.oldest_unacknowledged(100);
  ASSERT_EQ(left.size(), 15u);
  for (size_t i = 0; i < left.size(); ++i) {
    EXPECT_EQ(left[i].sequence, 991 + i);
  }
  ack_oldest(15);
  EXPECT_EQ(s.size(), 0u);
  EXPECT_EQ(s.heap_bytes(), 0u); // an emptied store holds nothing
  push(1);
  EXPECT_EQ(s.oldest_unacknowledged(5).at(0).sequence, 1006u);
}

TEST(ReplayMemory, ForgetsWholeBlocksOfExpiredPairsOldestFirstAndGivesBackTheRoom) {
  ReplayMemory m(100'000);
  const auto expiry = [](uint64_t i) { return Time::epoch() + Duration::seconds(int64_t(i)); };
  for (uint64_t i = 0; i < 1000; ++i) { // the i-th pair's token expires at i s
    m.insert(TokenId{i, 1}, 1, expiry(i));
  }
  const size_t full = m.heap_bytes();
  // Blocks 0..6 (pairs 0..447) all expired before 500.5 s; block 7 (448..511) has 511: it stays.
  EXPECT_EQ(m.forget_expired(expiry(500) + Duration::millis(500)), 448u);
  EXPECT_EQ(m.size(), 552u);
  EXPECT_FALSE(m.contains(TokenId{447, 1}, 1));
  EXPECT_TRUE(m.contains(TokenId{448, 1}, 1)); // expired, but its block holds an unexpired one
  EXPECT_TRUE(m.contains(TokenId{999, 1}, 1));
  EXPECT_EQ(m.forget_expired(expiry(500)), 0u); // nothing older is left
  // Everything expired: the filling block (960..999) stays; the room goes back.
  EXPECT_EQ(m.forget_expired(expiry(5000)), 512u);
  EXPECT_EQ(m.size(), 40u);
  EXPECT_LT(m.heap_bytes(), full / 4);
  for (uint64_t i = 0; i < 1000; ++i) {
    EXPECT_EQ(m.contains(TokenId{i, 1}, 1), i >= 960) << i;
  }
  // It goes on as before after giving back: positions, growth and the oldest-first order.
  for (uint64_t i = 1000; i < 3000; ++i) {
    m.insert(TokenId{i, 1}, 1, Time::max()); // never expires: never forgotten by expiry
  }
  // 960..999 shared their block with 1000..1023, which never expire: nothing can go.
  EXPECT_EQ(m.forget_expired(Time::max()), 0u);
  EXPECT_EQ(m.size(), 2040u);
  for (uint64_t i = 900; i < 3000; ++i) {
    EXPECT_EQ(m.contains(TokenId{i, 1}, 1), i >= 960) << i;
  }
}

TEST(ReplayMemory, ForgettingByExpiryAndByCapacityTogetherKeepTheNewestPairs) {
  // A full memory evicts one pair at a time from its oldest block; expiry takes whole blocks.
  SeededRandomSource random(3);
  ReplayMemory m(300);
  std::deque<std::pair<uint64_t, Time>> held; // oldest first: token id, expiry
  Time now = Time::epoch();
  for (uint64_t i = 0; i < 20'000; ++i) {
    now = now + Duration::seconds(1);
    const Time expires = now + Duration::seconds(int64_t(random.next_u64() % 600));
    m.insert(TokenId{i, 5}, 2, expires);
    held.emplace_back(i, expires);
    if (held.size() > 300) {
      held.pop_front();
    }
    if (i % 97 == 0) {
      m.forget_expired(now);
      // Whatever it forgot was oldest and expired; it never forgot an unexpired pair.
      while (!held.empty() && !m.contains(TokenId{held.front().first, 5}, 2)) {
        ASSERT_LT(held.front().second, now) << held.front().first;
        held.pop_front();
      }
      ASSERT_EQ(m.size(), held.size()) << i;
      for (const auto& [id, t] : held) {
        ASSERT_TRUE(m.contains(TokenId{id, 5}, 2)) << id;
      }
    }
  }
}
