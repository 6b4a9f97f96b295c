#pragma once
// `hcesim validate SCENARIO [--set k=v]... [--print]`: checks a scenario file and reports every
// error with its place, or prints the resolved scenario.
#include <string>
#include <vector>

namespace hcesim::cli {

struct ValidateOptions {
  std::string scenario;
  std::vector<std::string> overrides;
  bool print = false;
};

int run_validate(const ValidateOptions& options);

} // namespace hcesim::cli
