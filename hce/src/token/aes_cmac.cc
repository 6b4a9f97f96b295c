#include "hce/token/aes_cmac.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cassert>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace hcesim::hce {

namespace {

constexpr size_t kBlock = 16;

// Doubling in GF(2^128) (RFC 4493 §2.3).
std::array<uint8_t, 16> dbl(const std::array<uint8_t, 16>& in) {
  std::array<uint8_t, 16> out{};
  uint8_t carry = 0;
  for (size_t i = kBlock; i-- > 0;) {
    out[i] = static_cast<uint8_t>((in[i] << 1) | carry);
    carry = static_cast<uint8_t>(in[i] >> 7);
  }
  if ((in[0] & 0x80) != 0) {
    out[kBlock - 1] ^= 0x87;
  }
  return out;
}

void check(int ok, const char* what) {
  if (ok != 1) {
    // OpenSSL failing on valid arguments is an environment fault, not an outcome.
    throw std::runtime_error(what);
  }
}

} // namespace

AesCmac::AesCmac(const Key128& key) : ctx_(EVP_CIPHER_CTX_new()) {
  if (ctx_ == nullptr) {
    throw std::runtime_error("EVP_CIPHER_CTX_new failed");
  }
  static const std::array<uint8_t, 16> kZeroIv{};
  check(EVP_EncryptInit_ex(ctx_, EVP_aes_128_cbc(), nullptr, key.data(), kZeroIv.data()),
        "EVP_EncryptInit_ex(aes-128-cbc) failed");
  EVP_CIPHER_CTX_set_padding(ctx_, 0);
  rekey(key);
}

AesCmac::~AesCmac() {
  EVP_CIPHER_CTX_free(ctx_);
}

AesCmac::AesCmac(AesCmac&& other) noexcept
    : ctx_(std::exchange(other.ctx_, nullptr)), k1_(other.k1_), k2_(other.k2_) {}

AesCmac& AesCmac::operator=(AesCmac&& other) noexcept {
  if (this != &other) {
    EVP_CIPHER_CTX_free(ctx_);
    ctx_ = std::exchange(other.ctx_, nullptr);
    k1_ = other.k1_;
    k2_ = other.k2_;
  }
  return *this;
}

void AesCmac::rekey(const Key128& key) {
  static const std::array<uint8_t, 16> kZeroIv{};
  check(EVP_EncryptInit_ex(ctx_, nullptr, nullptr, key.data(), kZeroIv.data()),
        "AES re-key failed");
  std::array<uint8_t, 16> l{};
  int len = 0;
  check(EVP_EncryptUpdate(ctx_, l.data(), &len, kZeroIv.data(), kBlock), "AES block failed");
  k1_ = dbl(l);
  k2_ = dbl(k1_);
}

Mac128 AesCmac::mac(std::span<const uint8_t> data) {
  assert(ctx_ != nullptr);
  static const std::array<uint8_t, 16> kZeroIv{};
  // CMAC = last block of CBC(IV=0) over M1..Mn-1, Mn^K1 (complete) or pad(Mn)^K2 (partial).
  constexpr size_t kChunk = 256;
  uint8_t in[kChunk];
  uint8_t out[kChunk];
  const size_t n_blocks = data.empty() ? 1 : (data.size() + kBlock - 1) / kBlock;
  const bool complete = !data.empty() && data.size() % kBlock == 0;
  check(EVP_EncryptInit_ex(ctx_, nullptr, nullptr, nullptr, kZeroIv.data()), "AES IV reset failed");
  size_t done = 0; // bytes of data consumed
  size_t block = 0;
  Mac128 result{};
  while (block < n_blocks) {
    const size_t take_blocks = std::min(kChunk / kBlock, n_blocks - block);
    const size_t bytes = take_blocks * kBlock;
    const bool last_chunk = block + take_blocks == n_blocks;
    const size_t avail = std::min(bytes, data.size() - done);
    if (avail > 0) {
      std::memcpy(in, data.data() + done, avail);
    }
    if (last_chunk) {
      uint8_t* last = in + bytes - kBlock;
      const size_t last_len = avail - (bytes - kBlock);
      const auto& k = complete ? k1_ : k2_;
      if (!complete) {
        last[last_len] = 0x80;
        std::memset(last + last_len + 1, 0, kBlock - last_len - 1);
      }
      for (size_t i = 0; i < kBlock; ++i) {
        last[i] ^= k[i];
      }
    }
    int len = 0;
    check(EVP_EncryptUpdate(ctx_, out, &len, in, static_cast<int>(bytes)), "AES-CBC failed");
    done += avail;
    block += take_blocks;
    if (last_chunk) {
      std::memcpy(result.data(), out + bytes - kBlock, kBlock);
    }
  }
  return result;
}

Mac128 cmac_reference(const Key128& key, std::span<const uint8_t> data) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "CMAC", nullptr);
  EVP_MAC_CTX* ctx = mac != nullptr ? EVP_MAC_CTX_new(mac) : nullptr;
  if (ctx == nullptr) {
    EVP_MAC_free(mac);
    throw std::runtime_error("EVP_MAC CMAC unavailable");
  }
  char cipher[] = "AES-128-CBC";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, cipher, 0),
                         OSSL_PARAM_construct_end()};
  Mac128 out{};
  size_t len = 0;
  const int ok = EVP_MAC_init(ctx, key.data(), key.size(), params) == 1 &&
                 EVP_MAC_update(ctx, data.data(), data.size()) == 1 &&
                 EVP_MAC_final(ctx, out.data(), &len, out.size()) == 1 && len == out.size();
  EVP_MAC_CTX_free(ctx);
  EVP_MAC_free(mac);
  check(ok ? 1 : 0, "EVP_MAC CMAC failed");
  return out;
}

bool mac_equal(const Mac128& a, const Mac128& b) {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace hcesim::hce
