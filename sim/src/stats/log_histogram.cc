#include "sim/stats/log_histogram.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

namespace hcesim::sim {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Inverse of the mapping, as mantissa in [1, 2) and exponent: 2^floor(l) · (1 + frac(l)).
struct Split {
  double mantissa;
  int exponent;
};
Split value_at(double l) {
  const double e = std::floor(l);
  return Split{1 + (l - e), static_cast<int>(e)};
}
} // namespace

LogHistogram::LogHistogram(uint32_t max_buckets) : max_buckets_(max_buckets) {
  assert(max_buckets >= 1);
}

int32_t LogHistogram::bucket_of(double x) {
  assert(x > 0 && std::isfinite(x));
  int exponent = 0;
  const double fraction = std::frexp(x, &exponent); // x = fraction · 2^exponent, fraction in [.5,1)
  // l approximates log2(x): exact at powers of two, linear between them.
  const double l = static_cast<double>(exponent - 1) + (2 * fraction - 1);
  return static_cast<int32_t>(std::ceil(l * kBucketsPerOctave));
}

double LogHistogram::representative(int32_t bucket) {
  // 2·lo·hi / (lo + hi) = lo · 2 / (1 + lo/hi), formed on mantissas so the top bucket's upper
  // bound (beyond the largest double) does not overflow.
  const Split lo = value_at(static_cast<double>(bucket - 1) / kBucketsPerOctave);
  const Split hi = value_at(static_cast<double>(bucket) / kBucketsPerOctave);
  const double ratio = std::ldexp(lo.mantissa / hi.mantissa, lo.exponent - hi.exponent);
  return std::ldexp(2 * lo.mantissa / (1 + ratio), lo.exponent);
}

void LogHistogram::cover(int32_t lo, int32_t hi) {
  if (counts_.empty()) {
    offset_ = std::max(lo, hi - static_cast<int32_t>(max_buckets_) + 1);
    collapsed_ = collapsed_ || offset_ > lo;
    counts_.assign(static_cast<size_t>(hi - offset_) + 1, 0);
    return;
  }
  const int32_t top = offset_ + static_cast<int32_t>(counts_.size()) - 1;
  const int32_t new_hi = std::max(hi, top);
  int32_t new_lo = std::min(lo, offset_);
  if (new_lo == offset_ && new_hi == top) {
    return;
  }
  if (new_hi - new_lo + 1 > static_cast<int32_t>(max_buckets_)) {
    new_lo = new_hi - static_cast<int32_t>(max_buckets_) + 1;
  }
  std::vector<uint64_t> moved(static_cast<size_t>(new_hi - new_lo) + 1, 0);
  for (size_t i = 0; i < counts_.size(); ++i) {
    const int32_t bucket = std::max(offset_ + static_cast<int32_t>(i), new_lo);
    collapsed_ = collapsed_ || (counts_[i] > 0 && bucket != offset_ + static_cast<int32_t>(i));
    moved[static_cast<size_t>(bucket - new_lo)] += counts_[i];
  }
  counts_ = std::move(moved);
  offset_ = new_lo;
}

void LogHistogram::add_to_bucket(int32_t bucket, uint64_t n) {
  cover(bucket, bucket);
  if (bucket < offset_) {
    collapsed_ = true;
    bucket = offset_;
  }
  counts_[static_cast<size_t>(bucket - offset_)] += n;
}

void LogHistogram::add(double x, uint64_t n) {
  assert(std::isfinite(x) && x >= 0);
  if (n == 0) {
    return;
  }
  if (count_ == 0) {
    min_ = x;
    max_ = x;
  } else {
    min_ = std::min(min_, x);
    max_ = std::max(max_, x);
  }
  count_ += n;
  sum_ += x * static_cast<double>(n);
  if (x == 0) {
    zero_count_ += n;
  } else {
    add_to_bucket(bucket_of(x), n);
  }
}

void LogHistogram::merge(const LogHistogram& other) {
  if (other.count_ == 0) {
    return;
  }
  if (count_ == 0) {
    min_ = other.min_;
    max_ = other.max_;
  } else {
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
  }
  count_ += other.count_;
  sum_ += other.sum_;
  zero_count_ += other.zero_count_;
  collapsed_ = collapsed_ || other.collapsed_;
  if (other.counts_.empty()) {
    return;
  }
  cover(other.offset_, other.offset_ + static_cast<int32_t>(other.counts_.size()) - 1);
  for (size_t i = 0; i < other.counts_.size(); ++i) {
    if (other.counts_[i] > 0) {
      add_to_bucket(other.offset_ + static_cast<int32_t>(i), other.counts_[i]);
    }
  }
}

double LogHistogram::mean() const {
  return count_ > 0 ? sum_ / static_cast<double>(count_) : kNaN;
}

double LogHistogram::min() const {
  return count_ > 0 ? min_ : kNaN;
}

double LogHistogram::max() const {
  return count_ > 0 ? max_ : kNaN;
}

double LogHistogram::quantile(double q) const {
  assert(q >= 0 && q <= 1);
  if (count_ == 0) {
    return kNaN;
  }
  // The value of rank floor(q · (count − 1)) lies in the first bucket whose cumulative count
  // exceeds that rank.
  const auto rank = static_cast<uint64_t>(q * static_cast<double>(count_ - 1));
  if (rank == 0) {
    return min_;
  }
  if (rank >= count_ - 1) {
    return max_;
  }
  uint64_t seen = zero_count_;
  if (rank < seen) {
    return 0;
  }
  for (size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (rank < seen) {
      // Clamping to the exact extremes only moves the answer towards the true value.
      return std::clamp(representative(offset_ + static_cast<int32_t>(i)), min_, max_);
    }
  }
  return max_;
}

} // namespace hcesim::sim
