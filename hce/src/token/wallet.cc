#include "hce/token/wallet.h"

#include "hce/token/token_keys.h"

#include <algorithm>

namespace hcesim::hce {

namespace {

bool usable(const WalletToken& t, Time now) {
  return now <= t.token.header.expires_at && t.next_counter <= t.token.header.offline_limit;
}

} // namespace

Wallet::Wallet(AccountId account, DeviceId device, const Key128& device_key, RefillPolicy policy)
    : account_(account), device_(device), device_key_(device_key), policy_(policy) {}

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
    const bool held = std::any_of(tokens_.begin(), tokens_.end(), [&](const WalletToken& w) {
      return w.token.header.id == t.header.id;
    });
    if (!held && !was_dropped(t.header.id)) {
      tokens_.push_back(WalletToken{t, 1});
      ++added;
    }
  }
  in_flight_since_.reset();
  used_since_grant_ = false;
  failures_ = 0;
  retry_at_ = Time{};
  return added;
}

WalletToken* Wallet::choose(Time now) {
  WalletToken* best = nullptr;
  for (auto& t : tokens_) {
    if (usable(t, now) &&
        (best == nullptr || t.token.header.expires_at < best->token.header.expires_at)) {
      best = &t;
    }
  }
  return best;
}

std::optional<TapResponse> Wallet::answer(const TapChallenge& challenge, Time now) {
  AesCmac scratch(device_key_); // any key: answer() re-keys it
  return answer(challenge, now, scratch);
}

std::optional<TapResponse> Wallet::answer(const TapChallenge& challenge, Time now,
                                          AesCmac& scratch) {
  WalletToken* t = choose(now);
  if (t == nullptr) {
    return std::nullopt;
  }
  TapResponse r;
  r.header = t->token.header;
  r.counter = static_cast<uint16_t>(t->next_counter++); // consumed before the answer leaves
  scratch.rekey(t->token.validator_key);
  r.validator_cryptogram =
      compute_cryptogram(scratch, CryptogramRole::kValidator, challenge, r.counter);
  scratch.rekey(t->token.issuer_key);
  r.issuer_cryptogram = compute_cryptogram(scratch, CryptogramRole::kIssuer, challenge, r.counter);
  used_since_grant_ = true;
  return r;
}

void Wallet::drop_spent(Time now) {
  std::erase_if(tokens_, [&](const WalletToken& t) {
    if (usable(t, now)) {
      return false;
    }
    if (!was_dropped(t.token.header.id)) {
      dropped_.emplace_back(t.token.header.id, t.token.header.expires_at);
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
      n += t.token.header.offline_limit + 1u - t.next_counter;
    }
  }
  return n;
}

bool Wallet::request_in_flight(Time now) const {
  return in_flight_since_.has_value() && now - *in_flight_since_ < policy_.request_timeout;
}

void Wallet::request_failed(Time now) {
  in_flight_since_.reset();
  Duration wait = policy_.retry_backoff;
  for (uint32_t i = 0; i < failures_ && wait < policy_.retry_backoff_max; ++i) {
    wait = wait * 2;
  }
  ++failures_;
  retry_at_ = now + std::min(wait, policy_.retry_backoff_max);
}

bool Wallet::wants_tokens(Time now) const {
  if (request_in_flight(now) || (failures_ > 0 && now < retry_at_)) {
    return false;
  }
  const uint32_t left = taps_left(now);
  if (left == 0) {
    return true;
  }
  switch (policy_.rule) {
  case RefillRule::kAfterEveryUse:
    return used_since_grant_;
  case RefillRule::kBelowTaps:
    return left < policy_.min_taps_left;
  case RefillRule::kBeforeExpiry: {
    Time last = Time::epoch();
    for (const auto& t : tokens_) {
      if (usable(t, now)) {
        last = std::max(last, t.token.header.expires_at);
      }
    }
    return last - now < policy_.min_time_left;
  }
  }
  return false;
}

WalletState Wallet::save() const {
  return WalletState{account_, device_, tokens_};
}

Result<void> Wallet::restore(const WalletState& state) {
  if (state.account != account_ || state.device != device_) {
    return Error{"WalletState", "state for account " + state.account.to_string() + " device " +
                                    state.device.to_string() + ", this wallet is account " +
                                    account_.to_string() + " device " + device_.to_string()};
  }
  for (const auto& saved : state.tokens) {
    if (was_dropped(saved.token.header.id)) {
      continue;
    }
    auto it = std::find_if(tokens_.begin(), tokens_.end(), [&](const WalletToken& w) {
      return w.token.header.id == saved.token.header.id;
    });
    if (it == tokens_.end()) {
      tokens_.push_back(saved);
    } else {
      it->next_counter = std::max(it->next_counter, saved.next_counter);
    }
  }
  return {};
}

} // namespace hcesim::hce
