#include "base/ids.h"

namespace hcesim {

std::string TokenId::to_string() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s(32, '0');
  for (int i = 0; i < 16; ++i) {
    s[static_cast<size_t>(15 - i)] = kHex[(hi >> (4 * i)) & 0xf];
    s[static_cast<size_t>(31 - i)] = kHex[(lo >> (4 * i)) & 0xf];
  }
  return s;
}

} // namespace hcesim
