#include "live/request_auth.h"

#include <gtest/gtest.h>

namespace hcesim::live {
namespace {

const Key128 kMaster{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
const Time kNow = Time::from_us(1'800'000'000'000'000);

proto::Envelope envelope(uint64_t device, uint64_t counter, const Key128& key) {
  proto::Envelope e;
  e.set_kind(proto::REQUEST_TOKENS);
  e.set_principal_kind(proto::PRINCIPAL_DEVICE);
  e.set_principal(device);
  e.set_body("body");
  sign(e, counter, key);
  return e;
}

struct RequestAuth : ::testing::Test {
  RequestAuthenticator auth{kMaster, Duration::minutes(2)};
  Key128 key = principal_key(kMaster, proto::PRINCIPAL_DEVICE, 7);
};

TEST_F(RequestAuth, AcceptsASignedRequestOnceAndRefusesItsReplay) {
  const auto e = envelope(7, static_cast<uint64_t>(kNow.us()), key);
  EXPECT_EQ(auth.check(e, kNow), AuthVerdict::kAccepted);
  EXPECT_EQ(auth.check(e, kNow), AuthVerdict::kReplayed);
  EXPECT_EQ(auth.check(envelope(7, static_cast<uint64_t>(kNow.us()) - 1, key), kNow),
            AuthVerdict::kReplayed);
  EXPECT_EQ(auth.check(envelope(7, static_cast<uint64_t>(kNow.us()) + 1, key), kNow),
            AuthVerdict::kAccepted);
}

TEST_F(RequestAuth, RefusesAnotherDevicesKeyATamperedBodyAndAShortMac) {
  const Key128 other = principal_key(kMaster, proto::PRINCIPAL_DEVICE, 8);
  EXPECT_EQ(auth.check(envelope(7, static_cast<uint64_t>(kNow.us()), other), kNow),
            AuthVerdict::kBadMac);
  auto e = envelope(7, static_cast<uint64_t>(kNow.us()), key);
  e.set_body("bodY");
  EXPECT_EQ(auth.check(e, kNow), AuthVerdict::kBadMac);
  e.set_mac("short");
  EXPECT_EQ(auth.check(e, kNow), AuthVerdict::kMalformed);
  // A refused request did not move the counter: the genuine one still passes.
  EXPECT_EQ(auth.check(envelope(7, static_cast<uint64_t>(kNow.us()), key), kNow),
            AuthVerdict::kAccepted);
}

TEST_F(RequestAuth, RefusesACounterOutsideTheWindow) {
  const auto old = static_cast<uint64_t>((kNow - Duration::minutes(3)).us());
  EXPECT_EQ(auth.check(envelope(7, old, key), kNow), AuthVerdict::kOutsideWindow);
}

TEST_F(RequestAuth, DeviceAndValidatorWithTheSameIdHaveDifferentKeys) {
  EXPECT_NE(principal_key(kMaster, proto::PRINCIPAL_DEVICE, 7),
            principal_key(kMaster, proto::PRINCIPAL_VALIDATOR, 7));
}

} // namespace
} // namespace hcesim::live
