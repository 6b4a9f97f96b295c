#pragma once
// The phone wallet's saved state: what must survive an app restart (tokens, keys, next counters).
#include "hce/token/grant.h"

#include "base/ids.h"

#include <cstdint>
#include <vector>

namespace hcesim::hce {

//! A held token and the next counter it will use (offline_limit + 1 = used up).
struct WalletToken {
  GrantedToken token;
  uint32_t next_counter = 1;
  bool operator==(const WalletToken&) const = default;
};

struct WalletState {
  AccountId account;
  DeviceId device;
  std::vector<WalletToken> tokens;
  bool operator==(const WalletState&) const = default;
};

} // namespace hcesim::hce
