#pragma once
// Counts and sums per fixed interval of simulated time (requests per minute, taps per hour):
// the time series behind peak rates and plots. Intervals are [start + i·width, start +
// (i+1)·width).
#include "base/time.h"

#include <cstdint>
#include <vector>

namespace hcesim::sim {

class IntervalSeries {
public:
  //! width must be > 0 (asserted).
  IntervalSeries(Time start, Duration width);

  //! Records one event at t (>= start; asserted) carrying `value` (default 1: a plain count).
  void add(Time t, double value = 1);
  //! Adds another series' counts and sums interval by interval (same start and width; asserted).
  void merge(const IntervalSeries& other);

  Time start() const { return start_; }
  Duration width() const { return width_; }
  //! Intervals up to the last one that received an event.
  size_t size() const { return counts_.size(); }
  Time interval_start(size_t i) const { return start_ + width_ * static_cast<int64_t>(i); }
  //! Events in interval i (0 past size()).
  uint64_t count(size_t i) const { return i < counts_.size() ? counts_[i] : 0; }
  //! Sum of the values in interval i (0 past size()).
  double sum(size_t i) const { return i < sums_.size() ? sums_[i] : 0; }
  //! Events per second in interval i.
  double rate_per_second(size_t i) const;
  //! The interval with the most events (the first such; 0 when empty).
  size_t peak_interval() const;

private:
  Time start_;
  Duration width_;
  std::vector<uint64_t> counts_;
  std::vector<double> sums_;
};

} // namespace hcesim::sim
