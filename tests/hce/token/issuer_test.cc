#include "token_world.h"

#include <set>

using namespace hcesim;
using namespace hcesim::hce;
using namespace hcesim::hce::testing;

namespace {

struct Issued {
  IssueOutcome out;
  std::vector<GrantedToken> tokens;
};

Issued issue(TokenWorld& w, uint64_t account, uint64_t device, Time now) {
  Issued i{w.issuer->issue(AccountId(account), DeviceId(device), now, w.policy, w.random), {}};
  if (i.out.granted()) {
    i.tokens =
        open_grant(i.out.grant, w.issuer->enrol(AccountId(account), DeviceId(device)).device_key)
            .value();
  }
  return i;
}

} // namespace

TEST(Issuer, GrantsTokensByPolicyUnderTheCurrentKeyVersion) {
  TokenWorld w;
  ASSERT_TRUE(w.keys.add(master_keys(2)).ok());
  ASSERT_TRUE(w.keys.make_current(2).ok());
  w.accounts.add_device(AccountId(1), DeviceId(11));
  w.accounts.set_balance(AccountId(1), yuan(10));
  w.policy.tokens_per_grant = 3;
  w.policy.offline_limit = 7;
  w.policy.time_to_live = Duration::hours(72);
  const Issued i = issue(w, 1, 11, kT0);
  ASSERT_TRUE(i.out.granted());
  ASSERT_EQ(i.tokens.size(), 3u);
  std::set<TokenId> ids;
  for (const auto& t : i.tokens) {
    ids.insert(t.header.id);
    EXPECT_EQ(t.header.account, AccountId(1));
    EXPECT_EQ(t.header.device, DeviceId(11));
    EXPECT_EQ(t.header.issued_at, kT0);
    EXPECT_EQ(t.header.expires_at, kT0 + Duration::hours(72));
    EXPECT_EQ(t.header.offline_limit, 7);
    EXPECT_EQ(t.header.key_version, 2u);
    Key128 v{};
    Key128 k{};
    ASSERT_TRUE(w.keys.derive(t.header, v, k));
    EXPECT_EQ(t.validator_key, v);
    EXPECT_EQ(t.issuer_key, k);
    EXPECT_NE(t.validator_key, t.issuer_key);
  }
  EXPECT_EQ(ids.size(), 3u);
}

TEST(Issuer, RefusesAnUnknownDevice) {
  TokenWorld w;
  w.accounts.add_device(AccountId(1), DeviceId(11));
  w.accounts.set_balance(AccountId(1), yuan(10));
  EXPECT_EQ(issue(w, 1, 12, kT0).out.refusal, IssueRefusal::kDeviceUnknown);
  EXPECT_EQ(issue(w, 2, 11, kT0).out.refusal, IssueRefusal::kDeviceUnknown);
}

TEST(Issuer, RefusesADenylistedAccount) {
  TokenWorld w;
  w.accounts.add_device(AccountId(1), DeviceId(11));
  w.accounts.set_balance(AccountId(1), yuan(10));
  w.accounts.set_denylisted(AccountId(1), true);
  EXPECT_EQ(issue(w, 1, 11, kT0).out.refusal, IssueRefusal::kAccountDenylisted);
}

TEST(Issuer, RefusesABalanceBelowTheIssuingMinimum) {
  TokenWorld w;
  w.policy.issuing_minimum = yuan(2);
  w.accounts.add_device(AccountId(1), DeviceId(11));
  w.accounts.set_balance(AccountId(1), Money(199, kCny));
  EXPECT_EQ(issue(w, 1, 11, kT0).out.refusal, IssueRefusal::kBalanceTooLow);
  w.accounts.set_balance(AccountId(1), Money(200, kCny));
  EXPECT_TRUE(issue(w, 1, 11, kT0).out.granted());
}

TEST(Issuer, RateLimitsRequestsPerDeviceOverASlidingHour) {
  TokenWorld w;
  w.policy.requests_per_device_per_hour = 3;
  w.accounts.add_device(AccountId(1), DeviceId(11));
  w.accounts.add_device(AccountId(1), DeviceId(12));
  w.accounts.set_balance(AccountId(1), yuan(10));
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(issue(w, 1, 11, kT0 + Duration::minutes(i)).out.granted()) << i;
  }
  EXPECT_EQ(issue(w, 1, 11, kT0 + Duration::minutes(59)).out.refusal, IssueRefusal::kRateLimited);
  EXPECT_TRUE(issue(w, 1, 12, kT0 + Duration::minutes(59)).out.granted()); // per device
  EXPECT_TRUE(issue(w, 1, 11, kT0 + Duration::hours(1)).out.granted());    // the first aged out
}

TEST(Issuer, ForgettingIdleDevicesKeepsTheLimitOfBusyOnes) {
  // Many devices asking once (idle ones are swept from the limiter's memory once their hour is
  // over) around a busy device's requests: its sliding hour still counts every request it made.
  TokenWorld w;
  w.policy.requests_per_device_per_hour = 3;
  w.accounts.set_balance(AccountId(1), yuan(10));
  w.accounts.add_device(AccountId(1), DeviceId(1));
  for (uint64_t d = 100; d < 160; ++d) {
    w.accounts.add_device(AccountId(1), DeviceId(d));
  }
  for (uint64_t d = 100; d < 130; ++d) {
    EXPECT_TRUE(issue(w, 1, d, kT0 + Duration::minutes(1)).out.granted());
  }
  EXPECT_TRUE(issue(w, 1, 1, kT0 + Duration::minutes(30)).out.granted());
  EXPECT_TRUE(issue(w, 1, 1, kT0 + Duration::minutes(31)).out.granted());
  for (uint64_t d = 130; d < 160; ++d) { // the first 30 devices are idle by now: swept
    EXPECT_TRUE(issue(w, 1, d, kT0 + Duration::minutes(70)).out.granted());
  }
  EXPECT_TRUE(issue(w, 1, 1, kT0 + Duration::minutes(72)).out.granted());
  EXPECT_EQ(issue(w, 1, 1, kT0 + Duration::minutes(73)).out.refusal, IssueRefusal::kRateLimited);
  EXPECT_TRUE(
      issue(w, 1, 1, kT0 + Duration::minutes(90)).out.granted()); // the one at 30 min aged out
  // An idle device swept away starts afresh.
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(issue(w, 1, 100, kT0 + Duration::minutes(80 + i)).out.granted()) << i;
  }
  EXPECT_EQ(issue(w, 1, 100, kT0 + Duration::minutes(84)).out.refusal, IssueRefusal::kRateLimited);
}

TEST(Issuer, AlignsExpiryToTheLastDailyBoundaryWithinTheLifetime) {
  TokenWorld w;
  w.accounts.add_device(AccountId(1), DeviceId(11));
  w.accounts.set_balance(AccountId(1), yuan(10));
  w.policy.requests_per_device_per_hour = 100;
  w.policy.alignment = ExpiryAlignment::kDailyBoundary;
  w.policy.daily_boundary = Duration::hours(4);
  const Time day2 = Time::epoch() + Duration::days(2);
  // Issued d2 08:00 with 24 h: the last 04:00 at or before d3 08:00 is d3 04:00.
  EXPECT_EQ(issue(w, 1, 11, day2 + Duration::hours(8)).tokens[0].header.expires_at,
            day2 + Duration::days(1) + Duration::hours(4));
  // Issued d2 02:00: d3 02:00 is before d3 04:00, so d2 04:00... which is after issue: kept.
  EXPECT_EQ(issue(w, 1, 11, day2 + Duration::hours(2)).tokens[0].header.expires_at,
            day2 + Duration::days(1) - Duration::hours(20));
  // A 1 h lifetime issued at 05:00: the last boundary (04:00) is past, so the next one.
  w.policy.time_to_live = Duration::hours(1);
  EXPECT_EQ(issue(w, 1, 11, day2 + Duration::hours(5)).tokens[0].header.expires_at,
            day2 + Duration::days(1) + Duration::hours(4));
}

TEST(Issuer, JittersRollingExpiryWithinTheJitterWindow) {
  TokenWorld w;
  w.accounts.add_device(AccountId(1), DeviceId(11));
  w.accounts.set_balance(AccountId(1), yuan(10));
  w.policy.alignment = ExpiryAlignment::kRollingJitter;
  w.policy.jitter = Duration::hours(2);
  w.policy.tokens_per_grant = 20;
  const Issued i = issue(w, 1, 11, kT0);
  std::set<Time> distinct;
  for (const auto& t : i.tokens) {
    EXPECT_LE(t.header.expires_at, kT0 + Duration::hours(24));
    EXPECT_GT(t.header.expires_at, kT0 + Duration::hours(22));
    distinct.insert(t.header.expires_at);
  }
  EXPECT_GT(distinct.size(), 10u);
}

TEST(Issuer, PolicyValidationNamesTheField) {
  IssuePolicy p;
  p.issuing_minimum = yuan(0);
  EXPECT_TRUE(p.validate().ok());
  auto field = [](IssuePolicy q) { return q.validate().error().where; };
  IssuePolicy a = p;
  a.offline_limit = 0;
  EXPECT_EQ(field(a), "IssuePolicy.offline_limit");
  IssuePolicy b = p;
  b.tokens_per_grant = 65;
  EXPECT_EQ(field(b), "IssuePolicy.tokens_per_grant");
  IssuePolicy c = p;
  c.alignment = ExpiryAlignment::kRollingJitter;
  c.jitter = Duration::hours(30);
  EXPECT_EQ(field(c), "IssuePolicy.jitter");
  IssuePolicy d = p;
  d.alignment = ExpiryAlignment::kDailyBoundary;
  d.daily_boundary = Duration::hours(24);
  EXPECT_EQ(field(d), "IssuePolicy.daily_boundary");
  IssuePolicy e = p;
  e.time_to_live = Duration::zero();
  EXPECT_EQ(field(e), "IssuePolicy.time_to_live");
}

TEST(IssuerKeyring, StagesANewVersionUntilMadeCurrentAndNeverGoesBack) {
  IssuerKeyring keys;
  ASSERT_TRUE(keys.add(master_keys(1)).ok());
  EXPECT_EQ(keys.current_version(), 1u);
  ASSERT_TRUE(keys.add(master_keys(2)).ok());
  EXPECT_EQ(keys.current_version(), 1u); // staged: validators get it first
  EXPECT_TRUE(keys.holds(2));
  EXPECT_FALSE(keys.add(master_keys(2)).ok());
  EXPECT_FALSE(keys.add(master_keys(0)).ok());
  EXPECT_FALSE(keys.make_current(3).ok());
  ASSERT_TRUE(keys.make_current(2).ok());
  EXPECT_EQ(keys.make_current(1).error().where, "key_version");
  EXPECT_EQ(keys.current_version(), 2u);
  keys.withdraw(1);
  EXPECT_FALSE(keys.holds(1));
}
