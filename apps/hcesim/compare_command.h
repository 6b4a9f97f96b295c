#pragma once
// `hcesim compare A B [--out DIR] [--report]`: B against A, KPI by KPI (docs/results.md
// "Comparisons"): prints the table and writes comparison.csv and manifest.json (and report.html).
// Folders in two currencies are bad input: their money KPIs cannot be subtracted.
#include <iosfwd>
#include <string>

namespace hcesim::cli {

struct CompareOptions {
  std::string a;
  std::string b;
  std::string out;     //!< default results/runs/compare-<a>-vs-<b>
  bool report = false; //!< also write report.html
};

int run_compare(const CompareOptions& options, std::ostream& out, std::ostream& err);

} // namespace hcesim::cli
