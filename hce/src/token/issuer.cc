#include "hce/token/issuer.h"

#include <algorithm>
#include <cassert>

namespace hcesim::hce {

const char* to_string(IssueRefusal r) {
  switch (r) {
  case IssueRefusal::kNone:
    return "granted";
  case IssueRefusal::kDeviceUnknown:
    return "device unknown";
  case IssueRefusal::kAccountDenylisted:
    return "account denylisted";
  case IssueRefusal::kRateLimited:
    return "rate limited";
  case IssueRefusal::kBalanceTooLow:
    return "balance below issuing minimum";
  }
  return "?";
}

Result<void> IssuePolicy::validate() const {
  if (offline_limit < 1) {
    return Error{"IssuePolicy.offline_limit", "expected 1..65535, found 0"};
  }
  if (time_to_live <= Duration::zero()) {
    return Error{"IssuePolicy.time_to_live",
                 "expected > 0, found " + format_duration(time_to_live)};
  }
  if (alignment == ExpiryAlignment::kDailyBoundary &&
      (daily_boundary < Duration::zero() || daily_boundary >= Duration::days(1))) {
    return Error{"IssuePolicy.daily_boundary",
                 "expected a time of day in [0, 24h), found " + format_duration(daily_boundary)};
  }
  if (alignment == ExpiryAlignment::kRollingJitter &&
      (jitter <= Duration::zero() || jitter >= time_to_live)) {
    return Error{"IssuePolicy.jitter",
                 "expected in (0, time_to_live), found " + format_duration(jitter)};
  }
  if (tokens_per_grant < 1 || tokens_per_grant > kMaxGrantTokens) {
    return Error{"IssuePolicy.tokens_per_grant", "expected 1.." + std::to_string(kMaxGrantTokens) +
                                                     ", found " + std::to_string(tokens_per_grant)};
  }
  if (requests_per_device_per_hour < 1) {
    return Error{"IssuePolicy.requests_per_device_per_hour", "expected >= 1, found 0"};
  }
  return {};
}

Issuer::Issuer(IssuerKeyring& keys, const Key128& device_master_key, const AccountStatus& accounts)
    : keys_(keys), device_master_(device_master_key), accounts_(accounts) {}

Key128 Issuer::device_key(DeviceId device) {
  std::array<uint8_t, 9> in{};
  in[0] = 0x30; // device-key derivation, apart from token keys and cryptograms
  put_u64(in.data() + 1, device.value());
  return device_master_.mac(in);
}

Enrolment Issuer::enrol(AccountId account, DeviceId device) {
  return Enrolment{account, device, device_key(device)};
}

std::optional<Time> Issuer::fixed_expiry(Time now, const IssuePolicy& p) {
  const Time rolling = now + p.time_to_live;
  switch (p.alignment) {
  case ExpiryAlignment::kRolling:
    return rolling;
  case ExpiryAlignment::kDailyBoundary: {
    Time t = Time::from_us(rolling.day() * Duration::days(1).us()) + p.daily_boundary;
    if (t > rolling) {
      t = t - Duration::days(1);
    }
    // A ttl under a day can put the last boundary before now: use the next one instead.
    return t > now ? t : t + Duration::days(1);
  }
  case ExpiryAlignment::kRollingJitter:
    return std::nullopt;
  }
  return rolling;
}

Time Issuer::expiry(Time now, const IssuePolicy& p, RandomSource& random) const {
  if (const std::optional<Time> fixed = fixed_expiry(now, p)) {
    return *fixed;
  }
  // ROLLING_WITH_JITTER: rolling, minus a random jitter.
  const auto span = static_cast<uint64_t>(p.jitter.us());
  return now + p.time_to_live - Duration::micros(static_cast<int64_t>(random.next_u64() % span));
}

void Issuer::sweep_requests(Time now) {
  // Erasing only entries equivalent to none: the order of the sweep cannot change any answer.
  std::erase_if(recent_requests_, [&](const auto& d) {
    return std::all_of(d.second.begin(), d.second.end(),
                       [&](Time t) { return now - t >= Duration::hours(1); });
  });
  requests_since_sweep_ = 0;
}

IssueOutcome Issuer::issue(AccountId account, DeviceId device, Time now, const IssuePolicy& policy,
                           RandomSource& random) {
  assert(policy.validate().ok());
  IssueOutcome out;
  if (!accounts_.is_known_device(account, device)) {
    out.refusal = IssueRefusal::kDeviceUnknown;
    return out;
  }
  if (accounts_.is_denylisted(account)) {
    out.refusal = IssueRefusal::kAccountDenylisted;
    return out;
  }
  if (++requests_since_sweep_ > recent_requests_.size()) {
    sweep_requests(now); // amortised: O(1) per request
  }
  auto& recent = recent_requests_[device];
  recent.erase(recent.begin(), std::find_if(recent.begin(), recent.end(),
                                            [&](Time t) { return now - t < Duration::hours(1); }));
  if (recent.size() >= policy.requests_per_device_per_hour) {
    out.refusal = IssueRefusal::kRateLimited;
    return out;
  }
  recent.push_back(now);
  if (policy.issuing_minimum && accounts_.balance(account) < *policy.issuing_minimum) {
    out.refusal = IssueRefusal::kBalanceTooLow;
    return out;
  }
  const uint32_t version = keys_.current_version();
  assert(version != 0 && "issuer has no key version");
  std::vector<GrantedToken> tokens(policy.tokens_per_grant);
  for (auto& t : tokens) {
    TokenHeader& h = t.header;
    do {
      random.fill(reinterpret_cast<uint8_t*>(&h.id.hi), sizeof h.id.hi);
      random.fill(reinterpret_cast<uint8_t*>(&h.id.lo), sizeof h.id.lo);
    } while (h.id.hi == 0 && h.id.lo == 0);
    h.account = account;
    h.device = device;
    h.issued_at = now;
    h.expires_at = expiry(now, policy, random);
    h.offline_limit = policy.offline_limit;
    h.key_version = version;
    [[maybe_unused]] const bool held = keys_.derive(h, t.validator_key, t.issuer_key);
    assert(held);
  }
  out.grant = seal_grant(account, device, tokens, device_key(device), random);
  for (auto& t : tokens) {
    t.validator_key.fill(0);
    t.issuer_key.fill(0);
  }
  return out;
}

} // namespace hcesim::hce
