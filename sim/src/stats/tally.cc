#include "sim/stats/tally.h"

#include <cassert>
#include <cmath>
#include <limits>

namespace hcesim::sim {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

void Tally::add(double x) {
  assert(std::isfinite(x));
  if (n_ == 0) {
    min_ = x;
    max_ = x;
  } else {
    min_ = x < min_ ? x : min_;
    max_ = x > max_ ? x : max_;
  }
  ++n_;
  const double delta = x - mean_;
  mean_ += delta / static_cast<double>(n_);
  m2_ += delta * (x - mean_);
}

void Tally::merge(const Tally& other) {
  if (other.n_ == 0) {
    return;
  }
  if (n_ == 0) {
    *this = other;
    return;
  }
  const auto na = static_cast<double>(n_);
  const auto nb = static_cast<double>(other.n_);
  const double n = na + nb;
  const double delta = other.mean_ - mean_;
  mean_ += delta * (nb / n);
  m2_ += other.m2_ + delta * delta * (na * nb / n);
  n_ += other.n_;
  min_ = other.min_ < min_ ? other.min_ : min_;
  max_ = other.max_ > max_ ? other.max_ : max_;
}

double Tally::mean() const {
  return n_ > 0 ? mean_ : kNaN;
}

double Tally::variance() const {
  return n_ > 1 ? m2_ / static_cast<double>(n_ - 1) : kNaN;
}

double Tally::sd() const {
  return std::sqrt(variance());
}

double Tally::standard_error() const {
  return sd() / std::sqrt(static_cast<double>(n_));
}

double Tally::min() const {
  return n_ > 0 ? min_ : kNaN;
}

double Tally::max() const {
  return n_ > 0 ? max_ : kNaN;
}

} // namespace hcesim::sim
