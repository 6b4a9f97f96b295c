#pragma once
// `hcesim run [SCENARIO] [--set k=v]... [--out DIR] [--seed N] [--replications R]
// [--sweep path=v1,v2]... [--zip] [--jobs N] [--quiet]`: runs whatever the scenario asks for (one
// run, replications, a sweep) on --jobs threads, and under mpirun over every rank, then writes the
// results folder (docs/results.md) and report.html unless --no-report. --out must be new, empty or
// an earlier results folder (results_folder.h); that is checked before the run.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hcesim::cli {

//! The scenario `hcesim run` runs when given none (from outside a checkout: the one hcesim was
//! built from).
inline constexpr const char* kDefaultScenario = "scenarios/default.txtpb";

struct RunOptions {
  std::string scenario; //!< empty: none given, kDefaultScenario (or the checkout's, from elsewhere)
  std::vector<std::string> overrides;
  std::string out; //!< empty: results/runs/<name>-seed<N>
  std::optional<uint64_t> seed;
  std::optional<uint32_t> replications;
  std::vector<std::string> sweep; //!< "path=v1,v2,..." axes added to the scenario's
  bool zip = false;               //!< the sweep's axes zipped rather than crossed
  unsigned jobs = 0;              //!< 0: every core
  bool quiet = false;
  bool no_report = false;   //!< skip report.html
  std::string command_line; //!< for the manifest
};

int run_run(const RunOptions& options);

} // namespace hcesim::cli
