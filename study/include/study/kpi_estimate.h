#pragma once
// KPIs over replications: each (kpi, segment) as a mean with a 95 % Student-t interval and the
// per-replication values (null values, a quantile with no data, are left out of the mean). The
// interval is cut to the range the KPI can take (a share 0..1, every other KPI >= 0): the true
// value lies in that range, so the cut interval covers it as often and never reads as a negative
// share or count.
#include "models/run/kpi_rows.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hcesim::study {

struct KpiEstimate {
  std::string kpi;
  std::string segment;
  std::string unit;                //!< a KpiRow unit; empty: any real (a difference)
  double mean = 0;                 //!< NaN when no replication has a value
  double half_width = 0;           //!< NaN with fewer than 2 values (the t interval's, uncut)
  int64_t n = 0;                   //!< replications with a value
  std::vector<std::string> values; //!< each replication's exact text ("null" for none)
  //! The interval's ends, cut to the unit's range (NaN without an interval).
  double ci_low() const;
  double ci_high() const;
};

//! One estimate per (kpi, segment), in the order the rows first appear; `replications` in index
//! order.
std::vector<KpiEstimate>
estimate_kpis(const std::vector<std::vector<models::KpiRow>>& replications);

//! Mean and 95 % t half-width of the finite values (half-width NaN below 2, mean NaN at 0).
KpiEstimate estimate_values(const std::vector<double>& values);

//! A number as results files write it: up to 10 significant digits; "null" when not finite.
std::string number_text(double v);

} // namespace hcesim::study
