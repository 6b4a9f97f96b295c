#include "hce/token/replay_memory.h"

#include <algorithm>
#include <cassert>
#include <stdexcept>
#include <string>

namespace hcesim::hce {

ReplayMemory::ReplayMemory(size_t capacity) : capacity_(capacity) {
  if (capacity < 1 || capacity > kMaxCapacity) {
    throw std::invalid_argument("ReplayMemory: capacity must be 1.." +
                                std::to_string(kMaxCapacity) + ", got " + std::to_string(capacity));
  }
  table_.assign(64, kEmpty);
  mask_ = table_.size() - 1;
}

size_t ReplayMemory::heap_bytes() const {
  return tokens_.capacity() * sizeof(TokenId) + counters_.capacity() * sizeof(uint16_t) +
         table_.capacity() * sizeof(uint32_t) + blocks_.capacity() * sizeof(Block);
}

void ReplayMemory::place(uint32_t pos) {
  size_t s = home_of(pos);
  while (table_[s] != kEmpty) {
    s = (s + 1) & mask_;
  }
  table_[s] = pos;
}

void ReplayMemory::rehash(size_t slots) {
  table_.assign(slots, kEmpty);
  mask_ = slots - 1;
  for (size_t i = 0; i < size_; ++i) {
    place(static_cast<uint32_t>((head_ + i) % capacity_));
  }
}

void ReplayMemory::drop_gone_blocks() {
  blocks_.erase(blocks_.begin(), blocks_.begin() + static_cast<ptrdiff_t>(first_block_));
  first_block_ = 0;
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
    const uint32_t pos = table_[s];
    if (pos == kEmpty) {
      return table_.size();
    }
    if (counters_[pos] == counter && tokens_[pos] == token) {
      return s;
    }
  }
}

bool ReplayMemory::contains(const TokenId& token, uint16_t counter) const {
  return find(token, counter) != table_.size();
}

void ReplayMemory::erase_slot(size_t slot) {
  // Backward-shift deletion keeps probe chains intact without tombstones.
  table_[slot] = kEmpty;
  size_t hole = slot;
  for (size_t s = (slot + 1) & mask_; table_[s] != kEmpty; s = (s + 1) & mask_) {
    const uint32_t pos = table_[s];
    const size_t home = home_of(pos);
    // Move the position into the hole if its home is not in (hole, s].
    const bool movable = hole <= s ? (home <= hole || home > s) : (home <= hole && home > s);
    if (movable) {
      table_[hole] = pos;
      table_[s] = kEmpty;
      hole = s;
    }
  }
}

void ReplayMemory::forget_oldest() {
  const auto oldest = static_cast<uint32_t>(head_);
  size_t s = home_of(oldest);
  while (table_[s] != oldest) {
    s = (s + 1) & mask_;
  }
  erase_slot(s);
  head_ = (head_ + 1) % capacity_;
  --size_;
  Block& front = blocks_[first_block_];
  if (--front.pairs == 0) {
    ++first_block_;
  }
}

size_t ReplayMemory::forget_expired(Time before) {
  size_t forgotten = 0;
  // The back block is still filling: only closed blocks go.
  while (blocks_.size() - first_block_ > 1 && blocks_[first_block_].latest_expiry < before) {
    for (uint32_t n = blocks_[first_block_].pairs; n > 0; --n) {
      forget_oldest(); // the last one moves first_block_ on
      ++forgotten;
    }
  }
  // Until the ring first wraps, pairs append past the live window: move them down once half
  // the ring is forgotten (a quarter would let a week-long run hold four days of room).
  if (forgotten > 0 && tokens_.size() > 64 && 2 * size_ <= tokens_.size()) {
    compact();
  }
  return forgotten;
}

void ReplayMemory::compact() {
  std::vector<TokenId> tokens;
  std::vector<uint16_t> counters;
  tokens.reserve(std::max<size_t>(16, size_ + size_ / 2));
  counters.reserve(tokens.capacity());
  for (size_t i = 0; i < size_; ++i) {
    const size_t pos = (head_ + i) % capacity_;
    tokens.push_back(tokens_[pos]);
    counters.push_back(counters_[pos]);
  }
  tokens_.swap(tokens);
  counters_.swap(counters);
  head_ = 0;
  size_t slots = 64;
  while (size_ * 4 > slots * 3) {
    slots *= 2;
  }
  rehash(slots);
  table_.shrink_to_fit();
  drop_gone_blocks();
  blocks_.shrink_to_fit();
}

void ReplayMemory::insert(const TokenId& token, uint16_t counter, Time expires_at) {
  assert(!contains(token, counter));
  if (size_ == capacity_) {
    forget_oldest();
  }
  if (first_block_ == blocks_.size() || blocks_.back().pairs == kBlock) {
    if (first_block_ > 0 && 2 * first_block_ >= blocks_.size()) {
      drop_gone_blocks(); // reuse their room: the live ones move to the front
    }
    blocks_.emplace_back();
  }
  Block& back = blocks_.back();
  ++back.pairs;
  back.latest_expiry = std::max(back.latest_expiry, expires_at);
  if ((size_ + 1) * 4 > table_.size() * 3) {
    rehash(2 * table_.size()); // load <= 3/4 (a full 4096-pair memory: 8192 slots, not 16384)
  }
  const size_t pos = (head_ + size_) % capacity_;
  if (pos == tokens_.size()) {
    // Until the first eviction head_ is 0, so the ring only appends; grow it by half (thousands
    // of validators, most never full) but never past capacity_.
    if (tokens_.size() == tokens_.capacity()) {
      const size_t want =
          std::min(capacity_, std::max<size_t>(16, tokens_.size() + tokens_.size() / 2));
      tokens_.reserve(want);
      counters_.reserve(want);
    }
    tokens_.push_back(token);
    counters_.push_back(counter);
  } else {
    tokens_[pos] = token;
    counters_[pos] = counter;
  }
  place(static_cast<uint32_t>(pos));
  ++size_;
}

} // namespace hcesim::hce
