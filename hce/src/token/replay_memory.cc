#include "hce/token/replay_memory.h"

#include <cassert>

namespace hcesim::hce {

ReplayMemory::ReplayMemory(size_t capacity) : fifo_(capacity) {
  assert(capacity >= 1);
  size_t n = 2;
  while (n < capacity * 2) {
    n *= 2;
  }
  table_.resize(n);
  mask_ = n - 1;
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
  if (size_ == fifo_.size()) {
    erase_slot(fifo_[head_]);
    head_ = (head_ + 1) % fifo_.size();
    --size_;
  }
  size_t s = slot_of(token, counter);
  while (table_[s].used) {
    s = (s + 1) & mask_;
  }
  const size_t pos = (head_ + size_) % fifo_.size();
  table_[s] = Entry{token.hi, token.lo, pos, counter, true};
  fifo_[pos] = s;
  ++size_;
}

} // namespace hcesim::hce
