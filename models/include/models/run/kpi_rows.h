#pragma once
// The KPIs of a run as tidy rows (name, segment, value, unit): the one table that summary.json,
// kpis.csv, replications, sweeps, `check` and the report all read. Names and units are listed in
// docs/results.md.
#include "models/run/run_kpis.h"

#include <string>
#include <vector>

namespace hcesim::models {

//! One KPI of one segment. `text` is the exact JSON number (money to the minor unit, counts as
//! integers); `value` the same as a double for arithmetic; a KPI without a value (a latency with no
//! answered request) has `text` "null" and `value` NaN.
struct KpiRow {
  std::string kpi;
  std::string segment; //!< "all", "class:<name>", "coverage:<name>", "hour:HH"
  double value = 0;
  std::string text;
  std::string unit; //!< "count", "share", "s", "per_s", or the currency code for money
};

//! Every KPI × segment of a run, in a fixed order: the overall ("all") rows first, then, when the
//! run counted segments (RunKpis::segments set up), each rider class, each coverage class and
//! each hour of day "hour:00".."hour:23".
std::vector<KpiRow> kpi_rows(const RunKpis& k, const Currency& currency);

} // namespace hcesim::models
