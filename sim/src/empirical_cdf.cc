#include "sim/empirical_cdf.h"

#include "sim/distributions.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <string>

namespace hcesim::sim {

Result<EmpiricalCdf> EmpiricalCdf::make(std::vector<Point> points) {
  if (points.size() < 2) {
    return Error{"", "empirical CDF needs at least 2 points, got " + std::to_string(points.size())};
  }
  for (size_t i = 0; i < points.size(); ++i) {
    const Point& p = points[i];
    const std::string where = "point " + std::to_string(i);
    if (!std::isfinite(p.x) || !std::isfinite(p.cdf)) {
      return Error{where, "x and cdf must be finite, got x=" + format_double(p.x) +
                              " cdf=" + format_double(p.cdf)};
    }
    if (i > 0 && p.x < points[i - 1].x) {
      return Error{where, "x must not decrease, got " + format_double(p.x) + " after " +
                              format_double(points[i - 1].x)};
    }
    if (i > 0 && p.cdf < points[i - 1].cdf) {
      return Error{where, "cdf must not decrease, got " + format_double(p.cdf) + " after " +
                              format_double(points[i - 1].cdf)};
    }
  }
  if (points.front().cdf != 0) {
    return Error{"point 0", "cdf must start at 0, got " + format_double(points.front().cdf)};
  }
  if (points.back().cdf != 1) {
    return Error{"point " + std::to_string(points.size() - 1),
                 "cdf must end at 1, got " + format_double(points.back().cdf)};
  }
  return EmpiricalCdf(std::move(points));
}

double EmpiricalCdf::quantile(double p) const {
  assert(p >= 0 && p <= 1);
  if (p >= 1) {
    return points_.back().x;
  }
  // First point with cdf > p: it exists (last cdf is 1) and is not the first (first cdf is 0).
  auto hi = std::upper_bound(points_.begin(), points_.end(), p,
                             [](double v, const Point& pt) { return v < pt.cdf; });
  const Point& b = *hi;
  const Point& a = *(hi - 1);
  return a.x + (b.x - a.x) * ((p - a.cdf) / (b.cdf - a.cdf));
}

double EmpiricalCdf::mean() const {
  double m = 0;
  for (size_t i = 1; i < points_.size(); ++i) {
    m += (points_[i].cdf - points_[i - 1].cdf) * (points_[i - 1].x + points_[i].x) / 2;
  }
  return m;
}

double EmpiricalCdf::variance() const {
  // E[X²] of a uniform on [a, b] is (a² + ab + b²) / 3.
  double m2 = 0;
  for (size_t i = 1; i < points_.size(); ++i) {
    const double a = points_[i - 1].x;
    const double b = points_[i].x;
    m2 += (points_[i].cdf - points_[i - 1].cdf) * (a * a + a * b + b * b) / 3;
  }
  const double m = mean();
  return m2 - m * m;
}

} // namespace hcesim::sim
