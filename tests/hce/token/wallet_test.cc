#include "token_world.h"

using namespace hcesim;
using namespace hcesim::hce;
using namespace hcesim::hce::testing;

namespace {

TapChallenge any_challenge(Time now) {
  return TapChallenge{ValidatorId(1), now, 77, TapKind::kFlat};
}

} // namespace

TEST(Wallet, OpensAGrantOnlyWithItsOwnDeviceKey) {
  TokenWorld w;
  w.accounts.add_device(AccountId(1), DeviceId(11));
  w.accounts.add_device(AccountId(1), DeviceId(12));
  const Enrolment mine = w.issuer->enrol(AccountId(1), DeviceId(11));
  const Enrolment other = w.issuer->enrol(AccountId(1), DeviceId(12));
  EXPECT_NE(mine.device_key, other.device_key);
  const auto out = w.issuer->issue(AccountId(1), DeviceId(11), kT0, w.policy, w.random);
  ASSERT_TRUE(out.granted());
  // Intercepted and replayed to another phone: it names the wrong device...
  Wallet other_phone(other.account, other.device, other.device_key, {});
  EXPECT_FALSE(other_phone.accept_grant(out.grant).ok());
  // ...and relabelled for it, it does not open under its key.
  TokenGrant relabelled = out.grant;
  relabelled.device = DeviceId(12);
  for (auto& h : relabelled.headers) {
    h.device = DeviceId(12);
  }
  const auto r = other_phone.accept_grant(relabelled);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().where, "TokenGrant.tag");
  EXPECT_EQ(other_phone.token_count(), 0u);
  // A wallet with the right device id but not its key (a cloned app without the enrolment).
  Wallet impostor(mine.account, mine.device, other.device_key, {});
  EXPECT_FALSE(impostor.accept_grant(out.grant).ok());
  Wallet owner(mine.account, mine.device, mine.device_key, {});
  EXPECT_EQ(owner.accept_grant(out.grant).value(), 1u);
}

TEST(Wallet, RefusesAGrantWithAnAlteredHeader) {
  TokenWorld w;
  auto wallet = w.rider(1, 11, kT0);
  auto out = w.issuer->issue(AccountId(1), DeviceId(11), kT0, w.policy, w.random);
  out.grant.headers[0].offline_limit = 100;
  EXPECT_FALSE(wallet->accept_grant(out.grant).ok());
}

TEST(Wallet, AnswersWithTheSoonestExpiringTokenThatHasTapsLeft) {
  TokenWorld w;
  w.policy.offline_limit = 2;
  auto wallet = w.rider(1, 11, kT0); // expires kT0 + 24h
  w.policy.time_to_live = Duration::hours(12);
  ASSERT_TRUE(wallet
                  ->accept_grant(w.issuer->issue(AccountId(1), DeviceId(11), kT0, w.policy,
                                                 w.random)
                                     .grant)
                  .ok()); // expires kT0 + 12h
  const Time now = kT0 + Duration::hours(1);
  std::vector<Time> expiries;
  for (int i = 0; i < 4; ++i) {
    auto r = wallet->answer(any_challenge(now), now);
    ASSERT_TRUE(r.has_value());
    expiries.push_back(r->header.expires_at);
  }
  EXPECT_EQ(expiries, (std::vector<Time>{kT0 + Duration::hours(12), kT0 + Duration::hours(12),
                                         kT0 + Duration::hours(24), kT0 + Duration::hours(24)}));
  EXPECT_FALSE(wallet->answer(any_challenge(now), now).has_value());
}

TEST(Wallet, SkipsExpiredTokensAndDropsThem) {
  TokenWorld w;
  auto wallet = w.rider(1, 11, kT0);
  const Time late = kT0 + Duration::hours(25);
  EXPECT_FALSE(wallet->answer(any_challenge(late), late).has_value());
  EXPECT_EQ(wallet->token_count(), 1u);
  wallet->drop_spent(late);
  EXPECT_EQ(wallet->token_count(), 0u);
}

TEST(Wallet, NeverReusesACounterAcrossSaveAndRestore) {
  TokenWorld w;
  w.policy.offline_limit = 5;
  auto wallet = w.rider(1, 11, kT0);
  const WalletState before = wallet->save();
  EXPECT_EQ(wallet->answer(any_challenge(kT0), kT0)->counter, 1);
  EXPECT_EQ(wallet->answer(any_challenge(kT0), kT0)->counter, 2);
  // The app restarts: the saved bytes come back through the wire format into a new wallet.
  const std::string saved = encode(wallet->save());
  const Enrolment e = w.issuer->enrol(AccountId(1), DeviceId(11));
  Wallet restarted(e.account, e.device, e.device_key, {});
  ASSERT_TRUE(restarted.restore(decode_wallet_state(as_bytes(saved)).value()).ok());
  EXPECT_EQ(restarted.answer(any_challenge(kT0), kT0)->counter, 3);
  // Restoring the older state afterwards cannot roll the counter back.
  ASSERT_TRUE(restarted.restore(before).ok());
  EXPECT_EQ(restarted.answer(any_challenge(kT0), kT0)->counter, 4);
}

TEST(Wallet, RestoreDoesNotResurrectAUsedUpToken) {
  TokenWorld w;
  w.policy.offline_limit = 1;
  auto wallet = w.rider(1, 11, kT0);
  const WalletState before = wallet->save();
  ASSERT_TRUE(wallet->answer(any_challenge(kT0), kT0).has_value());
  wallet->drop_spent(kT0);
  EXPECT_EQ(wallet->token_count(), 0u);
  ASSERT_TRUE(wallet->restore(before).ok());
  EXPECT_EQ(wallet->token_count(), 0u);
  EXPECT_FALSE(wallet->answer(any_challenge(kT0), kT0).has_value());
}

TEST(Wallet, RestoreRefusesAnotherPhonesState) {
  TokenWorld w;
  auto a = w.rider(1, 11, kT0);
  auto b = w.rider(2, 12, kT0);
  EXPECT_FALSE(b->restore(a->save()).ok());
}

TEST(Wallet, RestoreRefusesATokenOfAnotherPhoneInsideItsOwnState) {
  TokenWorld w;
  auto a = w.rider(1, 11, kT0);
  auto b = w.rider(2, 12, kT0);
  WalletState mixed = b->save();
  mixed.tokens.push_back(a->save().tokens.at(0)); // a wallet keeps no account or device per token
  // A new process of b's app (holding nothing yet) restores the state: b's own tokens come first.
  const Enrolment e = w.issuer->enrol(AccountId(2), DeviceId(12));
  Wallet restarted(e.account, e.device, e.device_key, {});
  const auto restored = restarted.restore(mixed);
  ASSERT_FALSE(restored.ok());
  EXPECT_NE(restored.error().to_string().find("is for account 1 device 11"), std::string::npos)
      << restored.error().to_string();
  EXPECT_EQ(restarted.token_count(), 0u) << "nothing restored from a refused state";
}

TEST(Wallet, SavesWhatItWasGrantedWholeHeadersKeysAndCounters) {
  TokenWorld w;
  w.policy.offline_limit = 3;
  auto wallet = w.rider(1, 11, kT0);
  const Time later = kT0 + Duration::hours(1);
  const IssueOutcome second =
      w.issuer->issue(AccountId(1), DeviceId(11), later, w.policy, w.random);
  ASSERT_TRUE(second.granted());
  const Key128 device_key = w.issuer->enrol(AccountId(1), DeviceId(11)).device_key;
  const std::vector<GrantedToken> granted = open_grant(second.grant, device_key).value();
  ASSERT_EQ(granted.size(), 1u);
  ASSERT_TRUE(wallet->accept_grant(second.grant).ok());
  // The first grant's token expires first: it answers, the second stays unused.
  const auto answered = wallet->answer(any_challenge(later), later);
  ASSERT_TRUE(answered.has_value());
  EXPECT_NE(answered->header.id, granted[0].header.id);
  EXPECT_EQ(answered->header.account, AccountId(1));
  EXPECT_EQ(answered->header.device, DeviceId(11));
  const WalletState saved = wallet->save();
  ASSERT_EQ(saved.tokens.size(), 2u);
  EXPECT_EQ(saved.tokens[0].token.header, answered->header);
  EXPECT_EQ(saved.tokens[0].next_counter, 2u);
  EXPECT_EQ(saved.tokens[1].token, granted[0]) << "header and both keys as granted";
  EXPECT_EQ(saved.tokens[1].next_counter, 1u);
}

TEST(Wallet, AsksAfterEveryUseOnceUntilTheGrantArrives) {
  TokenWorld w;
  w.policy.offline_limit = 5;
  auto wallet = w.rider(1, 11, kT0, RefillPolicy{RefillRule::kAfterEveryUse});
  EXPECT_FALSE(wallet->wants_tokens(kT0));
  ASSERT_TRUE(wallet->answer(any_challenge(kT0), kT0).has_value());
  EXPECT_TRUE(wallet->wants_tokens(kT0));
  wallet->request_sent(kT0);
  EXPECT_FALSE(wallet->wants_tokens(kT0 + Duration::seconds(1))); // in flight: do not ask twice
  EXPECT_TRUE(wallet->wants_tokens(kT0 + Duration::seconds(31))); // lost: ask again
  wallet->request_sent(kT0 + Duration::seconds(31));
  ASSERT_TRUE(
      wallet
          ->accept_grant(w.issuer->issue(AccountId(1), DeviceId(11), kT0, w.policy, w.random).grant)
          .ok());
  EXPECT_FALSE(wallet->request_in_flight(kT0 + Duration::seconds(32)));
  EXPECT_FALSE(wallet->wants_tokens(kT0 + Duration::seconds(32)));
}

TEST(Wallet, WalletsWithEqualPoliciesShareOneCopyAndKeepTheirOwnValues) {
  RefillPolicy below{RefillRule::kBelowTaps};
  below.min_taps_left = 7;
  RefillPolicy before{RefillRule::kBeforeExpiry};
  before.min_time_left = Duration::minutes(95);
  const Key128 key{};
  const Wallet a(AccountId(1), DeviceId(11), key, below);
  const Wallet b(AccountId(2), DeviceId(12), key, below);
  const Wallet c(AccountId(3), DeviceId(13), key, before);
  Wallet moved = Wallet(AccountId(4), DeviceId(14), key, before);
  EXPECT_EQ(&a.policy(), &b.policy());
  EXPECT_NE(&a.policy(), &c.policy());
  EXPECT_EQ(a.policy(), below);
  EXPECT_EQ(c.policy(), before);
  EXPECT_EQ(moved.policy(), before);
  below.min_taps_left = 8; // the caller's copy changing later changes no wallet
  EXPECT_EQ(b.policy().min_taps_left, 7u);
}

TEST(Wallet, AsksWhenFewerThanKTapsAreLeft) {
  TokenWorld w;
  w.policy.offline_limit = 4;
  RefillPolicy p{RefillRule::kBelowTaps};
  p.min_taps_left = 3;
  auto wallet = w.rider(1, 11, kT0, p);
  ASSERT_TRUE(wallet->answer(any_challenge(kT0), kT0).has_value());
  EXPECT_EQ(wallet->taps_left(kT0), 3u);
  EXPECT_FALSE(wallet->wants_tokens(kT0));
  ASSERT_TRUE(wallet->answer(any_challenge(kT0), kT0).has_value());
  EXPECT_TRUE(wallet->wants_tokens(kT0));
  wallet->request_sent(kT0);
  EXPECT_FALSE(wallet->wants_tokens(kT0));
  wallet->request_failed(kT0);
  EXPECT_FALSE(wallet->wants_tokens(kT0 + Duration::seconds(29))); // backing off
  EXPECT_TRUE(wallet->wants_tokens(kT0 + Duration::seconds(30)));
}

TEST(Wallet, BacksOffExponentiallyAfterConsecutiveFailuresUpToTheCap) {
  TokenWorld w;
  RefillPolicy p{RefillRule::kAfterEveryUse};
  p.retry_backoff = Duration::seconds(10);
  p.retry_backoff_max = Duration::seconds(35);
  auto wallet = w.rider(1, 11, kT0, p);
  ASSERT_TRUE(wallet->answer(TapChallenge{}, kT0).has_value());
  Time now = kT0;
  std::vector<int64_t> waits;
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(wallet->wants_tokens(now));
    wallet->request_sent(now);
    wallet->request_failed(now);
    Time t = now;
    while (!wallet->wants_tokens(t)) {
      t += Duration::seconds(1);
    }
    waits.push_back((t - now).us() / 1'000'000);
    now = t;
  }
  EXPECT_EQ(waits, (std::vector<int64_t>{10, 20, 35, 35}));
  // A grant resets the back-off.
  ASSERT_TRUE(
      wallet
          ->accept_grant(w.issuer->issue(AccountId(1), DeviceId(11), now, w.policy, w.random).grant)
          .ok());
  ASSERT_TRUE(wallet->answer(TapChallenge{}, now).has_value());
  wallet->request_failed(now);
  EXPECT_FALSE(wallet->wants_tokens(now + Duration::seconds(9)));
  EXPECT_TRUE(wallet->wants_tokens(now + Duration::seconds(10)));
}

TEST(Wallet, AsksWhenTokensRunOutWithinTBeforeExpiry) {
  TokenWorld w;
  RefillPolicy p{RefillRule::kBeforeExpiry};
  p.min_time_left = Duration::hours(2);
  auto wallet = w.rider(1, 11, kT0, p); // expires kT0 + 24h
  EXPECT_FALSE(wallet->wants_tokens(kT0 + Duration::hours(22)));
  EXPECT_TRUE(wallet->wants_tokens(kT0 + Duration::hours(22) + Duration::micros(1)));
  EXPECT_TRUE(wallet->wants_tokens(kT0 + Duration::hours(25))); // nothing usable at all
}
