#include "hce/token/settlement_check.h"

#include "token_world.h"

using namespace hcesim;
using namespace hcesim::hce;
using namespace hcesim::hce::testing;

namespace {

struct Settlement {
  TokenWorld& w;
  SettlementChecker checker{w.keys, line_distance};
  explicit Settlement(TokenWorld& world) : w(world) {}
};

} // namespace

TEST(SettlementCheck, PassesAnHonestTapWithItsFactsAndNoFlags) {
  TokenWorld w;
  auto wallet = w.rider(1, 11, kT0);
  auto v = w.validator(5, 7);
  ASSERT_TRUE(w.tap(*v, *wallet, kT0 + Duration::minutes(3), TapKind::kEntry).accepted());
  Settlement s(w);
  const auto checked = s.checker.check(v->make_batch(10), kT0 + Duration::hours(1));
  ASSERT_EQ(checked.size(), 1u);
  const CheckedTap& c = checked[0];
  EXPECT_EQ(c.flags, 0u) << flags_to_string(c.flags);
  EXPECT_EQ(c.record, (RecordId{ValidatorId(5), 1}));
  EXPECT_EQ(c.account, AccountId(1));
  EXPECT_EQ(c.device, DeviceId(11));
  EXPECT_EQ(c.counter, 1);
  EXPECT_EQ(c.tap_time, kT0 + Duration::minutes(3));
  EXPECT_EQ(c.uploaded_at, kT0 + Duration::hours(1));
  EXPECT_EQ(c.stop, StopId(7));
  EXPECT_EQ(c.kind, TapKind::kEntry);
  EXPECT_EQ(c.token, wallet->tokens()[0].token.header.id);
}

TEST(SettlementCheck, SettlesARepeatedRecordOnceAndFlagsTheRepeatAsDuplicate) {
  TokenWorld w;
  auto wallet = w.rider(1, 11, kT0);
  auto v = w.validator(5);
  ASSERT_TRUE(w.tap(*v, *wallet, kT0).accepted());
  Settlement s(w);
  const TapBatch b = v->make_batch(10);
  EXPECT_EQ(s.checker.check(b, kT0)[0].flags, 0u);
  const auto again = s.checker.check(b, kT0); // the ack was lost; the validator sent it again
  EXPECT_EQ(again[0].flags, static_cast<uint32_t>(kFlagDuplicate));
}

TEST(SettlementCheck, SettlesOutOfOrderRecordsOnceAndFlagsEveryResend) {
  TokenWorld w;
  auto wallet = w.rider(1, 11, kT0);
  auto v = w.validator(5);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(w.tap(*v, *wallet, kT0 + Duration::minutes(i)).accepted());
  }
  const TapBatch b = v->make_batch(10); // sequences 1, 2, 3
  ASSERT_EQ(b.records.size(), 3u);
  const Time up = kT0 + Duration::hours(1);
  Settlement s(w);
  auto duplicate = [&](SettlementChecker& c, size_t i) {
    return c.check(b.records[i], up).has(kFlagDuplicate);
  };
  EXPECT_FALSE(duplicate(s.checker, 2)); // 3 first: held above the gap
  EXPECT_TRUE(duplicate(s.checker, 2));
  EXPECT_FALSE(duplicate(s.checker, 0)); // 1 in order
  EXPECT_TRUE(duplicate(s.checker, 0));
  EXPECT_FALSE(duplicate(s.checker, 1)); // 2 fills the gap
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_TRUE(duplicate(s.checker, i)) << i;
  }
  const SettlementState::ValidatorSeen& seen = s.checker.state().validators.at(ValidatorId(5));
  EXPECT_EQ(seen.settled_through, 3u);
  EXPECT_TRUE(seen.above.empty());
  // A restored state holding the next sequence above the prefix (no checker makes one, a decoder
  // may): that record was checked already, so it is a re-send.
  SettlementState odd;
  odd.validators[ValidatorId(5)].settled_through = 1;
  odd.validators[ValidatorId(5)].above = {2};
  SettlementChecker restored(w.keys, line_distance);
  restored.restore(odd);
  EXPECT_TRUE(duplicate(restored, 1));
  EXPECT_FALSE(duplicate(restored, 2));
}

TEST(SettlementCheck, FlagsAnOverLimitCounter) {
  TokenWorld w;
  w.policy.offline_limit = 1;
  auto wallet = w.rider(1, 11, kT0);
  TapRecord rec;
  rec.validator = ValidatorId(5);
  rec.sequence = 1;
  rec.challenge = TapChallenge{ValidatorId(5), kT0, 99, TapKind::kFlat};
  rec.response = forge_answer(wallet->tokens()[0].token, rec.challenge, 2);
  Settlement s(w);
  EXPECT_EQ(s.checker.check(rec, kT0).flags, static_cast<uint32_t>(kFlagOverLimit));
}

TEST(SettlementCheck, FlagsTapTimesOutsideIssueAndUploadBoundsAndAfterExpiry) {
  TokenWorld w;
  w.policy.offline_limit = 10;
  auto wallet = w.rider(1, 11, kT0);
  const GrantedToken t = wallet->tokens()[0].token;
  Settlement s(w);
  const Duration skew = SettlementConfig{}.clock_skew_tolerance;
  uint64_t seq = 0;
  auto flags_at = [&](Time tap, Time upload, uint16_t counter) {
    TapRecord rec;
    rec.validator = ValidatorId(static_cast<uint32_t>(100 + seq)); // separate sequences
    rec.sequence = ++seq;
    rec.challenge = TapChallenge{rec.validator, tap, seq, TapKind::kFlat};
    rec.response = forge_answer(t, rec.challenge, counter);
    return s.checker.check(rec, upload).flags;
  };
  EXPECT_EQ(flags_at(kT0 - skew - Duration::micros(1), kT0, 1), kFlagTimeOutOfBounds);
  EXPECT_EQ(
      flags_at(kT0 + Duration::hours(2) + skew + Duration::micros(1), kT0 + Duration::hours(2), 2),
      kFlagTimeOutOfBounds);
  EXPECT_EQ(flags_at(kT0 + Duration::hours(2) + skew, kT0 + Duration::hours(2), 3), 0u);
  EXPECT_EQ(flags_at(t.header.expires_at + skew + Duration::micros(1),
                     t.header.expires_at + Duration::hours(1), 4),
            kFlagExpiredAtTap);
}

TEST(SettlementCheck, FlagsTimeRunningBackwardsWithinOneValidatorsSequence) {
  TokenWorld w;
  w.policy.offline_limit = 10;
  auto wallet = w.rider(1, 11, kT0);
  auto v = w.validator(5);
  ASSERT_TRUE(w.tap(*v, *wallet, kT0 + Duration::minutes(10)).accepted());
  ASSERT_TRUE(w.tap(*v, *wallet, kT0 + Duration::minutes(5)).accepted()); // clock set back
  ASSERT_TRUE(w.tap(*v, *wallet, kT0 + Duration::minutes(6)).accepted());
  Settlement s(w);
  const auto c = s.checker.check(v->make_batch(10), kT0 + Duration::hours(1));
  EXPECT_EQ(c[0].flags, 0u);
  EXPECT_EQ(c[1].flags, static_cast<uint32_t>(kFlagTimeBackwards));
  EXPECT_EQ(c[2].flags, 0u);
}

TEST(SettlementCheck, FlagsImpossibleTravelButNotAPlausibleRide) {
  TokenWorld w;
  w.policy.offline_limit = 10;
  auto wallet = w.rider(1, 11, kT0);
  auto near = w.validator(1, /*stop=*/1);
  auto far = w.validator(2, /*stop=*/61); // 60 km away
  auto next = w.validator(3, /*stop=*/3); // 2 km away
  ASSERT_TRUE(w.tap(*near, *wallet, kT0).accepted());
  ASSERT_TRUE(w.tap(*next, *wallet, kT0 + Duration::minutes(10)).accepted()); // 2 km in 10 min
  ASSERT_TRUE(w.tap(*far, *wallet, kT0 + Duration::minutes(11)).accepted());  // 58 km in 1 min
  Settlement s(w);
  const Time up = kT0 + Duration::hours(1);
  EXPECT_EQ(s.checker.check(near->make_batch(10), up)[0].flags, 0u);
  EXPECT_EQ(s.checker.check(next->make_batch(10), up)[0].flags, 0u);
  EXPECT_EQ(s.checker.check(far->make_batch(10), up)[0].flags,
            static_cast<uint32_t>(kFlagImpossibleTravel));
}

TEST(SettlementCheck, StateSnapshotRestoresTheSameDecisions) {
  TokenWorld w;
  auto wallet = w.rider(1, 11, kT0);
  auto v = w.validator(5);
  ASSERT_TRUE(w.tap(*v, *wallet, kT0).accepted());
  const TapBatch b = v->make_batch(10);
  Settlement s(w);
  s.checker.check(b, kT0);
  const SettlementState saved = s.checker.state();
  SettlementChecker restarted(w.keys, line_distance);
  restarted.restore(saved);
  EXPECT_EQ(restarted.state(), saved);
  EXPECT_EQ(restarted.check(b, kT0)[0].flags, static_cast<uint32_t>(kFlagDuplicate));
}

TEST(SettlementCheck, ForgettingExpiredTokensBoundsMemory) {
  TokenWorld w;
  auto wallet = w.rider(1, 11, kT0);
  auto v = w.validator(5);
  ASSERT_TRUE(w.tap(*v, *wallet, kT0).accepted());
  Settlement s(w);
  s.checker.check(v->make_batch(10), kT0);
  EXPECT_EQ(s.checker.state().uses.size(), 1u);
  EXPECT_EQ(s.checker.state().travel.size(), 1u);
  s.checker.forget_before(kT0 + Duration::days(3));
  EXPECT_TRUE(s.checker.state().uses.empty());
  EXPECT_TRUE(s.checker.state().travel.empty());
}

TEST(SettlementCheck, ForgetsInStepsAndAfterARestoreAsAFullScanWould) {
  TokenWorld w;
  auto early = w.rider(1, 11, kT0);
  auto late = w.rider(2, 12, kT0 + Duration::hours(10));
  auto v = w.validator(5);
  ASSERT_TRUE(w.tap(*v, *early, kT0).accepted());
  ASSERT_TRUE(w.tap(*v, *late, kT0 + Duration::hours(10)).accepted());
  Settlement s(w);
  s.checker.check(v->make_batch(10), kT0 + Duration::hours(11));
  ASSERT_EQ(s.checker.state().uses.size(), 2u);
  const SettlementState both = s.checker.state();
  // Nothing older yet: nothing goes.
  s.checker.forget_before(kT0);
  EXPECT_EQ(s.checker.state(), both);
  // The early sighting goes first (5 h), then the early token's use once it expired.
  s.checker.forget_before(kT0 + Duration::hours(5));
  EXPECT_EQ(s.checker.state().uses.size(), 2u);
  EXPECT_EQ(s.checker.state().travel.size(), 1u);
  EXPECT_EQ(s.checker.state().travel.count(AccountId(2)), 1u);
  const Time early_expiry = early->tokens().front().token.header.expires_at;
  s.checker.forget_before(early_expiry + Duration::minutes(30));
  ASSERT_EQ(s.checker.state().uses.size(), 1u);
  s.checker.state().uses.for_each([&](const auto& key, const auto&) {
    EXPECT_EQ(key.token, late->tokens().front().token.header.id);
  });
  // A checker restored from the earlier state forgets the same.
  SettlementChecker restored(w.keys, line_distance);
  restored.restore(both);
  restored.forget_before(early_expiry + Duration::minutes(30));
  EXPECT_EQ(restored.state(), s.checker.state());
  restored.forget_before(kT0 + Duration::days(3));
  EXPECT_TRUE(restored.state().uses.empty());
  EXPECT_TRUE(restored.state().travel.empty());
}

TEST(SettlementCheck, FlagsARecordUnderAWithdrawnKeyVersion) {
  TokenWorld w;
  auto wallet = w.rider(1, 11, kT0);
  auto v = w.validator(5);
  ASSERT_TRUE(w.tap(*v, *wallet, kT0).accepted());
  ASSERT_TRUE(w.keys.add(master_keys(2)).ok());
  ASSERT_TRUE(w.keys.make_current(2).ok());
  w.keys.withdraw(1);
  Settlement s(w);
  EXPECT_EQ(s.checker.check(v->make_batch(10), kT0)[0].flags,
            static_cast<uint32_t>(kFlagUnknownKeyVersion));
}

TEST(SettlementCheck, StateSurvivesTheJournalBytesAndEncodesDeterministically) {
  TokenWorld w;
  w.policy.offline_limit = 10;
  auto a = w.rider(1, 11, kT0);
  auto b = w.rider(2, 12, kT0);
  auto v = w.validator(5, 3);
  auto u = w.validator(6, 9);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(w.tap(*v, *a, kT0 + Duration::minutes(i)).accepted());
    ASSERT_TRUE(w.tap(*u, *b, kT0 + Duration::minutes(i)).accepted());
  }
  Settlement s(w);
  const TapBatch vb = v->make_batch(10);
  s.checker.check(vb, kT0 + Duration::hours(1));
  TapBatch ub = u->make_batch(10);
  ub.records.erase(ub.records.begin() + 1); // a gap: sequence 2 of validator 6 not yet seen
  s.checker.check(ub, kT0 + Duration::hours(1));
  SettlementState state = s.checker.state();
  // An over-limit counter 0 the checks took (its cryptograms were good) survives the snapshot.
  ASSERT_TRUE(state.uses
                  .try_emplace(SettlementState::UseKey{TokenId{4, 4}, 0},
                               SettlementState::FirstUse{RecordId{ValidatorId(5), 99}, kT0})
                  .second);
  const std::string bytes = encode(state);
  const auto decoded = decode_settlement_state(as_bytes(bytes));
  ASSERT_TRUE(decoded.ok()) << decoded.error().to_string();
  EXPECT_EQ(decoded.value(), state);
  EXPECT_EQ(encode(decoded.value()), bytes);
  for (size_t n = 0; n < bytes.size(); n += 7) {
    EXPECT_FALSE(decode_settlement_state(as_bytes(bytes).first(n)).ok()) << n;
  }
}
