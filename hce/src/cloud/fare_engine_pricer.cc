#include "hce/cloud/fare_engine_pricer.h"

#include <cassert>

namespace hcesim::cloud {

void FareEnginePricer::map_stop(StopId stop, uint32_t engine_stop) {
  const auto i = static_cast<size_t>(stop.value());
  if (i >= stop_map_.size()) {
    stop_map_.resize(i + 1, fare::kNone);
  }
  stop_map_[i] = engine_stop;
}

uint32_t FareEnginePricer::engine_stop(StopId stop) const {
  if (!stop_map_.empty()) {
    return stop.value() < stop_map_.size() ? stop_map_[static_cast<size_t>(stop.value())]
                                           : fare::kNone;
  }
  // The engine trusts its dense ids; a stop from outside is checked here first.
  const size_t n = engine_->distance() != nullptr ? engine_->distance()->stations().size()
                   : engine_->feed() != nullptr   ? engine_->feed()->stops.size()
                                                  : 0;
  return stop.value() < n ? static_cast<uint32_t>(stop.value()) : fare::kNone;
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
    const FareLine line = line_of(l.from);
    fare::FareLeg leg;
    leg.route = line.route;
    leg.network = line.network;
    leg.from_stop = engine_stop(l.from_stop);
    leg.to_stop = engine_stop(l.to_stop);
    const bool flat =
        engine_->kind() == fare::FareEngine::Kind::kDistance && line.network != fare::kNone;
    if (!flat && (leg.from_stop == fare::kNone || leg.to_stop == fare::kNone)) {
      out[i] = max_fare_;
      continue;
    }
    if (!flat) {
      // A station stands for the platform of the line its validator serves.
      leg.from_stop = engine_->platform_for(leg.from_stop, leg.route);
      leg.to_stop = engine_->platform_for(leg.to_stop, line_of(l.to).route);
    }
    leg.depart = l.start;
    leg.arrive = l.end;
    const fare::LegPrice p = engine_->price_next_leg(day, leg);
    out[i] = p.outcome == fare::LegOutcome::kPriced ? p.amount : max_fare_;
  }
  // A leg may be priced below zero (a transfer product cheaper than the fare already paid, or a
  // negative transfer discount), and settlement charges each journey a fare >= 0.
  carry_credits_back(out);
}

void carry_credits_back(std::span<Money> fares) {
  if (fares.empty()) {
    return;
  }
  Money carry(0, fares[0].currency());
  for (size_t i = fares.size(); i-- > 0;) {
    const Money f = fares[i] + carry;
    carry = f.is_negative() ? f : Money(0, f.currency());
    fares[i] = f.is_negative() ? Money(0, f.currency()) : f;
  }
}

} // namespace hcesim::cloud
