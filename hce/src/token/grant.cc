#include "hce/token/grant.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace hcesim::hce {

namespace {

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

// AES-128-GCM fetched from the provider once: EVP_aes_128_gcm() makes every init look the
// algorithm up again (OpenSSL 3's implicit fetch), which cost about half of a grant's sealing.
// Held for the process's life (read-only, shared by threads); if the fetch fails, the implicit one.
const EVP_CIPHER* aes_128_gcm() {
  static const EVP_CIPHER* const fetched = EVP_CIPHER_fetch(nullptr, "AES-128-GCM", nullptr);
  return fetched != nullptr ? fetched : EVP_aes_128_gcm();
}

// One AES-128-GCM context per thread and direction, re-keyed at each seal or open: a new
// context's set-up and clean-up cost a quarter of a grant's sealing (a city issues millions). It
// keeps the last device key's schedule until the thread's next grant, as the wallets' shared
// AesCmac scratch keeps the last token key. Null if OpenSSL cannot make one.
EVP_CIPHER_CTX* gcm_context(bool encrypt) {
  thread_local CipherCtx sealing(nullptr, &EVP_CIPHER_CTX_free);
  thread_local CipherCtx opening(nullptr, &EVP_CIPHER_CTX_free);
  CipherCtx& ctx = encrypt ? sealing : opening;
  if (!ctx) {
    ctx.reset(EVP_CIPHER_CTX_new());
    int ok = 0;
    if (ctx) {
      ok = encrypt ? EVP_EncryptInit_ex(ctx.get(), aes_128_gcm(), nullptr, nullptr, nullptr)
                   : EVP_DecryptInit_ex(ctx.get(), aes_128_gcm(), nullptr, nullptr, nullptr);
    }
    if (ok != 1) {
      ctx.reset();
    }
  }
  return ctx.get();
}

// A thread's scratch room for a grant's associated data and clear keys, kept between grants: a
// city seals and opens millions, and two fresh buffers each were a third of their allocations.
// The clear keys are cleansed after every use.
struct GrantScratch {
  std::vector<uint8_t> aad;
  std::vector<uint8_t> plain;
};
GrantScratch& scratch() {
  thread_local GrantScratch s;
  return s;
}

// Associated data: account, device and every header, so none can be swapped.
const std::vector<uint8_t>& associated_data(AccountId account, DeviceId device,
                                            const std::vector<TokenHeader>& headers) {
  std::vector<uint8_t>& aad = scratch().aad;
  aad.resize(16 + headers.size() * kTokenHeaderBytes);
  uint8_t* p = put_u64(aad.data(), account.value());
  p = put_u64(p, device.value());
  for (const auto& h : headers) {
    const auto e = encode_header(h);
    std::memcpy(p, e.data(), e.size());
    p += e.size();
  }
  return aad;
}

} // namespace

TokenGrant seal_grant(AccountId account, DeviceId device, const std::vector<GrantedToken>& tokens,
                      const Key128& device_key, RandomSource& random) {
  TokenGrant g;
  g.account = account;
  g.device = device;
  std::vector<uint8_t>& plain = scratch().plain;
  plain.resize(tokens.size() * 32);
  g.headers.reserve(tokens.size());
  uint8_t* k = plain.data();
  for (const auto& t : tokens) {
    g.headers.push_back(t.header);
    k = std::copy(t.validator_key.begin(), t.validator_key.end(), k);
    k = std::copy(t.issuer_key.begin(), t.issuer_key.end(), k);
  }
  random.fill(g.nonce.data(), g.nonce.size());
  const std::vector<uint8_t>& aad = associated_data(account, device, g.headers);
  g.sealed_keys.resize(plain.size());
  EVP_CIPHER_CTX* const ctx = gcm_context(true);
  int len = 0;
  const bool ok =
      ctx != nullptr &&
      EVP_EncryptInit_ex(ctx, nullptr, nullptr, device_key.data(), g.nonce.data()) == 1 &&
      EVP_EncryptUpdate(ctx, nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1 &&
      EVP_EncryptUpdate(ctx, g.sealed_keys.data(), &len, plain.data(),
                        static_cast<int>(plain.size())) == 1 &&
      EVP_EncryptFinal_ex(ctx, g.sealed_keys.data() + len, &len) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, g.tag.data()) == 1;
  OPENSSL_cleanse(plain.data(), plain.size());
  if (!ok) {
    throw std::runtime_error("AES-GCM seal failed");
  }
  return g;
}

Result<std::vector<GrantedToken>> open_grant(const TokenGrant& grant, const Key128& device_key) {
  if (grant.sealed_keys.size() != grant.headers.size() * 32) {
    return Error{"TokenGrant.sealed_keys",
                 "expected 32 bytes per header (" + std::to_string(grant.headers.size() * 32) +
                     "), found " + std::to_string(grant.sealed_keys.size())};
  }
  const std::vector<uint8_t>& aad = associated_data(grant.account, grant.device, grant.headers);
  std::vector<uint8_t>& plain = scratch().plain;
  plain.resize(grant.sealed_keys.size());
  Mac128 tag = grant.tag;
  EVP_CIPHER_CTX* const ctx = gcm_context(false);
  int len = 0;
  if (ctx == nullptr ||
      EVP_DecryptInit_ex(ctx, nullptr, nullptr, device_key.data(), grant.nonce.data()) != 1 ||
      EVP_DecryptUpdate(ctx, nullptr, &len, aad.data(), static_cast<int>(aad.size())) != 1 ||
      EVP_DecryptUpdate(ctx, plain.data(), &len, grant.sealed_keys.data(),
                        static_cast<int>(grant.sealed_keys.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx, plain.data() + len, &len) != 1) {
    OPENSSL_cleanse(plain.data(), plain.size()); // what a forged grant decrypted to
    return Error{"TokenGrant.tag", "grant does not authenticate under this device's key (sealed "
                                   "for another device, or altered)"};
  }
  std::vector<GrantedToken> tokens(grant.headers.size());
  for (size_t i = 0; i < tokens.size(); ++i) {
    tokens[i].header = grant.headers[i];
    std::memcpy(tokens[i].validator_key.data(), plain.data() + 32 * i, 16);
    std::memcpy(tokens[i].issuer_key.data(), plain.data() + 32 * i + 16, 16);
  }
  OPENSSL_cleanse(plain.data(), plain.size());
  return tokens;
}

} // namespace hcesim::hce
