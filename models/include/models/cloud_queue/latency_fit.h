#pragma once
// The live service's latency as the simulator's queue sees it (issue 19's calibration): M/M/c's
// mean wait (Erlang C), and the fit of a number of servers, a fixed latency F and a service-time
// coefficient of variation to measured mean latencies below saturation.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace hcesim::models {

//! Mean wait in queue (s) of M/M/c with Poisson arrivals `lambda`/s and total capacity
//! `capacity`/s (c servers of capacity/c each); infinite at or above capacity.
double erlang_c_wait_s(uint32_t c, double lambda, double capacity);

//! One load a service was measured at: its M/M/c mean wait and the measured mean latency, ms.
struct LatencyPoint {
  double mmc_wait_ms = 0;
  double measured_ms = 0;
  double utilisation = 0; //!< offered ÷ capacity
};

struct LatencyFit {
  double fixed_ms = 0;
  std::optional<double> cv; //!< none: exponential (not enough queueing to tell)
};

//! measured ≈ F + S + ((1 + cv²) / 2) × M/M/c wait (Allen–Cunneen; exact for one server by
//! Pollaczek–Khinchine), S = `service_ms`: F and cv by least squares on relative error, with
//! F ≥ 0 and 0 ≤ cv ≤ 100. Without two loads, one of them at utilisation ≥ 0.3 (below that the
//! queueing is noise), the service stays exponential and F is the smallest excess.
LatencyFit fit_latency(const std::vector<LatencyPoint>& points, double service_ms);

//! One load a service was measured at, stable and served: offered rate (/s), mean latency (ms).
struct MeasuredLoad {
  double offered = 0;
  double mean_ms = 0;
};

//! A queue fitted to measured loads: c servers sharing `capacity`, F and cv as fit_latency.
struct QueueFit {
  uint32_t servers = 1;
  double fixed_ms = 0;
  std::optional<double> cv;
  double rms_relative_error = 0; //!< of the model's mean against the loads it was fitted to
  size_t loads = 0;              //!< loads below capacity it was fitted to
};

//! The model's mean latency (ms) at `offered`/s: F + S + ((1 + cv²) / 2) × the M/M/c wait.
double queue_mean_ms(const QueueFit& q, double offered, double capacity);

//! Fits F and cv (fit_latency) for each server count in `servers` (ascending) and keeps the one
//! whose means are closest to the loads (relative RMS); a larger count must beat a smaller one by
//! 5 % to be kept, as more servers only flatten the curve. Without enough queueing for fit_latency
//! to fit a cv the first count is kept (a longer service would only stand in for F). Loads at or
//! above capacity are ignored.
QueueFit fit_queue(const std::vector<MeasuredLoad>& loads, double capacity,
                   std::span<const uint32_t> servers);

} // namespace hcesim::models
