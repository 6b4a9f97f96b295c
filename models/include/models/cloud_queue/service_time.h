#pragma once
// How long a cloud server works on one request: exponential (the default, M/M/c), fixed, or
// lognormal with a given coefficient of variation.
#include "base/error.h"
#include "base/time.h"
#include "sim/random_stream.h"

namespace hcesim::models {

class ServiceTime {
public:
  enum class Shape : uint8_t { kExponential, kFixed, kLogNormal };

  //! Requires mean > 0.
  static Result<ServiceTime> exponential(Duration mean);
  static Result<ServiceTime> fixed(Duration value);
  //! Requires mean > 0 and cv >= 0 (cv = sd / mean).
  static Result<ServiceTime> lognormal(Duration mean, double cv);

  //! One service time, at least 1 µs.
  Duration draw(sim::RandomStream& s) const;
  Duration mean() const { return mean_; }
  Shape shape() const { return shape_; }

private:
  ServiceTime(Shape shape, Duration mean, double mu, double sigma)
      : shape_(shape), mean_(mean), mu_(mu), sigma_(sigma) {}
  Shape shape_;
  Duration mean_;
  double mu_;    // lognormal: mean of the log of seconds
  double sigma_; // lognormal: sd of the log
};

} // namespace hcesim::models
