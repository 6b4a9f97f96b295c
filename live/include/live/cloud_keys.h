#pragma once
// The live service's secrets, kept in DIR/keys.bin (created with OpenSSL's RAND on first start):
// the request-authentication master, the token master keys (version 1), the device grant master
// and the denylist key. Beside it DIR/operator.key, the operator's request key alone: what an
// operator's tools (the load generator) hold; devices and validators get theirs from the operator
// (account opening, validator provisioning), never the masters.
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

//! A key as the 16 bytes of a protobuf `bytes` field or a key file.
std::string key_bytes(const hce::Key128& key);
//! The key in `bytes` (an error naming `what` unless exactly 16 bytes).
Result<hce::Key128> key_from_bytes(const std::string& bytes, const std::string& what);

//! Reads DIR/keys.bin, or creates it with fresh random keys when absent.
Result<CloudKeys> load_or_create_keys(const std::string& dir);
//! Reads DIR/keys.bin (an error when it is missing or not 80 bytes).
Result<CloudKeys> load_keys(const std::string& dir);
//! Writes DIR/operator.key (the operator's request key, owner-only) unless it is there already.
Result<void> write_operator_key(const std::string& dir, const CloudKeys& keys);
//! Reads an operator key file (an error when it is missing or not 16 bytes).
Result<hce::Key128> load_operator_key(const std::string& path);

} // namespace hcesim::live
