#pragma once
// `hcesim report RUN_DIR [--target KPI<=X]... [--assets DIR]`: writes RUN_DIR/report.html, the
// analyst's charts of a run, replications, sweep or comparison folder (kind from manifest.json).
#include <ostream>
#include <string>
#include <vector>

namespace hcesim::cli {

struct ReportOptions {
  std::string dir;
  std::vector<std::string> targets; //!< "refusal_rate<=0.001": sweep points meeting all are marked
  std::string assets;               //!< empty: the source tree's report/ folder
};

int run_report(const ReportOptions& options, std::ostream& out, std::ostream& err);

} // namespace hcesim::cli
