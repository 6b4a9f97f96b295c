#pragma once
// `hcesim loadgen --sweep`: each request kind's open-loop capacity, a queue fitted to the loads the
// server kept up with (servers, fixed latency, service-time cv), the simulator's predicted latency
// beside the measured one at each load (fitted, and with that load held out of the fit), and the
// calibration file a scenario's cloud loads.
#include "hce/token/aes_cmac.h"
#include "hcesim/loadgen_command.h"
#include "hcesim/loadgen_run.h"

#include <cstdint>
#include <ostream>
#include <string>

namespace hcesim::cli {

//! Runs the capacity searches and the sweep of `base.sweep` rates; returns the exit code.
int run_sweep(const LoadgenOptions& base, const std::string& host, uint16_t port,
              const hce::Key128& operator_key, const RequestMix& mix, uint32_t batch_records,
              uint64_t run_base, std::ostream& out, std::ostream& err);

} // namespace hcesim::cli
