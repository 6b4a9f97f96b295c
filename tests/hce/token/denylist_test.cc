#include "hce/token/denylist.h"

#include "token_world.h"

using namespace hcesim;
using namespace hcesim::hce;
using namespace hcesim::hce::testing;

namespace {

const TokenId kT1{1, 1};
const TokenId kT2{2, 2};

} // namespace

TEST(Denylist, AppliesDeltasInVersionOrderAndRefusesStaleOnes) {
  const Key128 key = key_from(5);
  DenylistPublisher cloud(key, 16);
  Denylist gate(key, 100);
  cloud.add_token(kT1);
  cloud.add_account(AccountId(9));
  EXPECT_EQ(cloud.commit(), 1u);
  const DenylistUpdate v1 = cloud.update_for(gate.version());
  EXPECT_EQ(v1.base_version, 0u); // a new validator gets the full list
  ASSERT_EQ(gate.apply(v1), DenylistApply::kApplied);
  EXPECT_TRUE(gate.has_token(kT1));
  EXPECT_TRUE(gate.has_account(AccountId(9)));
  cloud.remove_token(kT1);
  cloud.add_token(kT2);
  EXPECT_EQ(cloud.commit(), 2u);
  const DenylistUpdate v2 = cloud.update_for(1);
  EXPECT_EQ(v2.base_version, 1u);
  EXPECT_EQ(v2.add_tokens, std::vector<TokenId>{kT2});
  EXPECT_EQ(v2.remove_tokens, std::vector<TokenId>{kT1});
  ASSERT_EQ(gate.apply(v2), DenylistApply::kApplied);
  EXPECT_FALSE(gate.has_token(kT1));
  EXPECT_TRUE(gate.has_token(kT2));
  EXPECT_TRUE(gate.has_account(AccountId(9)));
  EXPECT_EQ(gate.apply(v1), DenylistApply::kStale); // replayed old update
  EXPECT_EQ(gate.apply(v2), DenylistApply::kStale);
  EXPECT_EQ(gate.version(), 2u);
}

TEST(Denylist, RefusesADeltaOnTheWrongBaseAndAcceptsAFullListInstead) {
  const Key128 key = key_from(5);
  DenylistPublisher cloud(key, 16);
  Denylist gate(key, 100);
  cloud.add_token(kT1);
  cloud.commit();
  ASSERT_EQ(gate.apply(cloud.full_update()), DenylistApply::kApplied);
  cloud.add_token(kT2);
  cloud.commit();
  cloud.add_account(AccountId(3));
  cloud.commit();
  // The gate is at 1 (it missed version 2); a delta built for a gate at 2 must not apply.
  EXPECT_EQ(gate.apply(cloud.update_for(2)), DenylistApply::kBaseMismatch);
  EXPECT_FALSE(gate.has_account(AccountId(3)));
  ASSERT_EQ(gate.apply(cloud.full_update()), DenylistApply::kApplied);
  EXPECT_TRUE(gate.has_token(kT2));
  EXPECT_TRUE(gate.has_account(AccountId(3)));
}

TEST(Denylist, GivesAFullListWhenTheChangeLogNoLongerReachesTheValidator) {
  const Key128 key = key_from(5);
  DenylistPublisher cloud(key, /*log_versions=*/2);
  for (uint64_t i = 1; i <= 5; ++i) {
    cloud.add_account(AccountId(i));
    cloud.commit();
  }
  EXPECT_EQ(cloud.update_for(1).base_version, 0u); // versions 2, 3 fell out of the log
  EXPECT_EQ(cloud.update_for(3).base_version, 3u);
  EXPECT_EQ(cloud.update_for(3).add_accounts, (std::vector<AccountId>{AccountId(4), AccountId(5)}));
}

TEST(Denylist, RefusesAnUpdateWhoseAnyFieldWasAlteredAfterSigning) {
  const Key128 key = key_from(5);
  DenylistPublisher cloud(key, 16);
  cloud.add_token(kT1);
  cloud.add_account(AccountId(4));
  cloud.commit();
  const DenylistUpdate good = cloud.full_update();
  std::vector<DenylistUpdate> altered(6, good);
  altered[0].version = 2;
  altered[1].base_version = 7;
  altered[2].add_tokens.clear();
  altered[3].add_accounts.push_back(AccountId(5));
  altered[4].remove_tokens.push_back(kT2);
  altered[5].remove_accounts.push_back(AccountId(4));
  for (size_t i = 0; i < altered.size(); ++i) {
    Denylist gate(key, 100);
    EXPECT_EQ(gate.apply(altered[i]), DenylistApply::kForged) << i;
    EXPECT_EQ(gate.version(), 0u);
  }
  Denylist gate(key, 100);
  EXPECT_EQ(gate.apply(good), DenylistApply::kApplied);
}

TEST(Denylist, RefusesAVersionJumpBeyondTheBound) {
  const Key128 key = key_from(5);
  AesCmac mac(key);
  Denylist gate(key, 10);
  DenylistUpdate u;
  u.version = 11;
  u.mac = denylist_update_mac(mac, u);
  EXPECT_EQ(gate.apply(u), DenylistApply::kVersionJump);
  u.version = 10;
  u.mac = denylist_update_mac(mac, u);
  EXPECT_EQ(gate.apply(u), DenylistApply::kApplied);
}

TEST(IdSet, AgreesWithAnOrderedSetOnRandomIds) {
  SeededRandomSource random(3);
  std::vector<TokenId> ids;
  std::set<TokenId> reference;
  for (int i = 0; i < 500; ++i) {
    TokenId t{random.next_u64() % 64, random.next_u64() % 64}; // collisions and {0,0} included
    ids.push_back(t);
    reference.insert(t);
  }
  IdSet set;
  set.assign(ids);
  EXPECT_EQ(set.size(), reference.size());
  for (uint64_t hi = 0; hi < 64; ++hi) {
    for (uint64_t lo = 0; lo < 64; ++lo) {
      ASSERT_EQ(set.contains(TokenId{hi, lo}), reference.count(TokenId{hi, lo}) != 0);
    }
  }
}

// Ids in a small range, so inserts and erases collide, wrap around the table and hit {0,0}.
TEST(IdSet, InsertsAndErasesOneByOneLikeAnOrderedSet) {
  SeededRandomSource random(11);
  IdSet set;
  std::set<TokenId> reference;
  for (int step = 0; step < 20'000; ++step) {
    const TokenId t{random.next_u64() % 4, random.next_u64() % 300};
    // Grow early, then shrink: the table passes through many sizes and long probe runs.
    if (random.next_u64() % 100 < (step < 10'000 ? 70u : 30u)) {
      set.insert(t);
      reference.insert(t);
    } else {
      set.erase(t);
      reference.erase(t);
    }
    ASSERT_EQ(set.size(), reference.size()) << step;
    if (step % 997 == 0) {
      for (uint64_t hi = 0; hi < 4; ++hi) {
        for (uint64_t lo = 0; lo < 300; ++lo) {
          ASSERT_EQ(set.contains(TokenId{hi, lo}), reference.count(TokenId{hi, lo}) != 0)
              << step << ": " << hi << "," << lo;
        }
      }
    }
  }
  EXPECT_GT(reference.size(), 0u);
}

// A validator that follows every small delta holds the same list as one that took the full list
// at the end (the deltas change the lookup in place; the full list builds it at once).
TEST(Denylist, ManySmallDeltasGiveTheSameListAsTheFullListAtOnce) {
  const Key128 key = key_from(5);
  DenylistPublisher cloud(key, 4);
  Denylist following(key, 100);
  SeededRandomSource random(17);
  size_t deltas = 0;
  for (int version = 1; version <= 300; ++version) {
    for (int change = 0; change < 5; ++change) {
      const uint64_t r = random.next_u64();
      const TokenId t{r % 3, (r >> 8) % 200}; // {0,0} included
      const AccountId a((r >> 24) % 150);     // account 0 included
      switch ((r >> 40) % 4) {
      case 0:
        cloud.add_token(t);
        break;
      case 1:
        cloud.remove_token(t);
        break;
      case 2:
        cloud.add_account(a);
        break;
      default:
        cloud.remove_account(a);
        break;
      }
    }
    cloud.commit();
    const DenylistUpdate u = cloud.update_for(following.version());
    deltas += u.base_version != 0 ? 1U : 0U;
    ASSERT_EQ(following.apply(u), DenylistApply::kApplied) << version;
  }
  EXPECT_GT(deltas, 250u); // the check is about deltas, not repeated full lists
  Denylist at_once(key, 1000);
  ASSERT_EQ(at_once.apply(cloud.full_update()), DenylistApply::kApplied);
  EXPECT_EQ(following.version(), at_once.version());
  EXPECT_EQ(following.size(), at_once.size());
  size_t listed = 0;
  for (uint64_t hi = 0; hi < 3; ++hi) {
    for (uint64_t lo = 0; lo < 200; ++lo) {
      const TokenId t{hi, lo};
      ASSERT_EQ(following.has_token(t), cloud.has_token(t)) << hi << "," << lo;
      ASSERT_EQ(at_once.has_token(t), cloud.has_token(t)) << hi << "," << lo;
      listed += cloud.has_token(t) ? 1U : 0U;
    }
  }
  for (uint64_t a = 0; a < 150; ++a) {
    ASSERT_EQ(following.has_account(AccountId(a)), cloud.has_account(AccountId(a))) << a;
    ASSERT_EQ(at_once.has_account(AccountId(a)), cloud.has_account(AccountId(a))) << a;
    listed += cloud.has_account(AccountId(a)) ? 1U : 0U;
  }
  EXPECT_EQ(following.size(), listed);
  EXPECT_GT(listed, 0u);
}
