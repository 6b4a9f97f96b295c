#include "study/metamodel.h"

#include "base/time.h"

#include <Eigen/Dense>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace hcesim::study {

double axis_number(const models::SweepAxisConfig& axis, const std::string& text) {
  double v = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (ec == std::errc() && p == end) {
    return v;
  }
  if (auto d = parse_duration(text); d.ok()) {
    return d->to_seconds();
  }
  const auto it = std::find(axis.values.begin(), axis.values.end(), text);
  return static_cast<double>(it - axis.values.begin());
}

std::optional<Metamodel> fit_metamodel(const std::vector<models::SweepAxisConfig>& axes,
                                       const std::vector<std::vector<std::string>>& points,
                                       const std::vector<double>& y) {
  const size_t n = points.size();
  const size_t a = axes.size();
  if (n != y.size() || n <= a + 1 || // as many points as terms: an exact fit, R² 1 says nothing
      std::any_of(y.begin(), y.end(), [](double v) { return !std::isfinite(v); })) {
    return std::nullopt;
  }
  const size_t pairs = a * (a - 1) / 2;
  const bool interactions = pairs > 0 && n > 1 + a + pairs;
  const size_t terms = 1 + a + (interactions ? pairs : 0);
  Eigen::MatrixXd x(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(terms));
  Eigen::VectorXd target(static_cast<Eigen::Index>(n));
  for (size_t i = 0; i < n; ++i) {
    const auto row = static_cast<Eigen::Index>(i);
    std::vector<double> v;
    for (size_t k = 0; k < a; ++k) {
      v.push_back(axis_number(axes[k], points[i][k]));
    }
    Eigen::Index c = 0;
    x(row, c++) = 1.0;
    for (const double e : v) {
      x(row, c++) = e;
    }
    if (interactions) {
      for (size_t p = 0; p < a; ++p) {
        for (size_t q = p + 1; q < a; ++q) {
          x(row, c++) = v[p] * v[q];
        }
      }
    }
    target(row) = y[i];
  }
  const Eigen::VectorXd beta = x.colPivHouseholderQr().solve(target);
  Metamodel m;
  m.terms.push_back({"intercept", beta(0)});
  Eigen::Index c = 1;
  for (const auto& axis : axes) {
    m.terms.push_back({axis.field, beta(c++)});
  }
  if (interactions) {
    for (size_t p = 0; p < a; ++p) {
      for (size_t q = p + 1; q < a; ++q) {
        m.terms.push_back({axes[p].field + "*" + axes[q].field, beta(c++)});
      }
    }
  }
  const double mean = target.mean();
  const double ss_tot = (target.array() - mean).square().sum();
  const double ss_res = (target - x * beta).squaredNorm();
  m.r2 = ss_tot > 0 ? 1.0 - ss_res / ss_tot : std::numeric_limits<double>::quiet_NaN();
  return m;
}

} // namespace hcesim::study
