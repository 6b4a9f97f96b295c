#pragma once
// A histogram of non-negative values (latencies, waits) in logarithmic buckets, DDSketch-style:
// any quantile comes back within 1 % relative error of the exact one, in bounded memory, and two
// histograms merge exactly (bucket counts add up).
//
// The bucket of x comes from its binary exponent and mantissa (log2 interpolated linearly between
// powers of two), so the mapping uses only exact IEEE operations: identical on every platform.
#include <cstdint>
#include <vector>

namespace hcesim::sim {

class LogHistogram {
public:
  //! Buckets per power of two. Linear interpolation of log2 makes a bucket span a value ratio of at
  //! most 1 + 1/51 (at the bottom of an octave), so the bucket's representative 2·lo·hi/(lo + hi)
  //! is within (r − 1)/(r + 1) = 0.98 % of any value in it.
  static constexpr int kBucketsPerOctave = 51;
  static constexpr double kRelativeAccuracy = 0.01;

  //! Keeps at most `max_buckets` buckets (4096 span 80 powers of two, ~1e24 in range); past that
  //! the lowest buckets collapse into one and low quantiles lose their accuracy (see collapsed()).
  explicit LogHistogram(uint32_t max_buckets = 4096);

  //! Adds `n` observations of x (finite and >= 0; asserted).
  void add(double x, uint64_t n = 1);
  //! Adds another histogram's observations.
  void merge(const LogHistogram& other);

  uint64_t count() const { return count_; }
  //! NaN when empty.
  double mean() const;
  double sum() const { return sum_; }
  //! Exact extremes; NaN when empty.
  double min() const;
  double max() const;
  //! The q-quantile (q in [0, 1]) of the values added: within 1 % of the value of rank
  //! floor(q · (count − 1)) in sorted order; the lowest and highest ranks give the exact min and
  //! max. NaN when empty.
  double quantile(double q) const;
  //! Buckets in use (from the lowest to the highest non-empty one).
  uint32_t bucket_count() const { return static_cast<uint32_t>(counts_.size()); }
  //! Whether low buckets were merged to stay within max_buckets.
  bool collapsed() const { return collapsed_; }

  //! The bucket index of x > 0, and the representative value of a bucket (for tests).
  static int32_t bucket_of(double x);
  static double representative(int32_t bucket);

private:
  // Makes counts_ cover [lo, hi], collapsing from below if that exceeds max_buckets_.
  void cover(int32_t lo, int32_t hi);
  void add_to_bucket(int32_t bucket, uint64_t n);

  uint32_t max_buckets_;
  std::vector<uint64_t> counts_; // counts_[i] is bucket offset_ + i
  int32_t offset_ = 0;
  uint64_t zero_count_ = 0;
  uint64_t count_ = 0;
  double sum_ = 0;
  double min_ = 0;
  double max_ = 0;
  bool collapsed_ = false;
};

} // namespace hcesim::sim
