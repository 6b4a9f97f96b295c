#pragma once
// A token's header: the public facts a validator and the cloud read (DESIGN §4). Both token keys
// are derived over the canonical encoding of the whole header, so changing any field changes them.
#include "base/ids.h"
#include "base/time.h"

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

namespace hcesim::hce {

struct TokenHeader {
  TokenId id;                 //!< 128 random bits drawn by the issuer
  AccountId account;          //!< the cloud card (account) the taps are charged to
  DeviceId device;            //!< the phone the token was granted to
  Time issued_at;             //!< issuer's clock at issue
  Time expires_at;            //!< no tap is valid after this (plus the validator's skew tolerance)
  uint16_t offline_limit = 0; //!< counters 1..offline_limit are valid
  uint32_t key_version = 0;   //!< which master keys the token keys come from (1 and up)
  bool operator==(const TokenHeader&) const = default;
};

//! Bytes in the canonical header encoding (big-endian, fixed layout, field order as above).
inline constexpr size_t kTokenHeaderBytes = 16 + 8 + 8 + 8 + 8 + 2 + 4;

//! The canonical encoding the key derivations and grant authentication run over.
std::array<uint8_t, kTokenHeaderBytes> encode_header(const TokenHeader& header);

//! Big-endian writers shared by the canonical encodings.
inline uint8_t* put_u64(uint8_t* p, uint64_t v) {
  if constexpr (std::endian::native == std::endian::little) {
    v = __builtin_bswap64(v); // one store instead of eight (the cloud encodes headers per tap)
  }
  std::memcpy(p, &v, 8);
  return p + 8;
}
inline uint8_t* put_u32(uint8_t* p, uint32_t v) {
  if constexpr (std::endian::native == std::endian::little) {
    v = __builtin_bswap32(v);
  }
  std::memcpy(p, &v, 4);
  return p + 4;
}
inline uint8_t* put_u16(uint8_t* p, uint16_t v) {
  *p++ = static_cast<uint8_t>(v >> 8);
  *p++ = static_cast<uint8_t>(v);
  return p;
}

} // namespace hcesim::hce
