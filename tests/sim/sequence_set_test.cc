// SequenceSet against std::set on random inserts and erases (growth, probe chains that wrap
// around the array, and backward-shift erasure in the middle of chains).
#include "sim/random_stream.h"
#include "sim/sequence_set.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <set>

using namespace hcesim::sim;

TEST(SequenceSet, AgreesWithAReferenceSetOnRandomInsertsAndErases) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    RandomStream rng(seed, Purpose::kEngine, 0xE2);
    SequenceSet set;
    std::set<uint64_t> reference;
    // A small key range forces repeats, long probe chains and erasures inside them.
    const uint64_t range = 1 + rng.uniform_int(3000);
    for (int op = 0; op < 20'000; ++op) {
      const uint64_t seq = 1 + rng.uniform_int(range);
      if (rng.uniform_int(100) < 55) {
        ASSERT_EQ(set.insert(seq), reference.insert(seq).second) << "seed " << seed;
      } else {
        ASSERT_EQ(set.erase(seq), reference.erase(seq) != 0) << "seed " << seed;
      }
      ASSERT_EQ(set.size(), reference.size()) << "seed " << seed;
    }
    for (const uint64_t seq : reference) {
      ASSERT_TRUE(set.erase(seq)) << "seed " << seed << " seq " << seq;
    }
    EXPECT_TRUE(set.empty());
    EXPECT_FALSE(set.erase(1));
  }
}
