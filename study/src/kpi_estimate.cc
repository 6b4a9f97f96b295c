#include "study/kpi_estimate.h"

#include "sim/stats/confidence_interval.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <sstream>

namespace hcesim::study {

std::string number_text(double v) {
  if (!std::isfinite(v)) {
    return "null";
  }
  std::ostringstream o;
  o.precision(10);
  o << v;
  return o.str();
}

double KpiEstimate::ci_low() const {
  const double low = mean - half_width;
  // A unit names a KPI's values, none of them negative (docs/results.md); std::max keeps a NaN.
  return unit.empty() ? low : std::max(low, 0.0);
}

double KpiEstimate::ci_high() const {
  const double high = mean + half_width;
  return unit == "share" ? std::min(high, 1.0) : high;
}

KpiEstimate estimate_values(const std::vector<double>& values) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  sim::Tally t;
  for (const double v : values) {
    if (std::isfinite(v)) {
      t.add(v);
    }
  }
  KpiEstimate e;
  e.n = t.count();
  e.mean = e.n == 0 ? kNaN : t.mean();
  const auto ci = sim::confidence_interval(t, 0.95);
  e.half_width = ci ? ci->half_width : kNaN;
  return e;
}

std::vector<KpiEstimate>
estimate_kpis(const std::vector<std::vector<models::KpiRow>>& replications) {
  std::vector<KpiEstimate> out;
  std::vector<std::vector<double>> numbers;
  std::map<std::pair<std::string, std::string>, size_t> index;
  const size_t n = replications.size();
  for (size_t k = 0; k < n; ++k) {
    for (const models::KpiRow& r : replications[k]) {
      auto [it, fresh] = index.try_emplace({r.kpi, r.segment}, out.size());
      if (fresh) {
        KpiEstimate e;
        e.kpi = r.kpi;
        e.segment = r.segment;
        e.unit = r.unit;
        e.values.assign(n, "null");
        out.push_back(std::move(e));
        numbers.emplace_back(n, std::numeric_limits<double>::quiet_NaN());
      }
      out[it->second].values[k] = r.text;
      numbers[it->second][k] = r.value;
    }
  }
  for (size_t i = 0; i < out.size(); ++i) {
    const KpiEstimate s = estimate_values(numbers[i]);
    out[i].mean = s.mean;
    out[i].half_width = s.half_width;
    out[i].n = s.n;
  }
  return out;
}

} // namespace hcesim::study
