#pragma once
// Prints errors to stderr, one per line with its location, as every subcommand does on bad input.
#include "base/error.h"

#include <ostream>

namespace hcesim::cli {
void report_errors(std::ostream& err, const Errors& errors);
//! One line for a GTFS feed's rows set aside (unknown references): how many, and the first.
//! Nothing when there are none.
void report_rows_set_aside(std::ostream& err, const Errors& warnings, const char* remedy);
} // namespace hcesim::cli
