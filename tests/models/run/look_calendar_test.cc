// The background looks' calendar: each look kept comes out once, in its own minute and in the
// order added, and minutes already fed take no more.
#include "models/run/look_calendar.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <utility>
#include <vector>

namespace hcesim::models {
namespace {

std::vector<uint32_t> feed(LookCalendar& c) {
  std::vector<uint32_t> out;
  c.feed_next([&](uint32_t rider) { out.push_back(rider); });
  return out;
}

TEST(LookCalendar, EachLookComesOutInItsOwnMinuteInTheOrderAdded) {
  LookCalendar c; // minutes 0 and 1 fed: the first feed is minute 2
  EXPECT_TRUE(c.fed(119));
  EXPECT_FALSE(c.fed(120));
  c.add(7, 185);  // minute 3
  c.add(5, 121);  // minute 2
  c.add(9, 179);  // minute 2
  c.add(4, 3600); // minute 60, far ahead
  EXPECT_EQ(c.size(), 4u);
  EXPECT_EQ(feed(c), (std::vector<uint32_t>{5, 9}));
  EXPECT_EQ(c.fed_through(), 2);
  EXPECT_TRUE(c.fed(179));
  EXPECT_THROW(c.add(1, 150), std::logic_error); // its minute has gone to the queue
  EXPECT_EQ(feed(c), (std::vector<uint32_t>{7}));
  for (int m = 4; m < 60; ++m) {
    EXPECT_TRUE(feed(c).empty()) << m;
  }
  EXPECT_EQ(feed(c), (std::vector<uint32_t>{4}));
  EXPECT_EQ(c.size(), 0u);
  // Empty again: a later add starts from the next minute to feed.
  c.add(2, 61 * 60 + 30);
  EXPECT_EQ(feed(c), (std::vector<uint32_t>{2}));
}

} // namespace
} // namespace hcesim::models
