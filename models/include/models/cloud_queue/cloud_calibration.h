#pragma once
// Loads a calibration of the cloud capacity model measured on the live service (issue 19; the
// file `hcesim loadgen --sweep --calibration` writes, proto/cloud_calibration.proto): each service
// it names gets its servers, mean_service_time and fixed_latency. Errors name the file, line and
// column.
#include "base/error.h"
#include "base/time.h"
#include "models/scenario/scenario_config.h"

#include <optional>
#include <string>

namespace hcesim::models {

struct CloudCalibration {
  std::string source;
  //! buffer and client_timeout unset; fixed_latency its own or the file's fixed_latency
  std::optional<CloudServiceConfig> issuing;
  std::optional<CloudServiceConfig> settlement;
  std::optional<CloudServiceConfig> top_up;
  Duration fixed_latency; //!< the default for services that give none
};

//! Reads and checks a calibration file; the error is the first found, with its place.
Result<CloudCalibration> read_cloud_calibration(const std::string& path);

//! Applies the calibration at `path` to cfg.cloud; `where` places the scenario's field that named
//! it (for "file not found"). Errors are appended.
void apply_cloud_calibration(const std::string& path, const std::string& where, ScenarioConfig& cfg,
                             Errors& errors);

} // namespace hcesim::models
