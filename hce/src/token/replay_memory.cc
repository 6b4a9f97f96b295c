#include "hce/token/replay_memory.h"

#include <cassert>

namespace hcesim::hce {

ReplayMemory::ReplayMemory(size_t capacity) : capacity_(capacity) {
  assert(capacity >= 1);
  table_.resize(64);
  mask_ = table_.size() - 1;
}

void ReplayMemory::grow() {
  std::vector<Entry> old(table_.size() * 2);
  old.swap(table_);
  mask_ = table_.size() - 1;
  for (const Entry& e : old) {
    if (e.used) {
      size_t s = slot_of(TokenId{e.hi, e.lo}, e.counter);
      while (table_[s].used) {
        s = (s + 1) & mask_;
      }
      table_[s] = e;
      fifo_[e.fifo_pos] = s;
    }
  }
}

size_t ReplayMemory::slot_of(const TokenId& token, uint16_t counter) const {
  uint64_t h = token.hi ^ (token.lo * 0x9e3779b97f4a7c15ULL) ^ (uint64_t{counter} << 17);
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 32;
  return static_cast<size_t>(h) & mask_;
}

size_t ReplayMemory::find(const TokenId& token, uint16_t counter) const {
  for (size_t s = slot_of(token, counter);; s = (s + 1) & mask_) {
    const Entry& e = table_[s];
    if (!e.used) {
      return table_.size();
    }
    if (e.hi == token.hi && e.lo == token.lo && e.counter == counter) {
      return s;
    }
  }
}

bool ReplayMemory::contains(const TokenId& token, uint16_t counter) const {
  return find(token, counter) != table_.size();
}

void ReplayMemory::erase_slot(size_t slot) {
  // Backward-shift deletion keeps probe chains intact without tombstones; moved entries update
  // their fifo position.
  table_[slot].used = false;
  size_t hole = slot;
  for (size_t s = (slot + 1) & mask_; table_[s].used; s = (s + 1) & mask_) {
    const Entry e = table_[s];
    const size_t home = slot_of(TokenId{e.hi, e.lo}, e.counter);
    // Move e into the hole if its home is not in (hole, s].
    const bool movable = hole <= s ? (home <= hole || home > s) : (home <= hole && home > s);
    if (movable) {
      table_[hole] = e;
      table_[s].used = false;
      fifo_[e.fifo_pos] = hole;
      hole = s;
    }
  }
}

void ReplayMemory::insert(const TokenId& token, uint16_t counter) {
  assert(!contains(token, counter));
  if (size_ == capacity_) {
    erase_slot(fifo_[head_]);
    head_ = (head_ + 1) % capacity_;
    --size_;
  }
  if ((size_ + 1) * 2 > table_.size()) {
    grow(); // load stays <= 1/2
  }
  if (fifo_.size() < capacity_) {
    fifo_.push_back(0); // until the first eviction head_ is 0, so the next position is the end
  }
  size_t s = slot_of(token, counter);
  while (table_[s].used) {
    s = (s + 1) & mask_;
  }
  const size_t pos = (head_ + size_) % capacity_;
  table_[s] = Entry{token.hi, token.lo, pos, counter, true};
  fifo_[pos] = s;
  ++size_;
}

} // namespace hcesim::hce
