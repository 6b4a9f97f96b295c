#pragma once
// A choice among n outcomes with given weights: Walker's alias table built by Vose's method,
// O(n) to build, O(1) per draw (one uniform index, one uniform threshold).
#include "base/error.h"
#include "sim/random_stream.h"

#include <cstdint>
#include <vector>

namespace hcesim::sim {

class DiscreteDistribution {
public:
  //! Weights need not sum to 1. Errors: no weights, a negative/NaN/infinite weight (named by its
  //! index), all weights zero, or a sum that overflows.
  static Result<DiscreteDistribution> make(const std::vector<double>& weights);

  //! An outcome index in [0, size()); outcomes of weight 0 are never drawn.
  uint32_t draw(RandomStream& s) const {
    const auto i = static_cast<uint32_t>(s.uniform_int(threshold_.size()));
    return s.next_double() < threshold_[i] ? i : alias_[i];
  }
  uint32_t size() const { return static_cast<uint32_t>(threshold_.size()); }
  //! The normalised probability of outcome i (weight / sum of weights).
  double probability(uint32_t i) const { return probability_[i]; }

private:
  DiscreteDistribution() = default;
  std::vector<double> threshold_;   // keep column i with this probability...
  std::vector<uint32_t> alias_;     // ...else take its alias
  std::vector<double> probability_; // for reporting and tests
};

} // namespace hcesim::sim
