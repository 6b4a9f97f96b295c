#include "models/run/key_rotation.h"

#include "sim/random_stream.h"

#include <cassert>

namespace hcesim::models {
namespace {

hce::Key128 generation_key(uint64_t seed, uint32_t generation, uint64_t which) {
  // Generation 1 keeps the run's original derivation (entities 0 and 1), so runs without a
  // rotation are unchanged.
  const uint64_t n = generation == 1 ? which : (uint64_t{generation} << 8) + which;
  sim::RandomStream s(seed, sim::Purpose::kTokens, (uint64_t{1} << 40) + n);
  hce::Key128 k{};
  for (size_t i = 0; i < k.size(); i += 8) {
    const uint64_t v = s.next_u64();
    for (size_t j = 0; j < 8; ++j) {
      k[i + j] = static_cast<uint8_t>(v >> (8 * j));
    }
  }
  return k;
}

} // namespace

KeyRotation::KeyRotation(uint64_t seed, Time start, Duration period, Duration keep_old,
                         uint32_t validators)
    : seed_(seed), start_(start), period_(period), keep_old_(keep_old), newest_(validators, 1) {}

const hce::Key128& KeyRotation::install_first(hce::IssuerKeyring& keys) {
  assert(generation_ == 0);
  rotate(keys);
  return generations_.front().validator;
}

void KeyRotation::rotate(hce::IssuerKeyring& keys) {
  ++generation_;
  const hce::MasterKeys k{generation_, generation_key(seed_, generation_, 0),
                          generation_key(seed_, generation_, 1)};
  generations_.push_back(k);
  [[maybe_unused]] const auto added = keys.add(k);
  assert(added.ok());
  [[maybe_unused]] const auto current = keys.make_current(generation_);
  assert(current.ok());
}

void KeyRotation::sync(uint32_t validator, hce::Validator& v, Time now) {
  while (newest_[validator] < generation_) {
    const uint32_t g = ++newest_[validator];
    [[maybe_unused]] const auto installed = v.install_key(g, generations_[g - 1].validator);
    assert(installed.ok());
  }
  // Generation g was replaced at start + (g)·period: its last tokens expire keep_old_ later.
  uint32_t minimum = v.minimum_key_version();
  while (minimum < generation_ &&
         now >= start_ + period_ * static_cast<int64_t>(minimum) + keep_old_) {
    ++minimum;
  }
  v.raise_minimum_key_version(minimum);
}

uint32_t KeyRotation::validators_current() const {
  uint32_t n = 0;
  for (uint32_t g : newest_) {
    n += g == generation_ ? 1U : 0U;
  }
  return n;
}

} // namespace hcesim::models
