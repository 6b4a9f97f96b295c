#include "hce/token/token_header.h"

namespace hcesim::hce {

std::array<uint8_t, kTokenHeaderBytes> encode_header(const TokenHeader& h) {
  std::array<uint8_t, kTokenHeaderBytes> out{};
  uint8_t* p = out.data();
  p = put_u64(p, h.id.hi);
  p = put_u64(p, h.id.lo);
  p = put_u64(p, h.account.value());
  p = put_u64(p, h.device.value());
  p = put_u64(p, static_cast<uint64_t>(h.issued_at.us()));
  p = put_u64(p, static_cast<uint64_t>(h.expires_at.us()));
  p = put_u16(p, h.offline_limit);
  put_u32(p, h.key_version);
  return out;
}

} // namespace hcesim::hce
