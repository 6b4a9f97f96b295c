#pragma once
// `hcesim run [SCENARIO] [--set k=v]... [--out DIR] [--seed N] [--quiet]`: runs a scenario (the
// default one without an argument) and writes manifest.json, summary.json and kpis.csv, then
// report.html unless --no-report.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hcesim::cli {

inline constexpr const char* kDefaultScenario = "scenarios/default.txtpb";

struct RunOptions {
  std::string scenario = kDefaultScenario;
  std::vector<std::string> overrides;
  std::string out; //!< empty: results/runs/<name>-seed<N>
  std::optional<uint64_t> seed;
  bool quiet = false;
  bool no_report = false;   //!< skip report.html
  std::string command_line; //!< for the manifest
};

int run_run(const RunOptions& options);

} // namespace hcesim::cli
