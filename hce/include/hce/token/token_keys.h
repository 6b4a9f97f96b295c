#pragma once
// Master keys by version and the derivations over them (DESIGN §4): per key version a validator
// master key (also in every validator's SAM) and an issuer master key (never leaves the cloud);
// each token's two keys are AES-CMAC of the master key over the whole header.
#include "hce/token/aes_cmac.h"
#include "hce/token/tap.h"
#include "hce/token/token_header.h"

#include "base/error.h"

#include <cstdint>
#include <map>
#include <memory>

namespace hcesim::hce {

//! The two master keys of one key version.
struct MasterKeys {
  uint32_t version = 0;
  Key128 validator{};
  Key128 issuer{};
};

//! Derives the token key for `header` from a CMAC context keyed with the master key.
Key128 derive_token_key(AesCmac& master, CryptogramRole role, const TokenHeader& header);

//! The cryptogram of (challenge, counter) under a CMAC context keyed with the token key.
Mac128 compute_cryptogram(AesCmac& token_key, CryptogramRole role, const TapChallenge& challenge,
                          uint16_t counter);

//! The cloud's key versions: the current one issues, every held one verifies. Keeps one CMAC
//! context per master key. Rotation: add() the next version (staged: it verifies but does not
//! issue), install it in every validator, then make_current() it; withdraw the old version once
//! its tokens can no longer be uploaded (rotation period > token lifetime + longest validator
//! offline time, DESIGN §4).
class IssuerKeyring {
public:
  //! Adds a key version; the first one added becomes current. Error if the version is 0 or
  //! already held.
  Result<void> add(const MasterKeys& keys);
  //! Issues under `version` from now on. Error if not held or below the current version.
  Result<void> make_current(uint32_t version);
  //! Drops a version (tokens under it no longer settle). The current version cannot be withdrawn.
  void withdraw(uint32_t version);
  bool holds(uint32_t version) const { return by_version_.count(version) != 0; }
  //! The version new tokens are issued under (0 when none is held).
  uint32_t current_version() const { return current_; }
  const MasterKeys* find(uint32_t version) const;

  //! The token's two keys, or nullopt-like false if its version is not held.
  bool derive(const TokenHeader& header, Key128& validator_key, Key128& issuer_key);

private:
  struct Held {
    MasterKeys keys;
    std::unique_ptr<AesCmac> validator;
    std::unique_ptr<AesCmac> issuer;
  };
  std::map<uint32_t, Held> by_version_;
  uint32_t current_ = 0;
};

} // namespace hcesim::hce
