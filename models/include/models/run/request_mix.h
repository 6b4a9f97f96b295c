#pragma once
// The cloud request mix of a simulated run (issue 19's load generator): token requests, tap batch
// uploads (with their mean size) and top-ups per second in the busiest hour of the measured days,
// taken from a CityRun's hour counts.
#include "base/error.h"
#include "models/run/segment_kpis.h"
#include "models/scenario/scenario_config.h"

#include <array>
#include <cstdint>

namespace hcesim::models {

struct RequestMix {
  uint32_t hour = 0;          //!< the busiest hour of day (most requests of the three kinds)
  double token_requests = 0;  //!< per second in that hour, averaged over the measured days
  double uploads = 0;         //!< per second
  double top_ups = 0;         //!< per second
  double taps_per_upload = 0; //!< mean records per upload in that hour (0 without uploads)

  double total() const { return token_requests + uploads + top_ups; }
  //! Shares of the total (token requests, uploads, top-ups); all 0 when the run sent nothing.
  std::array<double, 3> shares() const;
};

//! The busiest hour of `hours` (HourCounts summed over `days` measured days). Error when no hour
//! saw a request.
Result<RequestMix> busiest_hour_mix(const std::array<HourCounts, 24>& hours, uint32_t days);

//! Runs the scenario (a CityRun over its world, warm-up and drain as configured) and returns the
//! mix of its busiest hour. Errors: the world cannot be built, or the run sent no request.
Result<RequestMix> simulated_request_mix(const ScenarioConfig& cfg);

} // namespace hcesim::models
