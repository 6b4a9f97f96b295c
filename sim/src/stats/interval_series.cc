#include "sim/stats/interval_series.h"

#include <cassert>

namespace hcesim::sim {

IntervalSeries::IntervalSeries(Time start, Duration width) : start_(start), width_(width) {
  assert(width > Duration::zero());
}

void IntervalSeries::add(Time t, double value) {
  assert(t >= start_);
  const auto i = static_cast<size_t>((t - start_) / width_);
  if (i >= counts_.size()) {
    counts_.resize(i + 1, 0);
    sums_.resize(i + 1, 0);
  }
  ++counts_[i];
  sums_[i] += value;
}

void IntervalSeries::merge(const IntervalSeries& other) {
  assert(other.start_ == start_ && other.width_ == width_);
  if (other.counts_.size() > counts_.size()) {
    counts_.resize(other.counts_.size(), 0);
    sums_.resize(other.sums_.size(), 0);
  }
  for (size_t i = 0; i < other.counts_.size(); ++i) {
    counts_[i] += other.counts_[i];
    sums_[i] += other.sums_[i];
  }
}

double IntervalSeries::rate_per_second(size_t i) const {
  return static_cast<double>(count(i)) / width_.to_seconds();
}

size_t IntervalSeries::peak_interval() const {
  size_t best = 0;
  for (size_t i = 1; i < counts_.size(); ++i) {
    best = counts_[i] > counts_[best] ? i : best;
  }
  return best;
}

} // namespace hcesim::sim
