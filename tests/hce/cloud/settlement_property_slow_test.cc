// The cloud services' property tests at size: thousands of random histories (the quick suite
// runs a few hundred).
#include "properties.h"

namespace hcesim::cloud::testing {
namespace {

TEST(CloudPropertiesAtSize, ThousandsOfHistoriesSettleEveryTapOnceWhateverTheArrivalOrder) {
  for (uint64_t seed = 10'000; seed < 12'500; ++seed) {
    check_history(seed, HistoryConfig{5, 3, true, true});
    if (::testing::Test::HasFailure()) {
      return;
    }
  }
}

TEST(CloudPropertiesAtSize, WithoutTopUpsFinalBalancesAreIdenticalWhateverTheArrivalOrder) {
  for (uint64_t seed = 20'000; seed < 21'000; ++seed) {
    check_history(seed, HistoryConfig{4, 2, false, true});
    if (::testing::Test::HasFailure()) {
      return;
    }
  }
}

TEST(CloudPropertiesAtSize, CrashesInsideOperationsOfManyHistoriesLoseNothingAndDoubleNothing) {
  int crashes = 0;
  for (uint64_t seed = 40'000; seed < 40'500; ++seed) {
    crashes += check_crashes(seed, HistoryConfig{5, 3, true, true});
    if (::testing::Test::HasFailure()) {
      return;
    }
  }
  EXPECT_GT(crashes, 10);
}

TEST(CloudPropertiesAtSize, RestartsAtEveryCutPointOfManyHistoriesGiveTheSameFinalState) {
  for (uint64_t seed = 30'000; seed < 30'060; ++seed) {
    check_restarts(seed, HistoryConfig{4, 2, true, true});
    if (::testing::Test::HasFailure()) {
      return;
    }
  }
}

} // namespace
} // namespace hcesim::cloud::testing
