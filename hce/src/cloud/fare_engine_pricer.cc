#include "hce/cloud/fare_engine_pricer.h"

#include <cassert>

namespace hcesim::cloud {

bool FareEnginePricer::known_stop(StopId stop) const {
  // The engine trusts its dense ids; a stop from outside is checked here first.
  const size_t n = engine_->distance() != nullptr ? engine_->distance()->stations().size()
                   : engine_->feed() != nullptr   ? engine_->feed()->stops.size()
                                                  : 0;
  return stop.value() < n;
}

FareLine FareEnginePricer::line_of(ValidatorId validator) const {
  auto it = lines_.find(validator);
  return it == lines_.end() ? FareLine{} : it->second;
}

void FareEnginePricer::price_day(std::span<const JourneyLeg> legs, std::span<Money> out) const {
  assert(out.size() == legs.size());
  fare::RiderDay day;
  for (size_t i = 0; i < legs.size(); ++i) {
    const JourneyLeg& l = legs[i];
    if (!known_stop(l.from_stop) || !known_stop(l.to_stop)) {
      out[i] = max_fare_;
      continue;
    }
    const FareLine line = line_of(l.from);
    fare::FareLeg leg;
    leg.route = line.route;
    leg.network = line.network;
    leg.from_stop = l.from_stop.value();
    leg.to_stop = l.to_stop.value();
    leg.depart = l.start;
    leg.arrive = l.end;
    const fare::LegPrice p = engine_->price_next_leg(day, leg);
    out[i] = p.outcome == fare::LegOutcome::kPriced ? p.amount : max_fare_;
  }
}

} // namespace hcesim::cloud
