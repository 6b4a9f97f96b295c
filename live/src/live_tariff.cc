#include "live/live_tariff.h"

#include <algorithm>
#include <vector>

namespace hcesim::live {

Result<std::unique_ptr<LiveTariff>> LiveTariff::load(const TariffConfig& config) {
  auto engine = fare::FareEngine::from_rule_file(config.metro_fare_rules);
  if (!engine.ok()) {
    return engine.error();
  }
  if (engine->currency() != config.bus_fare.currency()) {
    return Error{config.metro_fare_rules, "currency " + std::string(engine->currency().code()) +
                                              " is not the bus fare's " +
                                              std::string(config.bus_fare.currency().code())};
  }
  const fare::DistanceFares* d = engine->distance();
  if (d == nullptr) {
    return Error{config.metro_fare_rules, "not a distance-band rule file"};
  }
  Money highest(0, engine->currency());
  const auto n = static_cast<uint32_t>(d->stations().size());
  for (uint32_t a = 0; a < n; ++a) {
    for (uint32_t b = 0; b < n; ++b) {
      const int64_t m = d->distance_m(a, b);
      if (m >= 0) {
        uint32_t band = 0;
        highest = std::max(highest, d->fare_for(m, &band));
      }
    }
  }
  auto owned = std::make_unique<fare::FareEngine>(std::move(engine).value());
  return std::unique_ptr<LiveTariff>(new LiveTariff(config, std::move(owned), highest));
}

LiveTariff::LiveTariff(TariffConfig config, std::unique_ptr<fare::FareEngine> engine,
                       Money max_fare)
    : config_(std::move(config)), engine_(std::move(engine)), max_fare_(max_fare),
      metro_(*engine_, max_fare) {}

void LiveTariff::price_day(std::span<const cloud::JourneyLeg> legs, std::span<Money> out) const {
  // The metro legs of the day go through the engine together (its caps and transfers see the
  // earlier ones); bus legs are flat.
  std::vector<cloud::JourneyLeg> metro;
  std::vector<size_t> at;
  for (size_t i = 0; i < legs.size(); ++i) {
    if (legs[i].kind == cloud::LegKind::kMetro) {
      metro.push_back(legs[i]);
      at.push_back(i);
    } else {
      out[i] = config_.bus_fare;
    }
  }
  if (!metro.empty()) {
    std::vector<Money> fares(metro.size(), Money(0, config_.bus_fare.currency()));
    metro_.price_day(metro, fares);
    for (size_t k = 0; k < metro.size(); ++k) {
      out[at[k]] = fares[k];
    }
  }
  for (size_t i = 1; i < legs.size(); ++i) {
    if (legs[i].start - legs[i - 1].end <= config_.transfer_window && out[i].minor() > 0) {
      out[i] = Money(std::max<int64_t>(0, out[i].minor() - config_.transfer_discount.minor()),
                     out[i].currency());
    }
  }
}

} // namespace hcesim::live
