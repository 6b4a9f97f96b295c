#include "models/cloud_queue/service_time.h"

#include "sim/distributions.h"

#include <algorithm>
#include <cmath>

namespace hcesim::models {

Result<ServiceTime> ServiceTime::exponential(Duration mean) {
  if (mean <= Duration::zero()) {
    return Error{"", "mean service time must be > 0, got " + format_duration(mean)};
  }
  return ServiceTime(Shape::kExponential, mean, 0, 0);
}

Result<ServiceTime> ServiceTime::fixed(Duration value) {
  if (value <= Duration::zero()) {
    return Error{"", "service time must be > 0, got " + format_duration(value)};
  }
  return ServiceTime(Shape::kFixed, value, 0, 0);
}

Result<ServiceTime> ServiceTime::lognormal(Duration mean, double cv) {
  if (mean <= Duration::zero() || !(cv >= 0) || !std::isfinite(cv)) {
    return Error{"", "lognormal service time needs mean > 0 and cv >= 0"};
  }
  const double sigma2 = std::log1p(cv * cv);
  return ServiceTime(Shape::kLogNormal, mean, std::log(mean.to_seconds()) - sigma2 / 2,
                     std::sqrt(sigma2));
}

Duration ServiceTime::draw(sim::RandomStream& s) const {
  double seconds = 0;
  switch (shape_) {
  case Shape::kFixed:
    return mean_;
  case Shape::kExponential:
    seconds = -mean_.to_seconds() * std::log(s.next_open_double());
    break;
  case Shape::kLogNormal:
    seconds = std::exp(mu_ + sigma_ * sim::Normal::standard(s));
    break;
  }
  return std::max(Duration::micros(1), sim::duration_from_seconds(seconds));
}

} // namespace hcesim::models
