#include "models/run/city_pricer.h"

#include <algorithm>
#include <cmath>

namespace hcesim::models {

CityPricer::CityPricer(const ScenarioConfig& cfg, const City& city)
    : city_(city), bus_fare_(cfg.city.bus_fare), discount_(cfg.city.transfer_discount),
      window_(cfg.city.transfer_window), max_fare_(metro_fare(uint64_t{cfg.city.size_km} * 1500)) {}

Money CityPricer::metro_fare(uint64_t metres) const {
  const int64_t km_started = static_cast<int64_t>((metres + 999) / 1000);
  int64_t yuan = 2;
  for (const int64_t edge : {6, 12, 20, 30}) {
    if (km_started > edge) {
      ++yuan;
    }
  }
  if (km_started > 30) {
    yuan += (km_started - 30 - 1) / 10;
  }
  return Money(yuan * 100, bus_fare_.currency());
}

void CityPricer::price_day(std::span<const cloud::JourneyLeg> legs, std::span<Money> out) const {
  for (size_t i = 0; i < legs.size(); ++i) {
    const cloud::JourneyLeg& l = legs[i];
    Money fare = bus_fare_;
    if (l.kind == cloud::LegKind::kMetro) {
      const uint32_t a = static_cast<uint32_t>(l.from_stop.value());
      const uint32_t b = static_cast<uint32_t>(l.to_stop.value());
      if (a >= city_.stop_count() || b >= city_.stop_count()) {
        fare = max_fare_;
      } else {
        const Point pa = city_.stop_at(a);
        const Point pb = city_.stop_at(b);
        const double d =
            std::hypot(static_cast<double>(pa.x - pb.x), static_cast<double>(pa.y - pb.y));
        fare = metro_fare(static_cast<uint64_t>(d * 1.15));
      }
    }
    if (i > 0 && l.start - legs[i - 1].end <= window_ && fare.minor() > 0) {
      fare = Money(std::max<int64_t>(0, fare.minor() - discount_.minor()), fare.currency());
    }
    out[i] = fare;
  }
}

} // namespace hcesim::models
