#pragma once
// The files `hcesim report` draws, checked before it draws them: a page built from a truncated
// summary.json or without kpis.csv would be a blank chart that looks like a result.
#include "base/error.h"

#include <filesystem>
#include <string>

namespace hcesim::cli {

//! Every error in the results folder `dir` of this kind (run, replications, sweep, comparison): a
//! file the page needs that is missing, a JSON file that does not parse, a CSV file with no
//! header, a row whose cells do not match its header, or no final newline (a cut-off write).
Errors check_report_inputs(const std::filesystem::path& dir, const std::string& kind);

} // namespace hcesim::cli
