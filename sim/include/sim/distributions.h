#pragma once
// Continuous distributions written here (std:: distributions differ between standard libraries):
// small value types, validated on construction, drawing from a RandomStream. A distribution holds
// no hidden state between draws, so one object may serve many entities' streams.
//
// Determinism: only IEEE 754 arithmetic (+ - * / sqrt, exactly rounded everywhere) and the C
// library's log/exp/log1p are used; on one platform results are bit-identical in every build type,
// across libms they may differ in the last ulp. x86-64 without -mfma contracts nothing into FMAs.
#include "base/error.h"
#include "base/time.h"
#include "sim/random_stream.h"

#include <string>

namespace hcesim::sim {

//! Uniform on [a, b).
class Uniform {
public:
  //! Requires finite a < b (and b − a finite).
  static Result<Uniform> make(double a, double b);
  double draw(RandomStream& s) const;
  double a() const { return a_; }
  double b() const { return b_; }
  double mean() const { return a_ + (b_ - a_) / 2; }
  double variance() const { return (b_ - a_) * (b_ - a_) / 12; }

private:
  Uniform(double a, double b) : a_(a), b_(b) {}
  double a_;
  double b_;
};

//! Exponential, by mean or by rate (inversion: −mean · ln U).
class Exponential {
public:
  //! Requires a finite mean > 0.
  static Result<Exponential> with_mean(double mean);
  //! Requires a finite rate > 0 (mean = 1 / rate).
  static Result<Exponential> with_rate(double rate);
  double draw(RandomStream& s) const;
  double mean() const { return mean_; }
  double variance() const { return mean_ * mean_; }

private:
  explicit Exponential(double mean) : mean_(mean) {}
  double mean_;
};

//! Normal (Marsaglia's polar method; the second value of each pair is discarded so no state is
//! kept between draws).
class Normal {
public:
  //! Requires a finite mean and a finite sd >= 0 (sd 0 always draws the mean).
  static Result<Normal> make(double mean, double sd);
  //! One standard normal deviate.
  static double standard(RandomStream& s);
  double draw(RandomStream& s) const { return mean_ + sd_ * standard(s); }
  double mean() const { return mean_; }
  double sd() const { return sd_; }
  double variance() const { return sd_ * sd_; }

private:
  Normal(double mean, double sd) : mean_(mean), sd_(sd) {}
  double mean_;
  double sd_;
};

//! Lognormal: exp(mu + sigma · Z). Analysts give the mean and sd of the variable itself; mu and
//! sigma (of its logarithm) are accepted too.
class LogNormal {
public:
  //! From the variable's own mean > 0 and sd >= 0: sigma² = ln(1 + sd²/mean²),
  //! mu = ln(mean) − sigma²/2.
  static Result<LogNormal> from_mean_sd(double mean, double sd);
  //! From the log's mean mu (finite) and sd sigma >= 0 (finite).
  static Result<LogNormal> from_mu_sigma(double mu, double sigma);
  double draw(RandomStream& s) const;
  double mu() const { return mu_; }
  double sigma() const { return sigma_; }
  double mean() const;
  double variance() const;

private:
  LogNormal(double mu, double sigma) : mu_(mu), sigma_(sigma) {}
  double mu_;
  double sigma_;
};

//! A drawn number of seconds as a Duration, rounded to the nearest microsecond (exact rounding,
//! no libm). Requires |seconds| small enough to fit (asserted).
Duration duration_from_seconds(double seconds);

//! Shortest text that reads back as the same double ("2.5", "-1e-09", "nan"), for messages.
std::string format_double(double v);

} // namespace hcesim::sim
