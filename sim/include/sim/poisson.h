#pragma once
// Poisson counts: inversion by sequential search for small means, Hörmann's PTRS (transformed
// rejection with squeeze, 1993) for means >= 10, so a draw costs O(1) expected uniforms at any
// mean. Same determinism rules as distributions.h.
#include "base/error.h"
#include "sim/random_stream.h"

#include <cstdint>

namespace hcesim::sim {

class Poisson {
public:
  //! Requires a finite mean in [0, 1e12] (beyond that counts lose integer precision in a double).
  static Result<Poisson> make(double mean);
  int64_t draw(RandomStream& s) const;
  double mean() const { return mean_; }
  double variance() const { return mean_; }

private:
  explicit Poisson(double mean);
  int64_t draw_inversion(RandomStream& s) const;
  int64_t draw_ptrs(RandomStream& s) const;

  double mean_;
  // PTRS constants (or exp(−mean) for inversion), fixed at construction.
  double exp_neg_mean_ = 0;
  double log_mean_ = 0;
  double b_ = 0;
  double a_ = 0;
  double inv_alpha_ = 0;
  double v_r_ = 0;
};

} // namespace hcesim::sim
