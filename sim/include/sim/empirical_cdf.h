#pragma once
// A distribution given by points of its CDF, linear in between (e.g. measured trip lengths or
// dwell times). Drawing inverts the CDF: one uniform per draw, O(log n) search.
#include "base/error.h"
#include "sim/random_stream.h"

#include <utility>
#include <vector>

namespace hcesim::sim {

class EmpiricalCdf {
public:
  struct Point {
    double x;   //!< value
    double cdf; //!< P(X <= x)
  };
  //! Errors: fewer than 2 points, a non-finite value, x or cdf decreasing (named by point index),
  //! first cdf not 0 or last not 1. Equal x's make an atom; equal cdf's a gap in the support.
  static Result<EmpiricalCdf> make(std::vector<Point> points);

  double draw(RandomStream& s) const { return quantile(s.next_double()); }
  //! The value with CDF p, p in [0, 1].
  double quantile(double p) const;
  //! Exact mean and variance of the piecewise-uniform mixture.
  double mean() const;
  double variance() const;
  const std::vector<Point>& points() const { return points_; }

private:
  explicit EmpiricalCdf(std::vector<Point> points) : points_(std::move(points)) {}
  std::vector<Point> points_;
};

} // namespace hcesim::sim
