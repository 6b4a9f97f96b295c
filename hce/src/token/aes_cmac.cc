#include "hce/token/aes_cmac.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <immintrin.h>

#include <bit>
#include <cassert>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace hcesim::hce {

namespace {

static_assert(std::endian::native == std::endian::little, "dbl() assumes a little-endian host");
constexpr size_t kBlock = 16;

// Doubling in GF(2^128) (RFC 4493 §2.3).
std::array<uint8_t, 16> dbl(const std::array<uint8_t, 16>& in) {
  uint64_t hi = 0;
  uint64_t lo = 0;
  std::memcpy(&hi, in.data(), 8);
  std::memcpy(&lo, in.data() + 8, 8);
  hi = __builtin_bswap64(hi); // big-endian halves (x86 is little-endian)
  lo = __builtin_bswap64(lo);
  const uint64_t reduce = (hi >> 63) != 0 ? 0x87 : 0;
  hi = __builtin_bswap64((hi << 1) | (lo >> 63));
  lo = __builtin_bswap64((lo << 1) ^ reduce);
  std::array<uint8_t, 16> out{};
  std::memcpy(out.data(), &hi, 8);
  std::memcpy(out.data() + 8, &lo, 8);
  return out;
}

// AES-128 with AES-NI (FIPS 197 key expansion). Functions carry the target attribute so the
// library builds without -maes; they are called only when the CPU has AES-NI.
template <int kRcon> __attribute__((target("aes,sse2"))) __m128i expand_round(__m128i key) {
  __m128i gen = _mm_aeskeygenassist_si128(key, kRcon);
  gen = _mm_shuffle_epi32(gen, 0xff);
  key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
  key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
  key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
  return _mm_xor_si128(key, gen);
}

__attribute__((target("aes,sse2"))) void ni_expand(const uint8_t* key, uint8_t* round_keys) {
  __m128i rk[11];
  rk[0] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(key));
  rk[1] = expand_round<0x01>(rk[0]);
  rk[2] = expand_round<0x02>(rk[1]);
  rk[3] = expand_round<0x04>(rk[2]);
  rk[4] = expand_round<0x08>(rk[3]);
  rk[5] = expand_round<0x10>(rk[4]);
  rk[6] = expand_round<0x20>(rk[5]);
  rk[7] = expand_round<0x40>(rk[6]);
  rk[8] = expand_round<0x80>(rk[7]);
  rk[9] = expand_round<0x1b>(rk[8]);
  rk[10] = expand_round<0x36>(rk[9]);
  for (size_t i = 0; i < 11; ++i) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(round_keys + 16 * i), rk[i]);
  }
}

__attribute__((target("aes,sse2"))) __m128i ni_encrypt(const uint8_t* round_keys, __m128i block) {
  const auto* rk = reinterpret_cast<const __m128i*>(round_keys);
  block = _mm_xor_si128(block, _mm_loadu_si128(rk));
  for (size_t i = 1; i < 10; ++i) {
    block = _mm_aesenc_si128(block, _mm_loadu_si128(rk + i));
  }
  return _mm_aesenclast_si128(block, _mm_loadu_si128(rk + 10));
}

// CBC-MAC over whole blocks from a zero IV, the last block masked with `k`.
__attribute__((target("aes,sse2"))) Mac128 ni_cmac(const uint8_t* round_keys,
                                                   std::span<const uint8_t> data,
                                                   const std::array<uint8_t, 16>& k1,
                                                   const std::array<uint8_t, 16>& k2) {
  const size_t n_blocks = data.empty() ? 1 : (data.size() + kBlock - 1) / kBlock;
  const bool complete = !data.empty() && data.size() % kBlock == 0;
  __m128i state = _mm_setzero_si128();
  for (size_t b = 0; b + 1 < n_blocks; ++b) {
    const __m128i m = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data.data() + b * kBlock));
    state = ni_encrypt(round_keys, _mm_xor_si128(state, m));
  }
  uint8_t last[kBlock] = {};
  const size_t last_len = data.size() - (n_blocks - 1) * kBlock;
  if (last_len > 0) {
    std::memcpy(last, data.data() + (n_blocks - 1) * kBlock, last_len);
  }
  if (!complete) {
    last[last_len] = 0x80;
  }
  const auto& k = complete ? k1 : k2;
  const __m128i mask = _mm_loadu_si128(reinterpret_cast<const __m128i*>(k.data()));
  const __m128i m = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(last)), mask);
  state = ni_encrypt(round_keys, _mm_xor_si128(state, m));
  Mac128 out{};
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out.data()), state);
  return out;
}

bool cpu_has_aes_ni() {
  static const bool has = __builtin_cpu_supports("aes") != 0 && __builtin_cpu_supports("sse2") != 0;
  return has;
}

void check(int ok, const char* what) {
  if (ok != 1) {
    // OpenSSL failing on valid arguments is an environment fault, not an outcome.
    throw std::runtime_error(what);
  }
}

} // namespace

AesCmac::AesCmac(const Key128& key) : ctx_(EVP_CIPHER_CTX_new()), ni_(cpu_has_aes_ni()) {
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
    : ctx_(std::exchange(other.ctx_, nullptr)), ni_(other.ni_), round_keys_(other.round_keys_),
      k1_(other.k1_), k2_(other.k2_), chain_(other.chain_) {}

AesCmac& AesCmac::operator=(AesCmac&& other) noexcept {
  if (this != &other) {
    EVP_CIPHER_CTX_free(ctx_);
    ctx_ = std::exchange(other.ctx_, nullptr);
    ni_ = other.ni_;
    round_keys_ = other.round_keys_;
    k1_ = other.k1_;
    k2_ = other.k2_;
    chain_ = other.chain_;
  }
  return *this;
}

void AesCmac::rekey(const Key128& key) {
  // The one OpenSSL init per key (an init costs as much as a dozen blocks, so mac() never
  // re-inits: see chain_).
  static const std::array<uint8_t, 16> kZero{};
  if (ni_) {
    ni_expand(key.data(), round_keys_.data());
    std::array<uint8_t, 16> l{};
    _mm_storeu_si128(reinterpret_cast<__m128i*>(l.data()),
                     ni_encrypt(round_keys_.data(), _mm_setzero_si128()));
    k1_ = dbl(l);
    k2_ = dbl(k1_);
    return;
  }
  check(EVP_EncryptInit_ex(ctx_, nullptr, nullptr, key.data(), kZero.data()), "AES re-key failed");
  std::array<uint8_t, 16> l{};
  int len = 0;
  check(EVP_EncryptUpdate(ctx_, l.data(), &len, kZero.data(), kBlock), "AES block failed");
  chain_ = l;
  k1_ = dbl(l);
  k2_ = dbl(k1_);
}

Mac128 AesCmac::mac(std::span<const uint8_t> data) {
  assert(ctx_ != nullptr);
  if (ni_) {
    return ni_cmac(round_keys_.data(), data, k1_, k2_);
  }
  // CMAC = last block of CBC(IV=0) over M1..Mn-1, Mn^K1 (complete) or pad(Mn)^K2 (partial).
  // The context's CBC state is the previous output block (chain_); XOR-ing it into the first
  // block cancels it, which is the same as a zero IV without re-initialising the context.
  constexpr size_t kChunk = 256;
  uint8_t in[kChunk];
  uint8_t out[kChunk];
  const size_t n_blocks = data.empty() ? 1 : (data.size() + kBlock - 1) / kBlock;
  const bool complete = !data.empty() && data.size() % kBlock == 0;
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
    if (block == 0) {
      for (size_t i = 0; i < kBlock; ++i) {
        in[i] ^= chain_[i];
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
  chain_ = result;
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
