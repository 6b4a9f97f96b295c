#pragma once
// Enrolment, token requests and grants: a grant carries token headers in clear and their keys
// sealed with AES-128-GCM under the per-device key set at enrolment, so a grant intercepted or
// replayed to another device is useless (DESIGN §4).
#include "hce/random_source.h"
#include "hce/token/aes_cmac.h"
#include "hce/token/token_header.h"

#include "base/error.h"
#include "base/ids.h"
#include "base/time.h"

#include <array>
#include <vector>

namespace hcesim::hce {

//! Most tokens one grant may carry (the decoder refuses more).
inline constexpr size_t kMaxGrantTokens = 64;

//! What the phone receives at enrolment: its device key.
struct Enrolment {
  AccountId account;
  DeviceId device;
  Key128 device_key{};
  bool operator==(const Enrolment&) const = default;
};

struct TokenRequest {
  AccountId account;
  DeviceId device;
  Time sent_at; //!< the phone's clock (informational)
  bool operator==(const TokenRequest&) const = default;
};

//! One token as the phone holds it: the header and its two keys.
struct GrantedToken {
  TokenHeader header;
  Key128 validator_key{};
  Key128 issuer_key{};
  bool operator==(const GrantedToken&) const = default;
};

struct TokenGrant {
  AccountId account;
  DeviceId device;
  std::vector<TokenHeader> headers;
  std::array<uint8_t, 12> nonce{};
  std::vector<uint8_t> sealed_keys; //!< 32 bytes per header
  Mac128 tag{};
  bool operator==(const TokenGrant&) const = default;
};

//! Seals tokens for a device (cloud side). The nonce comes from `random`.
TokenGrant seal_grant(AccountId account, DeviceId device, const std::vector<GrantedToken>& tokens,
                      const Key128& device_key, RandomSource& random);

//! Opens a grant with the device key (phone side); an error if it was not sealed for this key,
//! account and device, or was altered.
Result<std::vector<GrantedToken>> open_grant(const TokenGrant& grant, const Key128& device_key);

} // namespace hcesim::hce
