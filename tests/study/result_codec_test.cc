// A result survives the trip to rank 0 bit for bit; truncated bytes are refused.
#include "study/result_codec.h"

#include <gtest/gtest.h>

#include <cmath>

namespace hcesim::study {
namespace {

TEST(ResultCodec, RoundTripsEveryField) {
  ReplicationResult r;
  r.point = 3;
  r.replication = 7;
  r.seed = 0xfeedface12345678ULL;
  r.fingerprint = 0x0123456789abcdefULL;
  r.events = 99;
  r.wall_s = 1.25;
  r.rows.push_back({"refusal_rate", "all", 0.1 + 0.2, "0.3", "share"});
  r.rows.push_back({"latency", "hour:07", std::nan(""), "null", "s"});
  r.files.push_back({"kpis.csv", std::string("a,b\n\0x", 6)});
  r.report = "run x\n";
  r.error = Error{"city", "bad"};
  const auto back = decode_result(encode_result(r));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->point, 3U);
  EXPECT_EQ(back->replication, 7U);
  EXPECT_EQ(back->seed, r.seed);
  EXPECT_EQ(back->fingerprint, r.fingerprint);
  EXPECT_EQ(back->events, 99U);
  EXPECT_EQ(back->wall_s, 1.25);
  ASSERT_EQ(back->rows.size(), 2U);
  EXPECT_EQ(back->rows[0].value, 0.1 + 0.2);
  EXPECT_TRUE(std::isnan(back->rows[1].value));
  EXPECT_EQ(back->rows[1].segment, "hour:07");
  EXPECT_EQ(back->files[0].text, r.files[0].text);
  EXPECT_EQ(back->report, r.report);
  ASSERT_TRUE(back->error.has_value());
  EXPECT_EQ(back->error->what, "bad");
}

TEST(ResultCodec, TruncatedBytesAreRefused) {
  ReplicationResult r;
  r.rows.push_back({"a", "all", 1, "1", "count"});
  const std::string bytes = encode_result(r);
  EXPECT_FALSE(decode_result(bytes.substr(0, bytes.size() - 1)).has_value());
  EXPECT_FALSE(decode_result(bytes + "x").has_value());
}

} // namespace
} // namespace hcesim::study
