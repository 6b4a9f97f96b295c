#pragma once
// A validator's bounded memory of recent (token, counter) pairs: a repeat within its window is a
// replay. When full, the oldest pair is forgotten (a repeat older than the window is caught only
// at settlement, as a clone).
#include "base/ids.h"

#include <cstdint>
#include <vector>

namespace hcesim::hce {

class ReplayMemory {
public:
  //! Remembers up to `capacity` pairs (>= 1). Memory grows with use, up to ~64 bytes a pair.
  explicit ReplayMemory(size_t capacity);

  bool contains(const TokenId& token, uint16_t counter) const;
  //! Remembers the pair, forgetting the oldest when full. The pair must not be held already.
  void insert(const TokenId& token, uint16_t counter);
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }

private:
  struct Entry {
    uint64_t hi = 0;
    uint64_t lo = 0;
    size_t fifo_pos = 0; //!< where fifo_ points back at this slot
    uint16_t counter = 0;
    bool used = false;
  };
  size_t slot_of(const TokenId& token, uint16_t counter) const;
  size_t find(const TokenId& token, uint16_t counter) const; //!< the slot, or table_.size()
  void erase_slot(size_t slot);
  void grow(); //!< doubles the table and re-places every entry

  std::vector<Entry> table_; //!< open addressing, linear probing, load <= 1/2
  std::vector<size_t> fifo_; //!< slots in insertion order (a ring once it reaches capacity_)
  size_t capacity_;
  size_t mask_ = 0;
  size_t head_ = 0; //!< oldest in fifo_
  size_t size_ = 0;
};

} // namespace hcesim::hce
