#pragma once
// The time average of a value held over simulated time (queue length, servers busy, tokens held):
// each value is weighted by how long, in integer µs, it was held.
#include "base/time.h"

namespace hcesim::sim {

class TimeWeighted {
public:
  //! Starts observing at `start` with the value `initial`.
  explicit TimeWeighted(Time start, double initial = 0);

  //! The value changes to `value` at `now` (now must not go backwards; asserted).
  void set(Time now, double value);
  //! The value changes by `delta` at `now` (a queue grows or shrinks).
  void add(Time now, double delta) { set(now, current_ + delta); }
  //! Accounts the current value up to `now` without changing it (call at the end of a run).
  void advance(Time now) { set(now, current_); }
  //! Forgets the past and starts observing afresh at `now`, keeping the current value
  //! (warm-up deletion).
  void restart(Time now);
  //! Pools another observation: their areas and spans add up, min and max combine; this one's
  //! current value and clock stay. Bring both to their end time with advance() first.
  void merge(const TimeWeighted& other);

  //! The average over the observed span up to `now` (>= the last change); NaN over a zero span.
  double average(Time now) const;
  //! The average over the span accounted so far (up to the last set/advance); NaN if none.
  double average() const;
  double current() const { return current_; }
  //! Smallest and largest value held so far (including the current one).
  double min() const { return min_; }
  double max() const { return max_; }
  //! The span accounted so far (from start to the last set/advance, summed over merges).
  Duration span() const { return Duration::micros(span_us_); }

private:
  Time last_;
  double current_;
  double area_ = 0; // value × µs
  int64_t span_us_ = 0;
  double min_;
  double max_;
};

} // namespace hcesim::sim
