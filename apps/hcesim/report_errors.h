#pragma once
// Prints errors to stderr, one per line with its location, as every subcommand does on bad input.
#include "base/error.h"

#include <ostream>

namespace hcesim::cli {
void report_errors(std::ostream& err, const Errors& errors);
} // namespace hcesim::cli
