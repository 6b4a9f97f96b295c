#include "sim/stats/time_weighted.h"

#include <cassert>
#include <cmath>
#include <limits>

namespace hcesim::sim {

TimeWeighted::TimeWeighted(Time start, double initial)
    : last_(start), current_(initial), min_(initial), max_(initial) {
  assert(std::isfinite(initial));
}

void TimeWeighted::set(Time now, double value) {
  assert(now >= last_ && std::isfinite(value));
  const int64_t dt = (now - last_).us();
  area_ += current_ * static_cast<double>(dt);
  span_us_ += dt;
  last_ = now;
  current_ = value;
  min_ = value < min_ ? value : min_;
  max_ = value > max_ ? value : max_;
}

void TimeWeighted::restart(Time now) {
  assert(now >= last_);
  last_ = now;
  area_ = 0;
  span_us_ = 0;
  min_ = current_;
  max_ = current_;
}

void TimeWeighted::merge(const TimeWeighted& other) {
  area_ += other.area_;
  span_us_ += other.span_us_;
  min_ = other.min_ < min_ ? other.min_ : min_;
  max_ = other.max_ > max_ ? other.max_ : max_;
}

double TimeWeighted::average(Time now) const {
  assert(now >= last_);
  const int64_t dt = (now - last_).us();
  const int64_t span = span_us_ + dt;
  if (span == 0) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  return (area_ + current_ * static_cast<double>(dt)) / static_cast<double>(span);
}

double TimeWeighted::average() const {
  if (span_us_ == 0) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  return area_ / static_cast<double>(span_us_);
}

} // namespace hcesim::sim
