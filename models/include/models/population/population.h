#pragma once
// Who rides: one row per rider in struct-of-arrays tables (dense uint32 rider ids, 7 bytes per
// rider, no per-rider heap object). Drawn from each rider's own Purpose::kPopulation stream, one
// fixed slot per attribute, so changing one share (say auto top-up) changes only that attribute.
#include "base/money.h"
#include "models/city/city.h"
#include "models/scenario/scenario_config.h"

#include <cstdint>
#include <vector>

namespace hcesim::models {

class Population {
public:
  //! Flag bits of a rider.
  static constexpr uint8_t kHce = 1;       //!< the phone can do HCE (else a physical card)
  static constexpr uint8_t kDataOff = 2;   //!< keeps mobile data off except in the app
  static constexpr uint8_t kAutoTopUp = 4; //!< automatic top-up switched on (HCE riders only)
  //! Tops up by hand when refused tokens for a low balance (HCE riders without kAutoTopUp).
  static constexpr uint8_t kManualTopUp = 8;

  //! Draws `cfg.population.riders` riders over the city's zones: homes spread from the centre
  //! and along the metro, workplaces by the gravity model of DestinationChoice from the home.
  //! Needs < 65536 zones.
  static Population generate(const ScenarioConfig& cfg, const City& city);

  uint32_t size() const { return static_cast<uint32_t>(home_.size()); }
  uint32_t home_zone(uint32_t r) const { return home_[r]; }
  uint32_t work_zone(uint32_t r) const { return work_[r]; }
  //! Index into ScenarioConfig::population.classes.
  uint32_t rider_class(uint32_t r) const { return class_[r]; }
  //! Index into ScenarioConfig::network.coverage.
  uint32_t coverage_class(uint32_t r) const { return coverage_[r]; }
  bool hce(uint32_t r) const { return (flags_[r] & kHce) != 0; }
  bool data_off(uint32_t r) const { return (flags_[r] & kDataOff) != 0; }
  bool auto_top_up(uint32_t r) const { return (flags_[r] & kAutoTopUp) != 0; }
  bool manual_top_up(uint32_t r) const { return (flags_[r] & kManualTopUp) != 0; }
  //! The cloud-card balance rider `r` starts with (population.start_balances): drawn from the
  //! rider's own stream when asked (nothing stored per rider).
  Money initial_balance(uint32_t r) const;

  //! Bytes held by the tables (capacity), for the memory budget.
  std::size_t bytes() const;

private:
  std::vector<uint16_t> home_;
  std::vector<uint16_t> work_;
  std::vector<uint8_t> class_;
  std::vector<uint8_t> coverage_;
  std::vector<uint8_t> flags_;
  Money initial_balance_;
  StartBalances start_balances_ = StartBalances::kInTopUpCycle;
  uint64_t seed_ = 0;
  Money auto_low_;   //!< automatic top-up's cycle: [threshold, threshold + amount]
  Money manual_low_; //!< by hand: [issuing minimum (or 0), that + amount]
  int64_t cycle_minor_ = 0;
};

//! Zone weights used for homes and for workplaces and other destinations (not normalised): higher
//! near the city's origin and near metro stations, zero where no stop is within walking reach.
std::vector<double> home_weights(const City& city);
std::vector<double> destination_weights(const City& city);

} // namespace hcesim::models
