#pragma once
// AES-128-CMAC (RFC 4493): key diversification, tap cryptograms and denylist MACs. AesCmac keeps
// one OpenSSL cipher context (re-keying it is cheaper than a new one) and computes the MAC as one
// CBC pass with the last block pre-masked, never re-initialising the context between MACs;
// cmac_reference() is the EVP_MAC path it is pinned against in tests. On a CPU with AES-NI the
// block cipher runs inline instead (an OpenSSL re-key costs ~2,000 instructions of parameter
// handling, an AES-NI key expansion a few dozen); the OpenSSL path stays as the fallback.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

typedef struct evp_cipher_ctx_st EVP_CIPHER_CTX; // NOLINT(modernize-use-using): OpenSSL's name

namespace hcesim::hce {

using Key128 = std::array<uint8_t, 16>;
using Mac128 = std::array<uint8_t, 16>;

class AesCmac {
public:
  explicit AesCmac(const Key128& key);
  ~AesCmac();
  AesCmac(const AesCmac&) = delete;
  AesCmac& operator=(const AesCmac&) = delete;
  AesCmac(AesCmac&& other) noexcept;
  AesCmac& operator=(AesCmac&& other) noexcept;

  //! Switches to another key, keeping the context (the hot path re-keys per token).
  void rekey(const Key128& key);
  //! CMAC of data under the current key.
  Mac128 mac(std::span<const uint8_t> data);

private:
  EVP_CIPHER_CTX* ctx_ = nullptr;
  bool ni_ = false;                                       //!< AES-NI available: round_keys_ in use
  alignas(16) std::array<uint8_t, 11 * 16> round_keys_{}; //!< AES-128 schedule (AES-NI path)
  std::array<uint8_t, 16> k1_{};
  std::array<uint8_t, 16> k2_{};
  std::array<uint8_t, 16> chain_{}; //!< the context's CBC state: its last output block
};

//! AES-128-CMAC through OpenSSL's EVP_MAC (slow, independent): the reference AesCmac is checked
//! against.
Mac128 cmac_reference(const Key128& key, std::span<const uint8_t> data);

//! Constant-time comparison of two MACs.
bool mac_equal(const Mac128& a, const Mac128& b);

} // namespace hcesim::hce
