#pragma once
// The token issuer (cloud side): enrols devices (their grant-wrapping key) and answers token
// requests with a grant of fresh tokens under the current key version, or a refusal with one
// reason, by an issuing policy (DESIGN §4).
#include "hce/random_source.h"
#include "hce/token/account_status.h"
#include "hce/token/grant.h"
#include "hce/token/token_keys.h"

#include "base/error.h"
#include "base/money.h"
#include "base/time.h"

#include <optional>
#include <unordered_map>
#include <vector>

namespace hcesim::hce {

enum class ExpiryAlignment : uint8_t {
  kRolling,       //!< expires ttl after issue
  kDailyBoundary, //!< expires at the last daily boundary (time of day) at or before issue + ttl
  kRollingJitter, //!< ttl after issue minus a uniform random jitter in [0, jitter)
};

struct IssuePolicy {
  uint16_t offline_limit = 3;
  Duration time_to_live = Duration::hours(24);
  ExpiryAlignment alignment = ExpiryAlignment::kRolling;
  Duration daily_boundary = Duration::hours(4); //!< kDailyBoundary: time of day, [0, 24h)
  Duration jitter = Duration::hours(1);         //!< kRollingJitter: (0, time_to_live)
  uint32_t tokens_per_grant = 1;                //!< 1..kMaxGrantTokens
  uint32_t requests_per_device_per_hour = 20;   //!< requests over this in a sliding hour refused
  std::optional<Money> issuing_minimum;         //!< balance below this: refused (none: no minimum)

  //! Every field's range; errors name the field ("IssuePolicy.offline_limit").
  Result<void> validate() const;
};

enum class IssueRefusal : uint8_t {
  kNone = 0,
  kDeviceUnknown, //!< device not enrolled for the account
  kAccountDenylisted,
  kRateLimited,   //!< too many requests from this device in the last hour
  kBalanceTooLow, //!< below the issuing minimum
};
const char* to_string(IssueRefusal r);

struct IssueOutcome {
  IssueRefusal refusal = IssueRefusal::kNone;
  TokenGrant grant; //!< when granted
  bool granted() const { return refusal == IssueRefusal::kNone; }
};

class Issuer {
public:
  //! `keys`: shared with settlement (it issues under the current version). `device_master_key`:
  //! every device key is diversified from it, so the issuer stores none.
  Issuer(IssuerKeyring& keys, const Key128& device_master_key, const AccountStatus& accounts);

  //! The device's key (sent to the phone once, at enrolment). The account must record the device
  //! as known for issue() to grant.
  Enrolment enrol(AccountId account, DeviceId device);

  //! Grants policy.tokens_per_grant tokens or refuses; `policy` must validate().
  IssueOutcome issue(AccountId account, DeviceId device, Time now, const IssuePolicy& policy,
                     RandomSource& random);

  //! When a token issued at `now` would expire under `policy`, if that draws nothing (ROLLING,
  //! DAILY_BOUNDARY): a phone can tell whether asking now would outlast what it holds.
  static std::optional<Time> fixed_expiry(Time now, const IssuePolicy& policy);

private:
  Key128 device_key(DeviceId device);
  Time expiry(Time now, const IssuePolicy& policy, RandomSource& random) const;
  //! Drops devices with no request in the last hour before `now` (they hold nothing to limit).
  void sweep_requests(Time now);

  IssuerKeyring& keys_;
  AesCmac device_master_;
  const AccountStatus& accounts_;
  //! Per device, its requests within the last hour, oldest first. Only devices that asked
  //! within the hour are held (swept once per as many requests as devices held), so a million
  //! enrolled phones cost nothing here while idle.
  std::unordered_map<DeviceId, std::vector<Time>> recent_requests_;
  size_t requests_since_sweep_ = 0;
};

} // namespace hcesim::hce
