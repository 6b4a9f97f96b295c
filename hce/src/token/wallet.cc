#include "hce/token/wallet.h"

#include "hce/token/token_keys.h"

#include <algorithm>
#include <deque>
#include <mutex>

namespace hcesim::hce {

namespace {

HeldToken held_of(const GrantedToken& g) {
  return HeldToken{g.header.id,  g.header.issued_at,   g.header.expires_at,    g.validator_key,
                   g.issuer_key, g.header.key_version, g.header.offline_limit, 0};
}

// One copy of each distinct policy for the process (a deque: addresses stay put), found by a
// scan: a city has a handful, and a wallet is made once per rider, not per tap.
const RefillPolicy* shared_policy(const RefillPolicy& policy) {
  static std::mutex guard; // simulation runs make wallets on several threads
  static std::deque<RefillPolicy> kept;
  const std::lock_guard lock(guard);
  for (const RefillPolicy& p : kept) {
    if (p == policy) {
      return &p;
    }
  }
  return &kept.emplace_back(policy);
}

} // namespace

Wallet::Wallet(AccountId account, DeviceId device, const Key128& device_key, RefillPolicy policy)
    : account_(account), device_(device), device_key_(device_key), policy_(shared_policy(policy)) {}

static_assert(sizeof(Wallet) <= 112, "a million simulated wallets: keep the wallet packed");

Result<size_t> Wallet::accept_grant(const TokenGrant& grant) {
  if (grant.account != account_ || grant.device != device_) {
    return Error{"TokenGrant", "grant for account " + grant.account.to_string() + " device " +
                                   grant.device.to_string() + ", this wallet is account " +
                                   account_.to_string() + " device " + device_.to_string()};
  }
  auto opened = open_grant(grant, device_key_);
  if (!opened) {
    return opened.error();
  }
  // Grow to what is needed, not to the next power of two (a million simulated wallets).
  if (tokens_.capacity() < tokens_.size() + opened.value().size()) {
    tokens_.reserve(tokens_.size() + opened.value().size());
  }
  size_t added = 0;
  for (const auto& t : opened.value()) {
    const bool held = std::any_of(tokens_.begin(), tokens_.end(),
                                  [&](const HeldToken& w) { return w.id == t.header.id; });
    if (!held && !was_dropped(t.header.id)) {
      tokens_.push_back(held_of(t));
      ++added;
    }
  }
  in_flight_ = false;
  used_since_grant_ = false;
  failures_ = 0;
  retry_at_ = Time{};
  return added;
}

HeldToken* Wallet::choose(Time now) {
  HeldToken* best = nullptr;
  for (auto& t : tokens_) {
    if (usable(t, now) && (best == nullptr || t.expires_at < best->expires_at)) {
      best = &t;
    }
  }
  return best;
}

TokenHeader Wallet::header_of(const HeldToken& t) const {
  return TokenHeader{t.id,         account_,        device_,      t.issued_at,
                     t.expires_at, t.offline_limit, t.key_version};
}

std::vector<WalletToken> Wallet::tokens() const {
  std::vector<WalletToken> out;
  out.reserve(tokens_.size());
  for (const HeldToken& t : tokens_) {
    out.push_back(
        WalletToken{GrantedToken{header_of(t), t.validator_key, t.issuer_key}, t.next_counter()});
  }
  return out;
}

std::optional<TapResponse> Wallet::answer(const TapChallenge& challenge, Time now) {
  AesCmac scratch(device_key_); // any key: answer() re-keys it
  return answer(challenge, now, scratch);
}

std::optional<TapResponse> Wallet::answer(const TapChallenge& challenge, Time now,
                                          AesCmac& scratch) {
  HeldToken* t = choose(now);
  if (t == nullptr) {
    return std::nullopt;
  }
  TapResponse r;
  r.header = header_of(*t);
  r.counter = ++t->used; // consumed before the answer leaves
  scratch.rekey(t->validator_key);
  r.validator_cryptogram =
      compute_cryptogram(scratch, CryptogramRole::kValidator, challenge, r.counter);
  scratch.rekey(t->issuer_key);
  r.issuer_cryptogram = compute_cryptogram(scratch, CryptogramRole::kIssuer, challenge, r.counter);
  used_since_grant_ = true;
  return r;
}

void Wallet::drop_spent(Time now) {
  std::erase_if(tokens_, [&](const HeldToken& t) {
    if (usable(t, now)) {
      return false;
    }
    if (!was_dropped(t.id)) {
      dropped_.emplace_back(t.id, t.expires_at);
    }
    return true;
  });
  std::erase_if(dropped_, [&](const auto& d) { return d.second < now; });
}

bool Wallet::was_dropped(const TokenId& id) const {
  return std::any_of(dropped_.begin(), dropped_.end(),
                     [&](const auto& d) { return d.first == id; });
}

uint32_t Wallet::taps_left(Time now) const {
  uint32_t n = 0;
  for (const auto& t : tokens_) {
    if (usable(t, now)) {
      n += uint32_t{t.offline_limit} - t.used;
    }
  }
  return n;
}

bool Wallet::request_in_flight(Time now) const {
  return in_flight_ && now - in_flight_since_ < policy_->request_timeout;
}

void Wallet::request_failed(Time now) {
  in_flight_ = false;
  Duration wait = policy_->retry_backoff;
  for (uint32_t i = 0; i < failures_ && wait < policy_->retry_backoff_max; ++i) {
    wait = wait * 2;
  }
  ++failures_;
  retry_at_ = now + std::min(wait, policy_->retry_backoff_max);
}

bool Wallet::wants_tokens(Time now) const {
  if (request_in_flight(now) || (failures_ > 0 && now < retry_at_)) {
    return false;
  }
  const uint32_t left = taps_left(now);
  if (left == 0) {
    return true;
  }
  switch (policy_->rule) {
  case RefillRule::kAfterEveryUse:
    return used_since_grant_;
  case RefillRule::kBelowTaps:
    return left < policy_->min_taps_left;
  case RefillRule::kBeforeExpiry: {
    Time last = Time::epoch();
    for (const auto& t : tokens_) {
      if (usable(t, now)) {
        last = std::max(last, t.expires_at);
      }
    }
    return last - now < policy_->min_time_left;
  }
  }
  return false;
}

WalletState Wallet::save() const {
  return WalletState{account_, device_, tokens()};
}

Result<void> Wallet::restore(const WalletState& state) {
  if (state.account != account_ || state.device != device_) {
    return Error{"WalletState", "state for account " + state.account.to_string() + " device " +
                                    state.device.to_string() + ", this wallet is account " +
                                    account_.to_string() + " device " + device_.to_string()};
  }
  for (const auto& saved : state.tokens) {
    const TokenHeader& h = saved.token.header;
    if (h.account != account_ || h.device != device_) {
      return Error{"WalletState", "token " + h.id.to_string() + " is for account " +
                                      h.account.to_string() + " device " + h.device.to_string() +
                                      ", this wallet is account " + account_.to_string() +
                                      " device " + device_.to_string()};
    }
  }
  for (const auto& saved : state.tokens) {
    const TokenHeader& h = saved.token.header;
    if (was_dropped(h.id)) {
      continue;
    }
    // next_counter is 1..limit+1 when saved by a wallet; anything past the limit is used up.
    const auto used = static_cast<uint16_t>(
        std::min<uint32_t>(h.offline_limit, saved.next_counter == 0 ? 0 : saved.next_counter - 1));
    auto it = std::find_if(tokens_.begin(), tokens_.end(),
                           [&](const HeldToken& w) { return w.id == h.id; });
    if (it == tokens_.end()) {
      HeldToken t = held_of(saved.token);
      t.used = used;
      tokens_.push_back(t);
    } else {
      it->used = std::max(it->used, used);
    }
  }
  return {};
}

} // namespace hcesim::hce
