#include "sim/distributions.h"

#include <cassert>
#include <charconv>
#include <cmath>

namespace hcesim::sim {

std::string format_double(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  assert(ec == std::errc());
  return std::string(buf, end);
}

Duration duration_from_seconds(double seconds) {
  const double us = seconds * 1e6;
  assert(std::isfinite(us) && std::fabs(us) < 9.2e18);
  return Duration::micros(std::llround(us));
}

Result<Uniform> Uniform::make(double a, double b) {
  if (!std::isfinite(a) || !std::isfinite(b) || !(a < b) || !std::isfinite(b - a)) {
    return Error{"", "uniform needs finite bounds with a < b, got a=" + format_double(a) +
                         " b=" + format_double(b)};
  }
  return Uniform(a, b);
}

double Uniform::draw(RandomStream& s) const {
  const double x = a_ + (b_ - a_) * s.next_double();
  // Rounding can land exactly on b; the interval is half-open.
  return x < b_ ? x : std::nextafter(b_, a_);
}

Result<Exponential> Exponential::with_mean(double mean) {
  if (!std::isfinite(mean) || !(mean > 0)) {
    return Error{"", "exponential mean must be a finite number > 0, got " + format_double(mean)};
  }
  return Exponential(mean);
}

Result<Exponential> Exponential::with_rate(double rate) {
  if (!std::isfinite(rate) || !(rate > 0) || !std::isfinite(1 / rate)) {
    return Error{"", "exponential rate must be a finite number > 0, got " + format_double(rate)};
  }
  return Exponential(1 / rate);
}

double Exponential::draw(RandomStream& s) const {
  return -mean_ * std::log(s.next_open_double());
}

Result<Normal> Normal::make(double mean, double sd) {
  if (!std::isfinite(mean)) {
    return Error{"", "normal mean must be finite, got " + format_double(mean)};
  }
  if (!std::isfinite(sd) || !(sd >= 0)) {
    return Error{"", "normal sd must be a finite number >= 0, got " + format_double(sd)};
  }
  return Normal(mean, sd);
}

double Normal::standard(RandomStream& s) {
  // Marsaglia's polar method: log and sqrt only (no cos/sin, whose accuracy varies more).
  for (;;) {
    const double u = 2 * s.next_double() - 1;
    const double v = 2 * s.next_double() - 1;
    const double r2 = u * u + v * v;
    if (r2 > 0 && r2 < 1) {
      return u * std::sqrt(-2 * std::log(r2) / r2);
    }
  }
}

Result<LogNormal> LogNormal::from_mean_sd(double mean, double sd) {
  if (!std::isfinite(mean) || !(mean > 0)) {
    return Error{"", "lognormal mean must be a finite number > 0, got " + format_double(mean)};
  }
  if (!std::isfinite(sd) || !(sd >= 0)) {
    return Error{"", "lognormal sd must be a finite number >= 0, got " + format_double(sd)};
  }
  const double cv = sd / mean;
  const double sigma2 = std::log1p(cv * cv);
  if (!std::isfinite(sigma2)) {
    return Error{"", "lognormal sd/mean ratio is too large: mean=" + format_double(mean) +
                         " sd=" + format_double(sd)};
  }
  return LogNormal(std::log(mean) - sigma2 / 2, std::sqrt(sigma2));
}

Result<LogNormal> LogNormal::from_mu_sigma(double mu, double sigma) {
  if (!std::isfinite(mu)) {
    return Error{"", "lognormal mu must be finite, got " + format_double(mu)};
  }
  if (!std::isfinite(sigma) || !(sigma >= 0)) {
    return Error{"", "lognormal sigma must be a finite number >= 0, got " + format_double(sigma)};
  }
  return LogNormal(mu, sigma);
}

double LogNormal::draw(RandomStream& s) const {
  return std::exp(mu_ + sigma_ * Normal::standard(s));
}

double LogNormal::mean() const {
  return std::exp(mu_ + sigma_ * sigma_ / 2);
}

double LogNormal::variance() const {
  const double s2 = sigma_ * sigma_;
  return std::expm1(s2) * std::exp(2 * mu_ + s2);
}

} // namespace hcesim::sim
