#pragma once
// Loads a calibration of the cloud capacity model measured on the live service (issue 19; the
// file `hcesim loadgen --sweep --calibration` writes, proto/cloud_calibration.proto): each service
// it names gets its servers and mean_service_time. Errors name the file, line and column.
#include "base/error.h"
#include "base/time.h"
#include "models/scenario/scenario_config.h"

#include <optional>
#include <string>

namespace hcesim::models {

struct CloudCalibration {
  std::string source;
  std::optional<CloudServiceConfig> issuing; //!< buffer and client_timeout unset
  std::optional<CloudServiceConfig> settlement;
  std::optional<CloudServiceConfig> top_up;
  Duration fixed_latency;
};

//! Reads and checks a calibration file; the error is the first found, with its place.
Result<CloudCalibration> read_cloud_calibration(const std::string& path);

//! Applies the calibration at `path` to cfg.cloud; `where` places the scenario's field that named
//! it (for "file not found"). Errors are appended.
void apply_cloud_calibration(const std::string& path, const std::string& where, ScenarioConfig& cfg,
                             Errors& errors);

} // namespace hcesim::models
