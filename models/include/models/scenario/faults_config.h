#pragma once
// The scenario's `faults` block, resolved (proto/scenario.proto, message Faults): random fault
// rates for measured days and faults by schedule. Every default is "no fault".
#include "base/time.h"

#include <cstdint>
#include <vector>

namespace hcesim::models {

enum class FaultKind : uint8_t {
  kCloudOutage = 0,
  kBankOutage,
  kLinkOutage,
  kUploadsLost,
  kUploadsDuplicated,
  kUploadsReordered,
  kUploadsCut,
  kClockSkew,
  kClockReset,
  kAppRestart,
};

//! One fault by schedule.
struct FaultWindowConfig {
  FaultKind kind = FaultKind::kCloudOutage;
  Time start;
  Duration duration;
  int64_t validator = -1; //!< -1: every validator
  Duration skew;          //!< signed: negative is behind
  uint32_t rider = 0;
  bool wallet_lost = false;
};

struct FaultsConfig {
  uint64_t seed = 0; //!< 0: the scenario's seed
  double cloud_outages_per_day = 0;
  Duration cloud_outage_mean;
  double bank_outages_per_day = 0;
  Duration bank_outage_mean;
  double link_outages_per_validator_day = 0;
  Duration link_outage_mean = Duration::hours(2); //!< also for validators.outage_share
  double upload_lost = 0;
  double upload_duplicated = 0;
  double upload_reordered = 0;
  double upload_cut = 0;
  double tiny_store_share = 0;
  uint32_t tiny_store_capacity = 20;
  double clock_faults_per_validator_day = 0;
  Duration clock_skew;
  double clock_reset_share = 0.5;
  double app_restarts_per_rider_day = 0;
  double wallet_lost_share = 0;
  std::vector<FaultWindowConfig> windows;

  //! True when nothing can go wrong: the run is exactly the run without a faults block.
  bool none() const {
    return cloud_outages_per_day == 0 && bank_outages_per_day == 0 &&
           link_outages_per_validator_day == 0 && upload_lost == 0 && upload_duplicated == 0 &&
           upload_reordered == 0 && upload_cut == 0 && tiny_store_share == 0 &&
           clock_faults_per_validator_day == 0 && app_restarts_per_rider_day == 0 &&
           windows.empty();
  }
};

} // namespace hcesim::models
