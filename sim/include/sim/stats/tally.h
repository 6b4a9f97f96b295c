#pragma once
// Summary of observed values (waits, fares, one value per replication): count, mean, variance,
// min and max by Welford's update, merged exactly by Chan's pairwise formula.
#include <cstdint>

namespace hcesim::sim {

class Tally {
public:
  //! Adds one observation (finite; asserted).
  void add(double x);
  //! Combines another tally as if its values had been added here.
  void merge(const Tally& other);
  //! Forgets every value (warm-up deletion).
  void reset() { *this = Tally(); }

  int64_t count() const { return n_; }
  //! NaN when empty.
  double mean() const;
  //! Sample variance (divides by n − 1); NaN with fewer than 2 values.
  double variance() const;
  double sd() const;
  //! sd / sqrt(n): the standard error of the mean; NaN with fewer than 2 values.
  double standard_error() const;
  double sum() const { return mean_ * static_cast<double>(n_); }
  //! NaN when empty.
  double min() const;
  double max() const;

private:
  int64_t n_ = 0;
  double mean_ = 0;
  double m2_ = 0; // sum of squared deviations from the mean
  double min_ = 0;
  double max_ = 0;
};

} // namespace hcesim::sim
