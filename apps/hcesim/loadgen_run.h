#pragma once
// One load of `hcesim loadgen`: fresh accounts and validators on a live hcesim-cloud, connections
// sending a request mix open loop (Poisson schedule, latency from the scheduled send) or closed
// loop, and the report of each request kind's replies, latency quantiles and histogram.
#include "base/time.h"
#include "hce/token/aes_cmac.h"
#include "hcesim/loadgen_command.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

namespace hcesim::cli {

enum RequestKind : size_t { kTokens = 0, kUpload = 1, kTopUp = 2, kKinds = 3 };
inline constexpr std::array<const char*, kKinds> kKindNames = {"token request", "tap upload",
                                                               "top-up"};
using RequestMix = std::array<double, kKinds>; //!< each kind's share of the requests

//! What one load measured, per request kind.
struct LoadFigures {
  std::array<double, kKinds> mean_ms{};
  std::array<double, kKinds> p99_ms{};
  std::array<double, kKinds> replies_per_s{};
  //! The server kept up: requests sent in the run's second half waited on average at most
  //! 1.5 × (+ 1 ms) as long as those of its first half (an overloaded queue grows all run).
  std::array<bool, kKinds> stable{};
};

//! Wall-clock time now (requests carry it against replay).
Time wall_now();

//! One load at `o.rate` (or as fast as possible): sets up fresh accounts (ids from `run_base`) and
//! validators, drives the server and prints the report; nullopt when setup failed.
std::optional<LoadFigures> run_one(const LoadgenOptions& o, const std::string& host, uint16_t port,
                                   const hce::Key128& operator_key, const RequestMix& mix,
                                   uint32_t batch_records, uint64_t run_base, std::ostream& out,
                                   std::ostream& err);

} // namespace hcesim::cli
