#include "token_world.h"

using namespace hcesim;
using namespace hcesim::hce;
using namespace hcesim::hce::testing;

namespace {

// Answers a fresh challenge, lets `tamper` change the response, re-encodes and verifies.
template <typename F>
TapOutcome tap_with(TokenWorld& w, Validator& v, Wallet& wallet, Time now, F tamper) {
  const TapChallenge c = v.challenge(now, TapKind::kFlat, w.random);
  auto r = wallet.answer(c, now);
  EXPECT_TRUE(r.has_value());
  tamper(*r);
  const std::string bytes = encode(*r);
  return v.verify(as_bytes(bytes), now);
}

} // namespace

TEST(Validator, AcceptsAFreshTapAndStoresItsRecord) {
  TokenWorld w;
  auto wallet = w.rider(1, 11, kT0);
  auto v = w.validator(5, 42);
  const TapOutcome out = w.tap(*v, *wallet, kT0 + Duration::minutes(1), TapKind::kEntry);
  ASSERT_TRUE(out.accepted()) << to_string(out.refusal);
  EXPECT_EQ(out.sequence, 1u);
  const auto batch = v->make_batch(10);
  ASSERT_EQ(batch.records.size(), 1u);
  const TapRecord& rec = batch.records[0];
  EXPECT_EQ(rec.validator, ValidatorId(5));
  EXPECT_EQ(rec.stop, StopId(42));
  EXPECT_EQ(rec.sequence, 1u);
  EXPECT_EQ(rec.challenge.kind, TapKind::kEntry);
  EXPECT_EQ(rec.response.counter, 1);
  EXPECT_EQ(rec.response.header.account, AccountId(1));
}

TEST(Validator, RefusesBytesThatDoNotDecodeAsMalformedWithTheField) {
  TokenWorld w;
  auto v = w.validator(5);
  v->challenge(kT0, TapKind::kFlat, w.random);
  const uint8_t junk[] = {0xff, 0xff, 0xff};
  const TapOutcome out = v->verify(Bytes(junk, sizeof junk), kT0);
  EXPECT_EQ(out.refusal, TapRefusal::kMalformed);
  EXPECT_EQ(out.error.where, "TapResponse");
  EXPECT_FALSE(v->has_outstanding_challenge());
}

TEST(Validator, RefusesAnUnknownKeyVersion) {
  TokenWorld w;
  ASSERT_TRUE(w.keys.add(master_keys(2)).ok());
  ASSERT_TRUE(w.keys.make_current(2).ok()); // the cloud rotated; this validator lags
  auto wallet = w.rider(1, 11, kT0);
  auto v = w.validator(5);
  EXPECT_EQ(w.tap(*v, *wallet, kT0).refusal, TapRefusal::kUnknownKeyVersion);
}

TEST(Validator, AcceptsCurrentAndPreviousKeyVersionsInItsWindow) {
  TokenWorld w;
  auto old_wallet = w.rider(1, 11, kT0);
  ASSERT_TRUE(w.keys.add(master_keys(2)).ok());
  ASSERT_TRUE(w.keys.make_current(2).ok());
  auto new_wallet = w.rider(2, 12, kT0);
  auto v = w.validator(5);
  ASSERT_TRUE(v->install_key(2, master_keys(2).validator).ok());
  EXPECT_EQ(old_wallet->tokens()[0].token.header.key_version, 1u);
  EXPECT_EQ(new_wallet->tokens()[0].token.header.key_version, 2u);
  EXPECT_TRUE(w.tap(*v, *old_wallet, kT0).accepted());
  EXPECT_TRUE(w.tap(*v, *new_wallet, kT0).accepted());
}

TEST(Validator, RefusesAWithdrawnKeyVersionAndNeverLowersItsMinimum) {
  TokenWorld w;
  auto old_wallet = w.rider(1, 11, kT0);
  ASSERT_TRUE(w.keys.add(master_keys(2)).ok());
  ASSERT_TRUE(w.keys.make_current(2).ok());
  auto v = w.validator(5);
  ASSERT_TRUE(v->install_key(2, master_keys(2).validator).ok());
  v->raise_minimum_key_version(2);
  EXPECT_EQ(w.tap(*v, *old_wallet, kT0).refusal, TapRefusal::kWithdrawnKeyVersion);
  // Downgrade attempts: lowering the minimum is ignored, re-installing the old key is refused.
  v->raise_minimum_key_version(1);
  EXPECT_EQ(v->minimum_key_version(), 2u);
  EXPECT_FALSE(v->install_key(1, master_keys(1).validator).ok());
  EXPECT_EQ(w.tap(*v, *old_wallet, kT0).refusal, TapRefusal::kWithdrawnKeyVersion);
}

TEST(Validator, RefusesEveryTamperedHeaderFieldWithABadCryptogram) {
  TokenWorld w;
  w.policy.offline_limit = 20;
  auto wallet = w.rider(1, 11, kT0); // a version-1 token
  auto v = w.validator(5);
  ASSERT_TRUE(v->install_key(2, master_keys(2).validator).ok()); // so a version bump finds a key
  const std::vector<std::pair<const char*, void (*)(TokenHeader&)>> tampers = {
      {"id.hi", [](TokenHeader& h) { h.id.hi ^= 1; }},
      {"id.lo", [](TokenHeader& h) { h.id.lo ^= 1; }},
      {"account", [](TokenHeader& h) { h.account = AccountId(h.account.value() + 1); }},
      {"device", [](TokenHeader& h) { h.device = DeviceId(h.device.value() + 1); }},
      {"issued_at", [](TokenHeader& h) { h.issued_at = h.issued_at - Duration::seconds(1); }},
      {"expires_at", [](TokenHeader& h) { h.expires_at = h.expires_at + Duration::days(30); }},
      {"offline_limit", [](TokenHeader& h) { h.offline_limit = 1000; }},
      {"key_version", [](TokenHeader& h) { h.key_version = 2; }},
  };
  for (const auto& [name, tamper] : tampers) {
    const TapOutcome out = tap_with(w, *v, *wallet, kT0, [&](TapResponse& r) { tamper(r.header); });
    EXPECT_EQ(out.refusal, TapRefusal::kBadCryptogram) << name;
  }
  // The counter is covered too, and the untampered response passes.
  EXPECT_EQ(tap_with(w, *v, *wallet, kT0, [](TapResponse& r) { ++r.counter; }).refusal,
            TapRefusal::kBadCryptogram);
  EXPECT_TRUE(tap_with(w, *v, *wallet, kT0, [](TapResponse&) {}).accepted());
}

TEST(Validator, RefusesExpiredAndNotYetValidTokensOutsideTheSkewTolerance) {
  TokenWorld w;
  auto wallet = w.rider(1, 11, kT0);
  auto v = w.validator(5);
  const TokenHeader h = wallet->tokens()[0].token.header;
  const Duration skew = ValidatorConfig{}.clock_skew_tolerance;
  // The phone's clock and the validator's differ: answer at a valid time, verify at another.
  auto at = [&](Time validator_now) {
    const TapChallenge c = v->challenge(validator_now, TapKind::kFlat, w.random);
    auto r = wallet->answer(c, h.issued_at);
    const std::string bytes = encode(*r);
    return v->verify(as_bytes(bytes), validator_now).refusal;
  };
  EXPECT_EQ(at(h.expires_at + skew + Duration::micros(1)), TapRefusal::kExpired);
  EXPECT_EQ(at(h.issued_at - skew - Duration::micros(1)), TapRefusal::kNotYetValid);
  EXPECT_EQ(at(h.expires_at + skew), TapRefusal::kNone);
}

TEST(Validator, RefusesACounterOverTheLimit) {
  TokenWorld w;
  w.policy.offline_limit = 2;
  auto wallet = w.rider(1, 11, kT0);
  // A key holder computes a valid cryptogram for counter 3 of a 2-tap token.
  const GrantedToken stolen = wallet->tokens()[0].token;
  auto v = w.validator(5);
  const TapChallenge c = v->challenge(kT0, TapKind::kFlat, w.random);
  TapResponse r;
  r.header = stolen.header;
  r.counter = 3;
  AesCmac k(stolen.validator_key);
  r.validator_cryptogram = compute_cryptogram(k, CryptogramRole::kValidator, c, 3);
  EXPECT_EQ(v->verify(r, kT0).refusal, TapRefusal::kCounterOverLimit);
}

TEST(Validator, RefusesDenylistedTokensAndAccounts) {
  TokenWorld w;
  auto a = w.rider(1, 11, kT0);
  auto b = w.rider(2, 12, kT0);
  auto v = w.validator(5);
  DenylistPublisher pub(w.denylist_key, 16);
  pub.add_token(a->tokens()[0].token.header.id);
  pub.add_account(AccountId(2));
  pub.commit();
  ASSERT_EQ(v->apply_denylist(pub.update_for(v->denylist().version())), DenylistApply::kApplied);
  EXPECT_EQ(w.tap(*v, *a, kT0).refusal, TapRefusal::kTokenDenylisted);
  EXPECT_EQ(w.tap(*v, *b, kT0).refusal, TapRefusal::kAccountDenylisted);
}

TEST(Validator, RefusesAReplayedTokenCounterPair) {
  TokenWorld w;
  auto wallet = w.rider(1, 11, kT0);
  const GrantedToken keys = wallet->tokens()[0].token;
  auto v = w.validator(5);
  ASSERT_TRUE(w.tap(*v, *wallet, kT0).accepted()); // counter 1 used here
  // A key holder answers a new challenge with counter 1 again.
  const TapChallenge c = v->challenge(kT0, TapKind::kFlat, w.random);
  TapResponse r;
  r.header = keys.header;
  r.counter = 1;
  AesCmac k(keys.validator_key);
  r.validator_cryptogram = compute_cryptogram(k, CryptogramRole::kValidator, c, 1);
  EXPECT_EQ(v->verify(r, kT0).refusal, TapRefusal::kReplayed);
}

TEST(Validator, RefusesTapsWhenTheStoreIsFullUntilAnAckFreesRoom) {
  TokenWorld w;
  w.policy.offline_limit = 10;
  auto wallet = w.rider(1, 11, kT0);
  auto v = w.validator(5, 1, /*store=*/2);
  EXPECT_TRUE(w.tap(*v, *wallet, kT0).accepted());
  EXPECT_TRUE(w.tap(*v, *wallet, kT0).accepted());
  EXPECT_EQ(w.tap(*v, *wallet, kT0).refusal, TapRefusal::kStoreFull);
  EXPECT_EQ(v->store().size(), 2u);
  const TapBatch b = v->make_batch(10);
  ASSERT_EQ(b.records.size(), 2u);
  EXPECT_EQ(v->acknowledge(BatchAck{v->id(), b.batch, {1}}), 1u);
  EXPECT_TRUE(w.tap(*v, *wallet, kT0).accepted());
}

TEST(Validator, DeletesRecordsOnlyWhenAcknowledgedAcrossFailedPartialAndRepeatedUploads) {
  TokenWorld w;
  w.policy.offline_limit = 10;
  auto wallet = w.rider(1, 11, kT0);
  auto v = w.validator(5);
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(w.tap(*v, *wallet, kT0).accepted());
  }
  const TapBatch lost = v->make_batch(10); // upload failed: no ack
  EXPECT_EQ(lost.records.size(), 4u);
  const TapBatch again = v->make_batch(3);
  ASSERT_EQ(again.records.size(), 3u);
  EXPECT_EQ(again.records[0].sequence, 1u);
  // Partial ack (only 1 and 3), then the same ack repeated, then an ack for another validator.
  EXPECT_EQ(v->acknowledge(BatchAck{v->id(), again.batch, {1, 3}}), 2u);
  EXPECT_EQ(v->acknowledge(BatchAck{v->id(), again.batch, {1, 3}}), 0u);
  EXPECT_EQ(v->acknowledge(BatchAck{ValidatorId(99), again.batch, {2, 4}}), 0u);
  const TapBatch rest = v->make_batch(10);
  ASSERT_EQ(rest.records.size(), 2u);
  EXPECT_EQ(rest.records[0].sequence, 2u);
  EXPECT_EQ(rest.records[1].sequence, 4u);
  EXPECT_EQ(v->acknowledge(BatchAck{v->id(), rest.batch, {2, 4}}), 2u);
  EXPECT_EQ(v->store().size(), 0u);
  EXPECT_TRUE(v->make_batch(10).records.empty());
}

TEST(Validator, EachRefusalReasonHasAName) {
  for (int i = 0; i < kTapRefusalCount; ++i) {
    EXPECT_STRNE(to_string(static_cast<TapRefusal>(i)), "?") << i;
  }
}

TEST(Validator, ContinuesItsSequenceAfterARestart) {
  TokenWorld w;
  auto wallet = w.rider(1, 11, kT0);
  ValidatorConfig c;
  c.id = ValidatorId(5);
  c.first_sequence = 41; // journaled: 40 records were made before the restart
  Validator v(c, w.denylist_key);
  ASSERT_TRUE(v.install_key(1, master_keys(1).validator).ok());
  EXPECT_EQ(w.tap(v, *wallet, kT0).sequence, 41u);
  EXPECT_EQ(v.make_batch(5).records.at(0).sequence, 41u);
}

TEST(Validator, TreatsAResponseWithNoOutstandingChallengeAsACallerBug) {
  // Debug builds assert; release builds refuse it as malformed rather than read a missing value.
  TokenWorld w;
  auto v = w.validator(5);
  TapOutcome out;
  EXPECT_DEBUG_DEATH(out = v->verify(TapResponse{}, kT0), "outstanding challenge");
#ifdef NDEBUG
  EXPECT_EQ(out.refusal, TapRefusal::kMalformed);
#endif
}

TEST(Validator, ForgetsThePairsOfExpiredTokensButStillRefusesTheirTaps) {
  TokenWorld w;
  w.policy.offline_limit = 10;
  auto v = w.validator(5);
  std::vector<std::unique_ptr<Wallet>> riders;
  for (uint64_t a = 1; a <= 7; ++a) { // 70 pairs: one full block of 64 and six more
    riders.push_back(w.rider(a, 100 + a, kT0));
    for (int i = 0; i < 10; ++i) {
      ASSERT_TRUE(w.tap(*v, *riders.back(), kT0 + Duration::minutes(i)).accepted());
    }
  }
  EXPECT_EQ(v->replay_memory().size(), 70u);
  // Two days on every token is expired: a fresh rider's tap lets the first block go.
  auto fresh = w.rider(8, 108, kT0 + Duration::days(2));
  ASSERT_TRUE(w.tap(*v, *fresh, kT0 + Duration::days(2)).accepted());
  EXPECT_EQ(v->replay_memory().size(), 70u - 64u + 1u);
  // Whatever it forgot can never pass again here: a replay of a forgotten pair (a well-made
  // answer with a used counter) is refused, as an expired token is refused first.
  const Time later = kT0 + Duration::days(2);
  const TapChallenge c = v->challenge(later, TapKind::kFlat, w.random);
  const TapResponse replay = forge_answer(riders.front()->tokens()[0].token, c, 1);
  EXPECT_EQ(v->verify(replay, later).refusal, TapRefusal::kExpired);
}
