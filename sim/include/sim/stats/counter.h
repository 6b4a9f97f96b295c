#pragma once
// A count of things that happened (taps refused, requests sent); merges across replications.
#include <cstdint>

namespace hcesim::sim {

class Counter {
public:
  void add(int64_t n = 1) { value_ += n; }
  int64_t value() const { return value_; }
  void merge(const Counter& other) { value_ += other.value_; }
  void reset() { value_ = 0; }

private:
  int64_t value_ = 0;
};

} // namespace hcesim::sim
