// Attacks by attacker capability (DESIGN §4): what the attacker has, what he does, what must
// happen.
#include "hce/token/settlement_check.h"

#include "token_world.h"

using namespace hcesim;
using namespace hcesim::hce;
using namespace hcesim::hce::testing;

TEST(Attack, PassiveRecorderReplayingACapturedResponseIsRefusedByTheFreshChallenge) {
  TokenWorld w;
  auto wallet = w.rider(1, 11, kT0);
  auto v = w.validator(5);
  const TapChallenge c = v->challenge(kT0, TapKind::kFlat, w.random);
  const std::string captured = encode(*wallet->answer(c, kT0));
  ASSERT_TRUE(v->verify(as_bytes(captured), kT0).accepted());
  // Replayed to the same validator and to another one, each with its own new challenge.
  auto other = w.validator(6);
  v->challenge(kT0 + Duration::minutes(1), TapKind::kFlat, w.random);
  EXPECT_EQ(v->verify(as_bytes(captured), kT0 + Duration::minutes(1)).refusal,
            TapRefusal::kBadCryptogram);
  other->challenge(kT0 + Duration::minutes(1), TapKind::kFlat, w.random);
  EXPECT_EQ(other->verify(as_bytes(captured), kT0 + Duration::minutes(1)).refusal,
            TapRefusal::kBadCryptogram);
}

TEST(Attack, KeyHolderReusingACounterAtOneValidatorIsRefusedByReplayMemory) {
  TokenWorld w;
  auto wallet = w.rider(1, 11, kT0);
  const GrantedToken stolen = wallet->tokens()[0].token;
  auto v = w.validator(5);
  for (int i = 0; i < 2; ++i) {
    const TapChallenge c = v->challenge(kT0 + Duration::minutes(i), TapKind::kFlat, w.random);
    const TapOutcome out = v->verify(forge_answer(stolen, c, 1), kT0 + Duration::minutes(i));
    EXPECT_EQ(out.refusal, i == 0 ? TapRefusal::kNone : TapRefusal::kReplayed);
  }
}

TEST(Attack, KeyHolderReusingACounterAtTwoValidatorsIsAcceptedOfflineAndFlaggedCloneAtSettlement) {
  TokenWorld w;
  auto wallet = w.rider(1, 11, kT0);
  const GrantedToken stolen = wallet->tokens()[0].token;
  auto a = w.validator(5, 1);
  auto b = w.validator(6, 1); // same stop: no travel flag muddles the clone
  for (Validator* v : {a.get(), b.get()}) {
    const TapChallenge c = v->challenge(kT0, TapKind::kFlat, w.random);
    EXPECT_TRUE(v->verify(forge_answer(stolen, c, 1), kT0).accepted());
  }
  SettlementChecker s(w.keys, line_distance);
  const auto first = s.check(a->make_batch(10), kT0 + Duration::hours(1));
  const auto second = s.check(b->make_batch(10), kT0 + Duration::hours(1));
  EXPECT_EQ(first[0].flags, 0u);
  EXPECT_EQ(second[0].flags, static_cast<uint32_t>(kFlagClone));
  EXPECT_EQ(second[0].clone_of, (RecordId{ValidatorId(5), 1}));
}

TEST(Attack, KeyHolderSplittingTheCounterRangeOverTwoPhonesFarApartIsFlaggedImpossibleTravel) {
  TokenWorld w;
  w.policy.offline_limit = 10;
  auto wallet = w.rider(1, 11, kT0);
  const GrantedToken stolen = wallet->tokens()[0].token;
  auto west = w.validator(5, /*stop=*/1);
  auto east = w.validator(6, /*stop=*/41); // 40 km apart
  // Phone A uses counters 1..5 in the west, phone B 6..10 in the east, interleaved in time.
  for (uint16_t i = 0; i < 5; ++i) {
    const Time t = kT0 + Duration::minutes(20 * i);
    const TapChallenge cw = west->challenge(t, TapKind::kFlat, w.random);
    ASSERT_TRUE(west->verify(forge_answer(stolen, cw, static_cast<uint16_t>(1 + i)), t).accepted());
    const Time t2 = t + Duration::minutes(10);
    const TapChallenge ce = east->challenge(t2, TapKind::kFlat, w.random);
    ASSERT_TRUE(
        east->verify(forge_answer(stolen, ce, static_cast<uint16_t>(6 + i)), t2).accepted());
  }
  SettlementChecker s(w.keys, line_distance);
  const Time up = kT0 + Duration::hours(3);
  auto west_checked = s.check(west->make_batch(10), up);
  auto east_checked = s.check(east->make_batch(10), up);
  int travel = 0;
  int clones = 0;
  for (const auto& c : east_checked) {
    travel += c.has(kFlagImpossibleTravel) ? 1 : 0;
    clones += c.has(kFlagClone) ? 1 : 0;
  }
  EXPECT_EQ(travel, 5); // every eastern tap sits 10 min from a western one 40 km away
  EXPECT_EQ(clones, 0); // no counter was reused: travel is the only signal
}

TEST(Attack, CounterRollbackByRestoringAnOldWalletIsRefusedHereAndFlaggedElsewhere) {
  TokenWorld w;
  w.policy.offline_limit = 5;
  auto wallet = w.rider(1, 11, kT0);
  const WalletState old_save = wallet->save();
  auto a = w.validator(5, 1);
  auto b = w.validator(6, 1);
  ASSERT_TRUE(w.tap(*a, *wallet, kT0).accepted()); // counter 1
  // The honest app's restore never rolls back...
  ASSERT_TRUE(wallet->restore(old_save).ok());
  EXPECT_EQ(wallet->tokens()[0].next_counter, 2u);
  // ...but an attacker restores the old state into a fresh install of the app.
  const Enrolment e = w.issuer->enrol(AccountId(1), DeviceId(11));
  Wallet rolled_back(e.account, e.device, e.device_key, {});
  ASSERT_TRUE(rolled_back.restore(old_save).ok());
  EXPECT_EQ(rolled_back.tokens()[0].next_counter, 1u);
  EXPECT_EQ(w.tap(*a, rolled_back, kT0 + Duration::minutes(1)).refusal, TapRefusal::kReplayed);
  ASSERT_TRUE(w.tap(*b, rolled_back, kT0 + Duration::minutes(2)).accepted()); // counter 2
  // Now counter 2 is reused by the original phone at b? No: at a, which has not seen it.
  ASSERT_TRUE(w.tap(*a, *wallet, kT0 + Duration::minutes(3)).accepted()); // counter 2 again
  SettlementChecker s(w.keys, line_distance);
  const Time up = kT0 + Duration::hours(1);
  s.check(b->make_batch(10), up);
  const auto at_a = s.check(a->make_batch(10), up);
  ASSERT_EQ(at_a.size(), 2u);
  EXPECT_FALSE(at_a[0].has(kFlagClone));
  EXPECT_TRUE(at_a[1].has(kFlagClone));
}

TEST(Attack, TamperedHeaderIsRefused) {
  TokenWorld w;
  w.policy.offline_limit = 2;
  auto wallet = w.rider(1, 11, kT0);
  auto v = w.validator(5);
  // A key holder raises his offline limit and extends the expiry, keeping his token keys.
  GrantedToken stolen = wallet->tokens()[0].token;
  stolen.header.offline_limit = 500;
  stolen.header.expires_at = stolen.header.expires_at + Duration::days(365);
  const TapChallenge c = v->challenge(kT0, TapKind::kFlat, w.random);
  EXPECT_EQ(v->verify(forge_answer(stolen, c, 3), kT0).refusal, TapRefusal::kBadCryptogram);
}

TEST(Attack, ValidatorClockSetForwardOrBackActsPerToleranceAndIsFlaggedAtSettlement) {
  TokenWorld w;
  w.policy.offline_limit = 10;
  auto wallet = w.rider(1, 11, kT0);
  const TokenHeader h = wallet->tokens()[0].token.header;
  const Duration skew = ValidatorConfig{}.clock_skew_tolerance;
  auto v = w.validator(5);
  // Real time is kT0 + 1 h. Forward by 30 days: the token looks expired, refused.
  const Time real = kT0 + Duration::hours(1);
  EXPECT_EQ(w.tap_clocks(*v, *wallet, real + Duration::days(30), real).refusal,
            TapRefusal::kExpired);
  // Forward by less than the tolerance past expiry still accepts; the record's time is in the
  // future of the upload, so settlement flags it.
  EXPECT_TRUE(w.tap_clocks(*v, *wallet, h.expires_at + skew, real).accepted());
  // Back by two days: before issue beyond tolerance, refused; back within tolerance accepted.
  EXPECT_EQ(w.tap_clocks(*v, *wallet, real - Duration::days(2), real).refusal,
            TapRefusal::kNotYetValid);
  EXPECT_TRUE(w.tap_clocks(*v, *wallet, h.issued_at - skew, real).accepted());
  SettlementChecker s(w.keys, line_distance);
  const auto c = s.check(v->make_batch(10), real + Duration::minutes(5));
  ASSERT_EQ(c.size(), 2u);
  EXPECT_TRUE(c[0].has(kFlagTimeOutOfBounds));  // after the upload time
  EXPECT_TRUE(c[1].has(kFlagTimeBackwards));    // earlier than the previous record
  EXPECT_FALSE(c[1].has(kFlagTimeOutOfBounds)); // issued_at - skew is inside the bounds
}

TEST(Attack, CompromisedValidatorForgingRecordsWithItsSamKeyIsRejectedAtSettlement) {
  TokenWorld w;
  auto wallet = w.rider(1, 11, kT0);
  const TokenHeader victim = wallet->tokens()[0].token.header; // seen on a previous honest tap
  // The attacker holds the validator master key (from the SAM), not the issuer key.
  AesCmac sam(master_keys(1).validator);
  const Key128 token_validator_key = derive_token_key(sam, CryptogramRole::kValidator, victim);
  TapRecord forged;
  forged.validator = ValidatorId(5);
  forged.sequence = 1;
  forged.stop = StopId(1);
  forged.challenge = TapChallenge{ValidatorId(5), kT0, 1234, TapKind::kFlat};
  forged.response.header = victim;
  forged.response.counter = 1;
  AesCmac k(token_validator_key);
  forged.response.validator_cryptogram =
      compute_cryptogram(k, CryptogramRole::kValidator, forged.challenge, 1);
  forged.response.issuer_cryptogram = forged.response.validator_cryptogram; // a guess
  // The gate itself would accept it...
  auto honest_gate = w.validator(9);
  const TapChallenge c = honest_gate->challenge(kT0, TapKind::kFlat, w.random);
  TapResponse at_gate = forged.response;
  at_gate.validator_cryptogram = compute_cryptogram(k, CryptogramRole::kValidator, c, 1);
  EXPECT_TRUE(honest_gate->verify(at_gate, kT0).accepted());
  // ...but the record does not settle, and does not frame the victim's real counter 1 as a clone.
  SettlementChecker s(w.keys, line_distance);
  const CheckedTap checked = s.check(forged, kT0 + Duration::hours(1));
  EXPECT_EQ(checked.flags, static_cast<uint32_t>(kFlagBadIssuerCryptogram));
  auto v = w.validator(7);
  ASSERT_TRUE(w.tap(*v, *wallet, kT0).accepted());
  EXPECT_EQ(s.check(v->make_batch(10), kT0 + Duration::hours(1))[0].flags, 0u);
}

TEST(Attack, ForgedOrFarFutureDenylistUpdateIsRefused) {
  TokenWorld w;
  auto v = w.validator(5);
  DenylistPublisher cloud(w.denylist_key, 16);
  cloud.add_account(AccountId(3));
  cloud.commit();
  ASSERT_EQ(v->apply_denylist(cloud.full_update()), DenylistApply::kApplied);
  // Forged: an attacker without the cloud key removes account 3.
  DenylistUpdate forged;
  forged.version = 2;
  forged.base_version = 1;
  forged.remove_accounts = {AccountId(3)};
  DenylistPublisher attacker(key_from(99), 16);
  AesCmac wrong_key(key_from(99));
  forged.mac = denylist_update_mac(wrong_key, forged);
  EXPECT_EQ(v->apply_denylist(forged), DenylistApply::kForged);
  // Far future: even a genuine MAC (say, a leaked signed update) cannot jump the version and
  // freeze out later updates.
  AesCmac cloud_key(w.denylist_key);
  DenylistUpdate far;
  far.version = 1 + ValidatorConfig{}.denylist_max_version_jump + 1;
  far.base_version = 0;
  far.mac = denylist_update_mac(cloud_key, far);
  EXPECT_EQ(v->apply_denylist(far), DenylistApply::kVersionJump);
  EXPECT_EQ(v->denylist().version(), 1u);
  EXPECT_TRUE(v->denylist().has_account(AccountId(3)));
}

TEST(Attack, HonestButBrokeRiderOfflineOverspendIsBoundedByTokensTimesLimit) {
  TokenWorld w;
  w.policy.offline_limit = 3;
  w.policy.tokens_per_grant = 2;
  auto wallet = w.rider(1, 11, kT0);
  w.accounts.set_balance(AccountId(1), yuan(-100)); // broke: no more grants
  EXPECT_EQ(w.issuer->issue(AccountId(1), DeviceId(11), kT0, w.policy, w.random).refusal,
            IssueRefusal::kBalanceTooLow);
  std::vector<std::unique_ptr<Validator>> gates;
  int accepted = 0;
  for (uint32_t i = 0; i < 20; ++i) {
    gates.push_back(w.validator(100 + i));
    const TapChallenge c =
        gates.back()->challenge(kT0 + Duration::minutes(i), TapKind::kFlat, w.random);
    auto r = wallet->answer(c, kT0 + Duration::minutes(i));
    if (r && gates.back()->verify(*r, kT0 + Duration::minutes(i)).accepted()) {
      ++accepted;
    }
  }
  // Exposure = tokens held × offline limit (× the highest fare, priced by the cloud).
  EXPECT_EQ(accepted, 2 * 3);
}

TEST(Attack, KeyVersionDowngradeToAWithdrawnVersionIsRefused) {
  TokenWorld w;
  // The attacker kept a token (and its keys) from key version 1, which has since been withdrawn.
  auto wallet = w.rider(1, 11, kT0);
  const GrantedToken old_token = wallet->tokens()[0].token;
  ASSERT_TRUE(w.keys.add(master_keys(2)).ok());
  ASSERT_TRUE(w.keys.make_current(2).ok());
  auto v = w.validator(5);
  ASSERT_TRUE(v->install_key(2, master_keys(2).validator).ok());
  v->raise_minimum_key_version(2);
  const TapChallenge c = v->challenge(kT0, TapKind::kFlat, w.random);
  EXPECT_EQ(v->verify(forge_answer(old_token, c, 1), kT0).refusal,
            TapRefusal::kWithdrawnKeyVersion);
}

TEST(Attack, LostPhoneIsRefusedOnceItsTokensAreDenylisted) {
  TokenWorld w;
  w.policy.offline_limit = 5;
  auto wallet = w.rider(1, 11, kT0);
  auto v = w.validator(5);
  ASSERT_TRUE(w.tap(*v, *wallet, kT0).accepted());
  // The owner reports the phone lost: the cloud denylists its tokens and refuses the device.
  DenylistPublisher cloud(w.denylist_key, 16);
  for (const auto& t : wallet->tokens()) {
    cloud.add_token(t.token.header.id);
  }
  cloud.commit();
  ASSERT_EQ(v->apply_denylist(cloud.update_for(v->denylist().version())), DenylistApply::kApplied);
  EXPECT_EQ(w.tap(*v, *wallet, kT0 + Duration::minutes(5)).refusal, TapRefusal::kTokenDenylisted);
}

TEST(Attack, TokenRequestFloodFromOneDeviceIsRateLimited) {
  TokenWorld w;
  w.policy.requests_per_device_per_hour = 10;
  w.accounts.add_device(AccountId(1), DeviceId(11));
  w.accounts.set_balance(AccountId(1), yuan(10));
  int granted = 0;
  for (int i = 0; i < 1000; ++i) {
    granted +=
        w.issuer->issue(AccountId(1), DeviceId(11), kT0 + Duration::seconds(i), w.policy, w.random)
                .granted()
            ? 1
            : 0;
  }
  EXPECT_EQ(granted, 10);
}
