#pragma once
// The live service's secrets, kept in DIR/keys.bin (created with OpenSSL's RAND on first start):
// the request-authentication master, the token master keys (version 1), the device grant master
// and the denylist key. Test clients and the load generator read the same file: a bench setup,
// where a deployment would hand each device and validator only its own keys.
#include "base/error.h"
#include "hce/token/aes_cmac.h"

#include <string>

namespace hcesim::live {

struct CloudKeys {
  hce::Key128 auth_master{};
  hce::Key128 validator_master{};
  hce::Key128 issuer_master{};
  hce::Key128 device_master{};
  hce::Key128 denylist{};
};

//! Reads DIR/keys.bin, or creates it with fresh random keys when absent.
Result<CloudKeys> load_or_create_keys(const std::string& dir);
//! Reads DIR/keys.bin (an error when it is missing or not 80 bytes).
Result<CloudKeys> load_keys(const std::string& dir);

} // namespace hcesim::live
