#pragma once
// `hcesim compare A B [--out DIR]`: B against A, KPI by KPI (docs/results.md "Comparisons"):
// prints the table and writes comparison.csv and manifest.json.
#include <iosfwd>
#include <string>

namespace hcesim::cli {

struct CompareOptions {
  std::string a;
  std::string b;
  std::string out; //!< default results/runs/compare-<a>-vs-<b>
};

int run_compare(const CompareOptions& options, std::ostream& out, std::ostream& err);

} // namespace hcesim::cli
