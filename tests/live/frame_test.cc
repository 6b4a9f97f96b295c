#include "live/frame.h"

#include <gtest/gtest.h>

namespace hcesim::live {
namespace {

std::span<const uint8_t> bytes_of(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

TEST(FrameReader, ReassemblesFramesFedOneByteAtATime) {
  const std::string wire = make_frame("hello") + make_frame("world!");
  FrameReader reader(100);
  std::vector<std::string> got;
  for (char c : wire) {
    ASSERT_TRUE(reader.feed(bytes_of(std::string(1, c))).ok());
    while (auto f = reader.next()) {
      got.push_back(*f);
    }
  }
  EXPECT_EQ(got, (std::vector<std::string>{"hello", "world!"}));
  EXPECT_EQ(reader.buffered(), 0u);
}

TEST(FrameReader, RefusesAFrameClaimingFourGibibytesFromItsHeaderAlone) {
  FrameReader reader(1000);
  const std::string header("\xff\xff\xff\xff", 4);
  const auto r = reader.feed(bytes_of(header));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().what.find("4294967295 bytes exceeds the limit of 1000"), std::string::npos)
      << r.error().what;
  EXPECT_TRUE(reader.failed());
  EXPECT_FALSE(reader.feed(bytes_of(make_frame("x"))).ok()); // stays failed
}

TEST(FrameReader, RefusesAnEmptyFrame) {
  FrameReader reader(1000);
  const auto r = reader.feed(bytes_of(std::string(4, '\0')));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().what.find("empty frame"), std::string::npos);
}

TEST(FrameReader, AcceptsAFrameExactlyAtTheLimitAndRefusesOneByteMore) {
  FrameReader ok_reader(8);
  ASSERT_TRUE(ok_reader.feed(bytes_of(make_frame(std::string(8, 'a')))).ok());
  EXPECT_EQ(ok_reader.next(), std::string(8, 'a'));
  FrameReader big(8);
  EXPECT_FALSE(big.feed(bytes_of(make_frame(std::string(9, 'a')))).ok());
}

TEST(FrameReader, ReturnsAGoodFrameThenFailsOnAnOversizedOneBehindIt) {
  FrameReader reader(8);
  std::string wire = make_frame("ok");
  wire += std::string("\x00\x00\x01\x00", 4);
  // The oversized header is already in the same read: the feed itself reports it.
  EXPECT_FALSE(reader.feed(bytes_of(wire)).ok() && reader.next() && reader.next());
  EXPECT_TRUE(reader.failed());
}

} // namespace
} // namespace hcesim::live
