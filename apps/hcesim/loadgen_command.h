#pragma once
// `hcesim loadgen`: drives a live hcesim-cloud with the request mix of a simulated run, open loop
// (Poisson send schedule, latency from the scheduled send time), and reports throughput and latency
// quantiles with a histogram.
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace hcesim::cli {

struct LoadgenOptions {
  std::string target;   //!< HOST:PORT
  std::string scenario; //!< scenario file: the request mix comes from a simulated run of it
  std::vector<std::string> overrides; //!< --set path=value for that run (e.g. fewer riders)
  std::string operator_key;           //!< the operator's request key file (16 bytes)
  std::string data; //!< or the server's --data folder: its operator.key (same machine)
  std::string mix;  //!< "scenario" (default), "tokens", "uploads" or "top-ups"
  double rate = 0;  //!< requests/s over all connections (0 with as_fast_as_possible)
  bool as_fast_as_possible = false;
  double duration_s = 10;
  uint32_t connections = 8;
  uint32_t batch_records = 0; //!< taps per upload; 0: the run's mean (scenario mix) or 50
  uint32_t window = 32;       //!< as fast as possible: requests in flight per connection
  std::string calibration;    //!< with sweep: write the calibration file here (optional)
  std::vector<double> sweep;  //!< rates for the predicted-vs-measured table (optional)
  // The calibration model (with sweep): each kind's open-loop capacity is the highest offered
  // rate served within `within` (a share) with a stable queue, found in search_steps bisection
  // steps below its closed-loop rate; modelled as `servers` servers (0: the count that fits best).
  uint32_t servers = 0;
  double within = 0.05;
  uint32_t search_steps = 5;
  uint32_t repeats = 1; //!< runs of each sweep load; the table takes the median run
};

int run_loadgen(const LoadgenOptions& options, std::ostream& out, std::ostream& err);

} // namespace hcesim::cli
