#pragma once
// Small pieces the attackers' source files share (not a public header).
#include "base/error.h"
#include "base/ids.h"
#include "hce/token/validator.h"

#include <cstdint>
#include <stdexcept>
#include <string>

namespace hcesim::models::attack_detail {

inline void must(const Result<void>& r, const char* what) {
  if (!r.ok()) {
    throw std::logic_error(std::string("attackers: ") + what + ": " + r.error().to_string());
  }
}

inline uint64_t record_key(ValidatorId v, uint64_t sequence) {
  return (uint64_t{v.value()} << 40) ^ sequence;
}

inline bool denylisted(int reason) {
  return reason == static_cast<int>(hce::TapRefusal::kTokenDenylisted) ||
         reason == static_cast<int>(hce::TapRefusal::kAccountDenylisted);
}

} // namespace hcesim::models::attack_detail
