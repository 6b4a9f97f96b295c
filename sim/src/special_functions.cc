#include "sim/special_functions.h"

#include <cassert>
#include <cmath>

// Only +, -, *, /, sqrt (exactly rounded by IEEE 754) and the C library's log/exp/log1p are used:
// the results are bit-identical wherever the same libm is used, and within an ulp or two elsewhere.
namespace hcesim::sim {

double log_gamma(double x) {
  assert(x > 0);
  if (x < 0.5) {
    // Γ(x) = Γ(x + 1) / x keeps the Lanczos sum in its accurate range.
    return log_gamma(x + 1) - std::log(x);
  }
  // Lanczos, g = 7, n = 9 (the coefficients Numerical Recipes and Boost publish).
  static constexpr double kCoefficients[9] = {
      0.99999999999980993,  676.5203681218851,     -1259.1392167224028,
      771.32342877765313,   -176.61502916214059,   12.507343278686905,
      -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
  const double z = x - 1;
  double sum = kCoefficients[0];
  for (int i = 1; i < 9; ++i) {
    sum += kCoefficients[i] / (z + i);
  }
  const double t = z + 7.5;
  constexpr double kHalfLogTwoPi = 0.91893853320467274178;
  return kHalfLogTwoPi + (z + 0.5) * std::log(t) - t + std::log(sum);
}

double log_factorial(long long k) {
  assert(k >= 0);
  if (k <= 20) {
    double f = 1; // exact: 20! < 2^63 and every partial product is an exact double
    for (long long i = 2; i <= k; ++i) {
      f *= static_cast<double>(i);
    }
    return std::log(f);
  }
  return log_gamma(static_cast<double>(k) + 1);
}

namespace {

// Continued fraction for I_x(a, b) by the modified Lentz method (Numerical Recipes §6.4).
double beta_continued_fraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  constexpr double kEpsilon = 1e-16;
  const double qab = a + b;
  const double qap = a + 1;
  const double qam = a - 1;
  double c = 1;
  double d = 1 - qab * x / qap;
  if (std::fabs(d) < kTiny) {
    d = kTiny;
  }
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 10'000; ++m) {
    const double dm = m;
    const double m2 = 2 * dm;
    double aa = dm * (b - dm) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    d = std::fabs(d) < kTiny ? kTiny : d;
    c = 1 + aa / c;
    c = std::fabs(c) < kTiny ? kTiny : c;
    d = 1 / d;
    h *= d * c;
    aa = -(a + dm) * (qab + dm) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    d = std::fabs(d) < kTiny ? kTiny : d;
    c = 1 + aa / c;
    c = std::fabs(c) < kTiny ? kTiny : c;
    d = 1 / d;
    const double step = d * c;
    h *= step;
    if (std::fabs(step - 1) < kEpsilon) {
      break;
    }
  }
  return h;
}

} // namespace

double incomplete_beta(double a, double b, double x) {
  assert(a > 0 && b > 0 && x >= 0 && x <= 1);
  if (x == 0 || x == 1) {
    return x;
  }
  const double front = std::exp(log_gamma(a + b) - log_gamma(a) - log_gamma(b) + a * std::log(x) +
                                b * std::log1p(-x));
  // The fraction converges fast on this side of the mean; use the symmetry on the other.
  if (x < (a + 1) / (a + b + 2)) {
    return front * beta_continued_fraction(a, b, x) / a;
  }
  return 1 - front * beta_continued_fraction(b, a, 1 - x) / b;
}

namespace {

// P(T > t) for t >= 0.
double student_t_upper_tail(double t, double dof) {
  return 0.5 * incomplete_beta(dof / 2, 0.5, dof / (dof + t * t));
}

} // namespace

double student_t_cdf(double t, double dof) {
  assert(dof > 0);
  const double tail = student_t_upper_tail(std::fabs(t), dof);
  return t >= 0 ? 1 - tail : tail;
}

double student_t_quantile(double p, double dof) {
  assert(dof > 0 && p > 0 && p < 1);
  if (p == 0.5) {
    return 0;
  }
  if (p < 0.5) {
    return -student_t_quantile(1 - p, dof);
  }
  const double tail = 1 - p;
  double lo = 0;
  double hi = 1;
  while (student_t_upper_tail(hi, dof) > tail) {
    lo = hi;
    hi *= 2;
  }
  // Bisection until the interval cannot shrink further: full double precision in t.
  for (;;) {
    const double mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) {
      break;
    }
    if (student_t_upper_tail(mid, dof) > tail) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return lo + (hi - lo) / 2;
}

} // namespace hcesim::sim
