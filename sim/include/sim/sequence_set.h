#pragma once
// A set of event sequence numbers (never 0) for Schedule's cancellations: open addressing with
// linear probing in one power-of-two array, so inserting and erasing allocate nothing once the
// array has reached the largest number of cancelled-but-queued events (std::unordered_set
// allocated a node per cancellation and freed it at the pop).
#include <bit>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace hcesim::sim {

class SequenceSet {
public:
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }

  //! Adds `seq`: false if it was already there.
  bool insert(uint64_t seq) {
    assert(seq != kEmpty);
    if (2 * (size_ + 1) > slots_.size()) {
      grow();
    }
    std::size_t i = home(seq);
    while (slots_[i] != kEmpty) {
      if (slots_[i] == seq) {
        return false;
      }
      i = (i + 1) & mask();
    }
    slots_[i] = seq;
    ++size_;
    return true;
  }

  //! Removes `seq`: false if it was not there.
  bool erase(uint64_t seq) {
    if (size_ == 0) {
      return false;
    }
    std::size_t i = home(seq);
    while (slots_[i] != seq) {
      if (slots_[i] == kEmpty) {
        return false;
      }
      i = (i + 1) & mask();
    }
    // Backward shift: move later entries of the probe chain into the hole when their home allows
    // it, so no tombstones ever slow lookups down.
    for (std::size_t j = (i + 1) & mask(); slots_[j] != kEmpty; j = (j + 1) & mask()) {
      const std::size_t k = home(slots_[j]);
      if (((i - k) & mask()) < ((j - k) & mask())) {
        slots_[i] = slots_[j];
        i = j;
      }
    }
    slots_[i] = kEmpty;
    --size_;
    return true;
  }

private:
  static constexpr uint64_t kEmpty = 0;

  std::size_t mask() const { return slots_.size() - 1; }
  // Fibonacci hashing: consecutive sequences spread over the whole array.
  std::size_t home(uint64_t seq) const {
    return static_cast<std::size_t>((seq * 0x9E3779B97F4A7C15ULL) >> shift_);
  }

  void grow() {
    std::vector<uint64_t> old(slots_.empty() ? 16 : 2 * slots_.size(), kEmpty);
    old.swap(slots_);
    shift_ = 64 - std::countr_zero(slots_.size());
    size_ = 0;
    for (const uint64_t seq : old) {
      if (seq != kEmpty) {
        insert(seq);
      }
    }
  }

  std::vector<uint64_t> slots_; // kEmpty or a sequence; the size is a power of two
  int shift_ = 64;
  std::size_t size_ = 0;
};

} // namespace hcesim::sim
