#include "sim/stats/confidence_interval.h"

#include "sim/special_functions.h"

#include <cassert>
#include <cmath>

namespace hcesim::sim {

std::optional<ConfidenceInterval> confidence_interval(const Tally& replications, double level) {
  assert(level > 0 && level < 1);
  if (replications.count() < 2) {
    return std::nullopt;
  }
  const double t =
      student_t_quantile(1 - (1 - level) / 2, static_cast<double>(replications.count() - 1));
  return ConfidenceInterval{replications.mean(), t * replications.standard_error(), level,
                            replications.count()};
}

} // namespace hcesim::sim
