#pragma once
// The live service's latency as the simulator's queue sees it (issue 19's calibration): M/M/c's
// mean wait (Erlang C), and the fit of a fixed latency F and a service-time coefficient of
// variation to measured mean latencies below saturation.
#include <cstdint>
#include <optional>
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

} // namespace hcesim::models
