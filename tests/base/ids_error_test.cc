#include "base/error.h"
#include "base/ids.h"

#include <gtest/gtest.h>

#include <unordered_set>

using namespace hcesim;

TEST(StrongId, DistinctKindsDoNotMixAndHash) {
  static_assert(!std::is_convertible_v<RiderId, AccountId>);
  static_assert(!std::is_convertible_v<uint32_t, RiderId>);
  std::unordered_set<RiderId> riders{RiderId(1), RiderId(2), RiderId(1)};
  EXPECT_EQ(riders.size(), 2u);
  EXPECT_LT(StopId(3), StopId(4));
}

TEST(TokenId, PrintsAs32HexDigits) {
  TokenId t{0x0123456789abcdefULL, 0xfedcba9876543210ULL};
  EXPECT_EQ(t.to_string(), "0123456789abcdeffedcba9876543210");
}

TEST(Error, NamesItsPlace) {
  Error e{"scenario.txtpb:3:5", "unknown field \"dayz\""};
  EXPECT_EQ(e.to_string(), "scenario.txtpb:3:5: unknown field \"dayz\"");
  EXPECT_EQ((Error{"", "x"}.within("file.txt").to_string()), "file.txt: x");
  InputError all(Errors{Error{"a", "one"}, Error{"b", "two"}});
  EXPECT_STREQ(all.what(), "a: one\nb: two");
}

TEST(Result, HoldsAValueOrAnError) {
  Result<int> good = 5;
  Result<int> bad = Error{"here", "wrong"};
  EXPECT_TRUE(good.ok());
  EXPECT_EQ(*good, 5);
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().where, "here");
}

TEST(NearestName, SuggestsOnlyANearMiss) {
  const std::vector<std::string> names{"offline_limit", "lifetime", "jitter"};
  EXPECT_EQ(nearest_name("ofline_limit", names), "offline_limit");
  EXPECT_EQ(nearest_name("lifetim", names), "lifetime");
  EXPECT_EQ(nearest_name("zzzzzzzz", names), std::nullopt);
  EXPECT_EQ(nearest_name("jiter", names, 0), std::nullopt); // one edit, none allowed
  EXPECT_EQ(nearest_name("x", {}), std::nullopt);
}
