#pragma once
// Runs a command line through the shell and captures its exit code, stdout and stderr: how CLI
// tests exercise the real executables.
#include <string>

namespace hcesim::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

CommandResult run_command(const std::string& command_line);

} // namespace hcesim::testing
