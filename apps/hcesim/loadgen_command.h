#pragma once
// `hcesim loadgen`: drives a live hcesim-cloud with a scenario's request mix, open loop (Poisson
// send schedule, latency from the scheduled send time), and reports throughput and latency
// quantiles with a histogram.
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace hcesim::cli {

struct LoadgenOptions {
  std::string target;   //!< HOST:PORT
  std::string scenario; //!< scenario file: the request mix comes from its parameters
  std::string data;     //!< the server's --data folder (keys.bin: a bench setup)
  std::string mix;      //!< "scenario" (default), "tokens", "uploads" or "top-ups"
  double rate = 0;      //!< requests/s over all connections (0 with as_fast_as_possible)
  bool as_fast_as_possible = false;
  double duration_s = 10;
  uint32_t connections = 8;
  uint32_t batch_records = 50; //!< taps per upload (at most the scenario's batch_size)
  uint32_t window = 32;        //!< as fast as possible: requests in flight per connection
  std::string calibration;     //!< write measured service times here (optional)
  std::vector<double> sweep;   //!< rates for the predicted-vs-measured table (optional)
};

int run_loadgen(const LoadgenOptions& options, std::ostream& out, std::ostream& err);

} // namespace hcesim::cli
