#pragma once
// Key rotation in a run (token_policy.key_rotation): at each rotation time the cloud adds the next
// key generation and issues under it from then on; a validator learns the new generation at its
// next sync with the cloud and keeps the older ones until every token issued under them has
// expired (the last one issued at the rotation, so lifetime plus the clock-skew tolerance after
// it), then raises its minimum version. The cloud keeps every generation for settlement.
#include "hce/token/token_keys.h"
#include "hce/token/validator.h"

#include <cstdint>
#include <vector>

namespace hcesim::models {

class KeyRotation {
public:
  //! `period`: time between rotations (the first at start + period); `keep_old`: how long after a
  //! rotation validators keep the previous generation. `seed` derives each generation's keys.
  KeyRotation(uint64_t seed, Time start, Duration period, Duration keep_old, uint32_t validators);

  //! Adds generation 1 to the cloud's keyring (current) and returns its validator master key.
  const hce::Key128& install_first(hce::IssuerKeyring& keys);
  //! When the next rotation is due.
  Time next_rotation() const { return start_ + period_ * static_cast<int64_t>(generation_); }
  //! The rotation due now: the next generation is added and made current.
  void rotate(hce::IssuerKeyring& keys);
  //! A validator's sync with the cloud: installs the generations it lacks and drops those whose
  //! tokens have all expired.
  void sync(uint32_t validator, hce::Validator& v, Time now);

  uint32_t generation() const { return generation_; }
  //! Validators holding the current generation.
  uint32_t validators_current() const;

private:
  uint64_t seed_;
  Time start_;
  Duration period_;
  Duration keep_old_;
  uint32_t generation_ = 0;
  std::vector<uint32_t> newest_; //!< per validator: the newest generation installed
  std::vector<hce::MasterKeys> generations_;
};

} // namespace hcesim::models
