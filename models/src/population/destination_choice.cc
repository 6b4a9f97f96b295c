#include "models/population/destination_choice.h"

#include "models/population/population.h"

#include <cassert>
#include <cmath>

namespace hcesim::models {

DestinationChoice::DestinationChoice(const City& city, double decay_m) {
  const std::vector<double> attraction = destination_weights(city);
  std::vector<double> w(city.zone_count());
  by_origin_.reserve(city.zone_count());
  for (uint32_t o = 0; o < city.zone_count(); ++o) {
    const Point a = city.zone_centre(o);
    bool any = false;
    for (uint32_t d = 0; d < city.zone_count(); ++d) {
      const Point b = city.zone_centre(d);
      const double dist =
          std::hypot(static_cast<double>(a.x - b.x), static_cast<double>(a.y - b.y));
      w[d] = attraction[d] * std::exp(-dist / decay_m);
      any |= w[d] > 0;
    }
    if (!any) {
      w = attraction; // so far from everything that the decay underflows: attraction alone
    }
    auto table = sim::DiscreteDistribution::make(w);
    assert(table.ok());
    by_origin_.push_back(std::move(table).value());
  }
}

} // namespace hcesim::models
