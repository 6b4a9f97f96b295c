#include "sim/discrete_distribution.h"

#include "sim/distributions.h"

#include <cmath>
#include <limits>

namespace hcesim::sim {

Result<DiscreteDistribution> DiscreteDistribution::make(const std::vector<double>& weights) {
  if (weights.empty()) {
    return Error{"", "discrete distribution needs at least one weight, got none"};
  }
  if (weights.size() > std::numeric_limits<uint32_t>::max()) {
    return Error{"", "discrete distribution has too many weights (" +
                         std::to_string(weights.size()) + ")"};
  }
  double sum = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    const double w = weights[i];
    if (!std::isfinite(w) || w < 0) {
      return Error{"weight " + std::to_string(i),
                   "must be a finite number >= 0, got " + format_double(w)};
    }
    sum += w;
  }
  if (!std::isfinite(sum)) {
    return Error{"", "discrete distribution weights sum to more than a double holds"};
  }
  if (sum == 0) {
    return Error{"", "discrete distribution weights are all zero"};
  }

  const size_t n = weights.size();
  DiscreteDistribution d;
  d.probability_.resize(n);
  d.threshold_.assign(n, 0);
  d.alias_.resize(n);
  // Vose: scale to mean 1, then pair each short column with a tall one that tops it up.
  std::vector<double> scaled(n);
  std::vector<uint32_t> small;
  std::vector<uint32_t> large;
  for (size_t i = 0; i < n; ++i) {
    d.probability_[i] = weights[i] / sum;
    scaled[i] = d.probability_[i] * static_cast<double>(n);
    d.alias_[i] = static_cast<uint32_t>(i);
    (scaled[i] < 1 ? small : large).push_back(static_cast<uint32_t>(i));
  }
  while (!small.empty() && !large.empty()) {
    const uint32_t s = small.back();
    small.pop_back();
    const uint32_t l = large.back();
    d.threshold_[s] = scaled[s];
    d.alias_[s] = l;
    scaled[l] = (scaled[l] + scaled[s]) - 1;
    if (scaled[l] < 1) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // What remains is 1 up to rounding: those columns keep themselves.
  for (uint32_t i : large) {
    d.threshold_[i] = 1;
  }
  // A zero-weight column can only be left over through rounding; point it at a real outcome.
  uint32_t heaviest = 0;
  for (uint32_t i = 1; i < n; ++i) {
    heaviest = weights[i] > weights[heaviest] ? i : heaviest;
  }
  for (uint32_t i : small) {
    d.threshold_[i] = weights[i] > 0 ? 1 : 0;
    d.alias_[i] = weights[i] > 0 ? i : heaviest;
  }
  return d;
}

} // namespace hcesim::sim
