#pragma once
// Where a trip goes: a gravity model. From zone o, zone d is chosen with probability proportional
// to its attraction (destination_weights: central, near the metro, within reach of a stop) times
// exp(−distance(o, d) / decay), so most trips stay within a few kilometres. One alias table per
// origin zone, built once.
#include "models/city/city.h"
#include "sim/discrete_distribution.h"
#include "sim/random_stream.h"

#include <vector>

namespace hcesim::models {

class DestinationChoice {
public:
  //! Decay length of the default: trips average several km, as in a large Chinese city.
  static constexpr double kDecayM = 5000.0;

  explicit DestinationChoice(const City& city, double decay_m = kDecayM);
  uint32_t draw(uint32_t origin, sim::RandomStream& s) const { return by_origin_[origin].draw(s); }
  double probability(uint32_t origin, uint32_t destination) const {
    return by_origin_[origin].probability(destination);
  }

private:
  std::vector<sim::DiscreteDistribution> by_origin_;
};

} // namespace hcesim::models
