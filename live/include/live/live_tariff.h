#pragma once
// The live service's fares: the scenario's fare product through the real fare engine. Metro
// journeys are priced by hce/fare from the scenario's metro rule file (behind
// cloud::FareEnginePricer; stops are the rule file's dense station indices), bus rides at the
// scenario's flat bus fare, and a ride starting within the transfer window of the previous one's
// end gets the transfer discount, as the simulator's city pricer does.
#include "base/error.h"
#include "hce/cloud/fare_engine_pricer.h"
#include "hce/fare/fare_engine.h"

#include <memory>
#include <string>

namespace hcesim::live {

struct TariffConfig {
  std::string metro_fare_rules; //!< distance-band rule file (proto/fare_rules.proto)
  Money bus_fare = Money(200, Currency::from_code("CNY").value());
  Money transfer_discount = Money(100, Currency::from_code("CNY").value());
  Duration transfer_window = Duration::minutes(90);
};

class LiveTariff final : public cloud::JourneyPricer {
public:
  //! Loads the rule file; errors name the file (and the field) or a currency mismatch.
  static Result<std::unique_ptr<LiveTariff>> load(const TariffConfig& config);

  void price_day(std::span<const cloud::JourneyLeg> legs, std::span<Money> out) const override;
  //! The highest metro fare between two stations of the rules (a journey with a missing end).
  Money max_fare(ValidatorId) const override { return max_fare_; }
  const fare::FareEngine& engine() const { return *engine_; }

private:
  LiveTariff(TariffConfig config, std::unique_ptr<fare::FareEngine> engine, Money max_fare);

  TariffConfig config_;
  std::unique_ptr<fare::FareEngine> engine_;
  Money max_fare_;
  cloud::FareEnginePricer metro_;
};

} // namespace hcesim::live
