#pragma once
// The phone wallet: opens grants with the device key, holds tokens, answers a validator's
// challenge with the soonest-expiring token that has taps left (both cryptograms), never reuses a
// counter (also across save/restore), drops expired tokens, and says when to ask for more under a
// refill policy, remembering a request in flight so it does not ask twice (DESIGN §4).
#include "hce/token/aes_cmac.h"
#include "hce/token/grant.h"
#include "hce/token/tap.h"
#include "hce/token/wallet_state.h"

#include "base/error.h"
#include "base/ids.h"
#include "base/time.h"

#include <optional>
#include <utility>
#include <vector>

namespace hcesim::hce {

enum class RefillRule : uint8_t {
  kAfterEveryUse, //!< ask as soon as any held token has been used
  kBelowTaps,     //!< ask when fewer than min_taps_left taps remain in all held tokens
  kBeforeExpiry,  //!< ask when the usable tokens run out within min_time_left
};

struct RefillPolicy {
  RefillRule rule = RefillRule::kAfterEveryUse;
  uint32_t min_taps_left = 1;                  //!< kBelowTaps: K
  Duration min_time_left = Duration::hours(2); //!< kBeforeExpiry: T
  //! A request with no answer after this long is taken as lost (the wallet may ask again).
  Duration request_timeout = Duration::seconds(30);
  //! After a failed request, wait this long before the next; doubled per consecutive failure up
  //! to retry_backoff_max, reset by a grant.
  Duration retry_backoff = Duration::seconds(30);
  Duration retry_backoff_max = Duration::minutes(15);
  bool operator==(const RefillPolicy&) const = default;
};

//! A token as a wallet holds it: its header less the wallet's own account and device, its keys
//! and how many counters it has used (72 bytes, not 96: a million simulated wallets hold a few).
struct HeldToken {
  TokenId id;
  Time issued_at;
  Time expires_at;
  Key128 validator_key{};
  Key128 issuer_key{};
  uint32_t key_version = 0;
  uint16_t offline_limit = 0;
  uint16_t used = 0; //!< counters 1..used are spent (offline_limit: used up)
  uint32_t next_counter() const { return used + 1u; }
  bool operator==(const HeldToken&) const = default;
};

//! Whether a held token can still answer a tap at `now`: unexpired, with a counter left.
inline bool usable(const HeldToken& t, Time now) {
  return now <= t.expires_at && t.used < t.offline_limit;
}

class Wallet {
public:
  Wallet(AccountId account, DeviceId device, const Key128& device_key, RefillPolicy policy);

  //! Opens a grant and adds its tokens (tokens already held are ignored); clears the request in
  //! flight. Error if the grant is for another account/device or does not authenticate.
  Result<size_t> accept_grant(const TokenGrant& grant);

  //! Answers a challenge with the chosen token, consuming its counter; nullopt when no held token
  //! is unexpired at `now` with taps left. `scratch` is any CMAC context (it is re-keyed): one
  //! shared context serves a million simulated wallets, which then hold no OpenSSL state.
  std::optional<TapResponse> answer(const TapChallenge& challenge, Time now, AesCmac& scratch);
  //! The same with a context of its own (costs an OpenSSL context set-up per call).
  std::optional<TapResponse> answer(const TapChallenge& challenge, Time now);

  //! Drops tokens expired at `now` or used up.
  void drop_spent(Time now);

  //! Whether to ask for tokens now: the policy says so and no request is in flight.
  bool wants_tokens(Time now) const;
  void request_sent(Time now) {
    in_flight_since_ = now;
    in_flight_ = true;
  }
  //! The request failed (refused or errored at `now`): the wallet asks again after a back-off.
  void request_failed(Time now);
  bool request_in_flight(Time now) const;
  //! When the back-off after failed requests ends (the epoch when the last request did not fail).
  Time retry_at() const { return failures_ > 0 ? retry_at_ : Time::epoch(); }

  //! Taps left over tokens unexpired at `now`.
  uint32_t taps_left(Time now) const;
  size_t token_count() const { return tokens_.size(); }
  //! The tokens held, as kept (no copy).
  const std::vector<HeldToken>& held() const { return tokens_; }
  //! The tokens held with their whole headers, as saved (a copy).
  std::vector<WalletToken> tokens() const;
  //! The header a held token was granted with.
  TokenHeader header_of(const HeldToken& t) const;
  AccountId account() const { return account_; }
  DeviceId device() const { return device_; }
  //! The refill policy, as given (wallets with equal policies share one copy).
  const RefillPolicy& policy() const { return *policy_; }

  //! What to save so a restart loses nothing (save after every answer, before sending it).
  WalletState save() const;
  //! Merges a saved state: counters only move forward (the higher of held and saved wins), and
  //! tokens this wallet has already dropped are not brought back. Error if the state, or a token
  //! in it, is for another account or device.
  Result<void> restore(const WalletState& state);

private:
  HeldToken* choose(Time now);

  AccountId account_;
  DeviceId device_;
  Key128 device_key_;
  // Shared with every wallet of an equal policy: 48 bytes a wallet less (a million wallets, a
  // handful of policies). Kept for the process's life.
  const RefillPolicy* policy_;
  std::vector<HeldToken> tokens_;
  bool was_dropped(const TokenId& id) const;
  //! Dropped tokens not yet expired (with their expiry), so a restore cannot resurrect them;
  //! an expired one is useless anyway. A handful at most: a flat vector (a million wallets).
  std::vector<std::pair<TokenId, Time>> dropped_;
  // Flags and times packed (no optional<Time>'s padding): 112 bytes a wallet, not 128.
  Time in_flight_since_;  //!< valid when in_flight_
  Time retry_at_;         //!< no request before this
  uint32_t failures_ = 0; //!< consecutive failed requests
  bool in_flight_ = false;
  bool used_since_grant_ = false;
};

} // namespace hcesim::hce
