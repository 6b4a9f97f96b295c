#include "hce/token/token_keys.h"

#include <cassert>
#include <cstring>

namespace hcesim::hce {

std::array<uint8_t, kCryptogramInputBytes>
encode_cryptogram_input(CryptogramRole role, const TapChallenge& c, uint16_t counter) {
  std::array<uint8_t, kCryptogramInputBytes> out{};
  uint8_t* p = out.data();
  *p++ = static_cast<uint8_t>(0x10 | static_cast<uint8_t>(role));
  p = put_u32(p, c.validator.value());
  p = put_u64(p, static_cast<uint64_t>(c.time.us()));
  p = put_u64(p, c.unpredictable);
  *p++ = static_cast<uint8_t>(c.kind);
  put_u16(p, counter);
  return out;
}

Key128 derive_token_key(AesCmac& master, CryptogramRole role, const TokenHeader& header) {
  // A role byte in front separates the two derivations even under equal master keys.
  std::array<uint8_t, 1 + kTokenHeaderBytes> in{};
  in[0] = static_cast<uint8_t>(0x20 | static_cast<uint8_t>(role));
  const auto h = encode_header(header);
  std::memcpy(in.data() + 1, h.data(), h.size());
  return master.mac(in);
}

Mac128 compute_cryptogram(AesCmac& token_key, CryptogramRole role, const TapChallenge& challenge,
                          uint16_t counter) {
  return token_key.mac(encode_cryptogram_input(role, challenge, counter));
}

Result<void> IssuerKeyring::add(const MasterKeys& keys) {
  if (keys.version == 0) {
    return Error{"key_version", "key version 0 is reserved; versions start at 1"};
  }
  if (holds(keys.version)) {
    return Error{"key_version", "key version " + std::to_string(keys.version) + " already held"};
  }
  Held held{keys, std::make_unique<AesCmac>(keys.validator),
            std::make_unique<AesCmac>(keys.issuer)};
  by_version_.emplace(keys.version, std::move(held));
  if (current_ == 0) {
    current_ = keys.version;
  }
  return {};
}

Result<void> IssuerKeyring::make_current(uint32_t version) {
  if (!holds(version)) {
    return Error{"key_version", "key version " + std::to_string(version) + " is not held"};
  }
  if (version < current_) {
    return Error{"key_version", "key version " + std::to_string(version) +
                                    " is below the current " + std::to_string(current_) +
                                    " (no downgrade)"};
  }
  current_ = version;
  return {};
}

void IssuerKeyring::withdraw(uint32_t version) {
  assert(version != current_ && "withdrawing the key version in use");
  by_version_.erase(version);
}

const MasterKeys* IssuerKeyring::find(uint32_t version) const {
  auto it = by_version_.find(version);
  return it == by_version_.end() ? nullptr : &it->second.keys;
}

bool IssuerKeyring::derive(const TokenHeader& header, Key128& validator_key, Key128& issuer_key) {
  auto it = by_version_.find(header.key_version);
  if (it == by_version_.end()) {
    return false;
  }
  validator_key = derive_token_key(*it->second.validator, CryptogramRole::kValidator, header);
  issuer_key = derive_token_key(*it->second.issuer, CryptogramRole::kIssuer, header);
  return true;
}

} // namespace hcesim::hce
