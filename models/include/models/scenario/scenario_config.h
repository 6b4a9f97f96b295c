#pragma once
// A scenario after loading: every default applied, every duration and amount parsed into base
// types and checked against its range (proto/scenario.proto documents each field).
#include "base/money.h"
#include "base/time.h"
#include "models/scenario/faults_config.h"
#include "models/scenario/study_config.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hcesim::models {

struct RiderClassConfig {
  std::string name;
  double share = 1.0;
  double trip_factor = 1.0;
  double online_factor = 1.0;
};

struct CoverageClassConfig {
  std::string name;
  double share = 1.0;
  double offline_factor = 1.0;
};

enum class CitySource { kSynthetic, kGtfs };
enum class RefusalReaction { kRetryThenFallback, kFallback, kGiveUp };
enum class ExpiryAlignment { kRolling, kDailyBoundary, kRollingWithJitter };
enum class RefillTrigger { kAfterEveryUse, kBelowTaps, kBeforeExpiry };
enum class TripModel { kTripChains, kPoissonTaps };
//! population.start_balances (proto/scenario.proto).
enum class StartBalances { kInTopUpCycle, kFixed };

struct CloudServiceConfig {
  uint32_t servers = 1;
  Duration mean_service_time;
  uint32_t buffer = 0;
  Duration client_timeout;
  //! Added to every answer outside the queue (holds no server); zero in the default scenarios.
  Duration fixed_latency;
  //! Lognormal service times of this coefficient of variation; none: exponential (the default).
  std::optional<double> service_time_cv;
};

struct OutageConfig {
  Time start;
  Duration duration;
};

struct ScenarioConfig {
  std::string name;
  std::string source_file; //!< the scenario file as given, for the manifest
  std::string base_folder; //!< relative paths in the scenario resolve against this
  uint64_t seed = 1;
  uint32_t days = 1;
  Duration warmup;
  Duration drain;
  int first_weekday = 0; //!< 0 = Monday

  struct City {
    CitySource source = CitySource::kSynthetic;
    uint32_t metro_lines = 4;
    uint32_t stations_per_line = 25;
    uint32_t bus_routes = 300;
    uint32_t stops_per_bus_route = 20;
    uint32_t size_km = 30;
    Currency currency;
    Money bus_fare;
    Money transfer_discount;
    Duration transfer_window;
    std::string metro_fare_rules; //!< resolved path
    uint32_t off_peak_headway_factor = 2;
    uint32_t night_headway_factor = 3;
    std::string gtfs_folder; //!< resolved path, with CitySource::kGtfs
    std::string service_date;
  } city;

  struct Population {
    uint32_t riders = 200'000;
    double hce_share = 0.6;
    double weekday_trips = 2.2;
    double weekend_trips = 1.3;
    Money initial_balance;
    //! The loader's default is kInTopUpCycle (proto/scenario.proto); a config built in code keeps
    //! everyone at initial_balance unless it says otherwise.
    StartBalances start_balances = StartBalances::kFixed;
    std::vector<RiderClassConfig> classes;
    RefusalReaction on_refusal = RefusalReaction::kRetryThenFallback;
    TripModel trip_model = TripModel::kTripChains;
    double taps_per_hour = 1.0; //!< with kPoissonTaps
  } population;

  struct TokenPolicy {
    uint32_t offline_limit = 3;
    Duration lifetime;
    ExpiryAlignment alignment = ExpiryAlignment::kRolling;
    Duration jitter;
    Duration daily_boundary;
    uint32_t tokens_per_grant = 1;
    uint32_t wallet_size = 2;
    uint32_t requests_per_device_per_hour = 30;
    Money issuing_minimum_balance;
    Duration key_rotation;
  } token_policy;

  struct Refill {
    RefillTrigger trigger = RefillTrigger::kAfterEveryUse;
    uint32_t below_taps = 2;
    Duration before_expiry;
    Duration request_timeout;
    Duration retry_backoff;
    Duration max_backoff;
    bool background = true;     //!< the phone looks at its tokens' expiry without a tap
    Duration background_spread; //!< each phone's look comes up to this long after its time
  } refill;

  struct TopUp {
    double auto_share = 0.7;
    Money threshold;
    Money amount;
    uint32_t retries = 3;
    Duration retry_interval;
    Money debt_limit;
    double manual_share = 1.0; //!< of HCE riders without automatic top-up
    Duration manual_delay;     //!< mean wait from a low-balance refusal to the manual top-up
  } top_up;

  struct Network {
    Duration mean_online;
    Duration mean_offline;
    bool offline_underground = true;
    double data_off_share = 0.05;
    std::vector<CoverageClassConfig> coverage;
  } network;

  struct Validators {
    Duration station_upload_interval;
    Duration bus_upload_interval;
    uint32_t store_capacity = 100'000;
    uint32_t replay_memory = 4096;
    Duration clock_skew_tolerance;
    uint32_t batch_size = 500;
    double outage_share = 0.0;
  } validators;

  struct Cloud {
    CloudServiceConfig issuing;
    CloudServiceConfig settlement;
    CloudServiceConfig top_up;
    std::vector<OutageConfig> outages;
    std::string calibration;   //!< resolved path of the calibration applied (empty: none)
    bool zero_latency = false; //!< requests answered when sent, no capacity model
  } cloud;

  struct Bank {
    Duration mean_latency;
    double decline_probability = 0.02;
    double timeout_probability = 0.005;
    Duration timeout;
  } bank;

  struct Output {
    Duration timeseries_interval;
  } output;

  StudyConfig study;   //!< replications, precision, sweep, expectations
  FaultsConfig faults; //!< issue 16: none unless the scenario has a faults block

  //! Attackers of each kind (models/attack/; none unless the scenario has an attackers block).
  struct Attackers {
    uint32_t key_holders = 0;
    uint32_t broke_riders = 0;
    uint32_t forging_validators = 0; //!< a share is resolved when the city is built
    double forging_validator_share = 0;
    uint32_t relays = 0;
    uint32_t flooders = 0;
    uint32_t phones_per_key_holder = 3;
    bool split_counters = false;
    double taps_per_hour = 2.0;
    double forgeries_per_hour = 4.0;
    double flood_requests_per_hour = 600.0;
    uint32_t accounts_per_flooder = 5;
    uint32_t lost_phones = 0;
    Duration lost_report_delay = Duration::hours(6);
    bool any() const {
      return key_holders + broke_riders + forging_validators + relays + flooders + lost_phones >
                 0 ||
             forging_validator_share > 0;
    }
  } attackers;
};

} // namespace hcesim::models
