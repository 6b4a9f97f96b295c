#pragma once
// The analyst's report: report.html, one self-contained page (the Vega-Lite library, the page
// script and the results files inlined) drawn from a results folder as docs/results.md describes.
#include "base/error.h"

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace hcesim::cli {

//! A goal a sweep point's KPI mean must meet to be highlighted, e.g. "refusal_rate<=0.001".
struct ReportTarget {
  std::string kpi;
  std::string op; //!< "<=", ">=", "<", ">", "=="
  double value = 0;
};

Result<ReportTarget> parse_report_target(const std::string& text);

struct ReportSettings {
  //! Holds page/*.js, page.css and node_modules/ (vega, vega-lite, vega-embed). Empty: the default.
  std::filesystem::path assets;
  std::vector<ReportTarget> targets;
};

//! $HCESIM_REPORT_ASSETS if set, else the source tree's report/ folder this binary was built from.
std::filesystem::path default_report_assets();

//! Ok when every file the page inlines is there; the error names scripts/setup.sh otherwise.
Result<void> check_report_assets(const std::filesystem::path& assets);

//! The folder's kind from manifest.json: "run", "replications", "sweep" or "comparison".
Result<std::string> results_kind(const std::filesystem::path& dir);

//! Writes dir/report.html and returns its path.
Result<std::filesystem::path> write_report(const std::filesystem::path& dir,
                                           const ReportSettings& settings = {});

//! What `hcesim run` does once its results folder is written (any kind): report.html unless
//! `no_report`. A report that cannot be drawn is a warning on `err`, never a failed run. Returns
//! the line for stdout ("report: DIR/report.html\n") or "".
std::string report_after_run(const std::filesystem::path& dir, bool no_report, std::ostream& err);

//! For `hcesim compare A B --report`: the report of a comparison folder (kind "comparison").
Result<std::filesystem::path> write_comparison_report(const std::filesystem::path& dir);

} // namespace hcesim::cli
