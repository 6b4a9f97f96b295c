#pragma once
// Student-t confidence intervals for a mean over independent replications.
#include "sim/stats/tally.h"

#include <cstdint>
#include <optional>

namespace hcesim::sim {

struct ConfidenceInterval {
  double mean = 0;
  double half_width = 0; //!< t(1 − (1 − level)/2, n − 1) · sd / sqrt(n)
  double level = 0;      //!< e.g. 0.95
  int64_t n = 0;         //!< observations (replications) behind it

  double lower() const { return mean - half_width; }
  double upper() const { return mean + half_width; }
  bool contains(double x) const { return lower() <= x && x <= upper(); }
};

//! The level (in (0, 1); asserted) confidence interval for the mean of the tallied values, each
//! one an independent replication's result. None with fewer than 2 values: a single run has no
//! interval.
std::optional<ConfidenceInterval> confidence_interval(const Tally& replications,
                                                      double level = 0.95);

} // namespace hcesim::sim
