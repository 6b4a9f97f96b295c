#pragma once
// A validator's bounded memory of recent (token, counter) pairs: a repeat within its window is a
// replay. When full, the oldest pair is forgotten (a repeat older than the window is caught only
// at settlement, as a clone). Pairs whose tokens have all expired are forgotten too, oldest first:
// the validator refuses an expired token before it asks this memory, so they decide nothing, and
// a validator running for weeks then holds about a token lifetime of pairs, not its capacity.
#include "base/ids.h"
#include "base/time.h"

#include <cstdint>
#include <vector>

namespace hcesim::hce {

class ReplayMemory {
public:
  //! Most pairs one memory can hold (its positions are 32-bit).
  static constexpr size_t kMaxCapacity = (size_t{1} << 31);

  //! Remembers up to `capacity` pairs (1..kMaxCapacity). Memory grows with use, up to ~29 bytes
  //! a pair when full (thousands of validators each hold one).
  explicit ReplayMemory(size_t capacity);

  bool contains(const TokenId& token, uint16_t counter) const;
  //! Remembers the pair of a token expiring at `expires_at`, forgetting the oldest when full. The
  //! pair must not be held already.
  void insert(const TokenId& token, uint16_t counter, Time expires_at = Time::max());
  //! Forgets the oldest pairs, in blocks of kBlock in insertion order, while every token of the
  //! oldest block expired before `before`; gives back the room when half of it is forgotten.
  //! Returns how many pairs were forgotten.
  size_t forget_expired(Time before);
  //! Pairs are forgotten by expiry in blocks of this many (the newest, filling block stays).
  static constexpr uint32_t kBlock = 64;
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  //! Bytes held on the heap (tests and memory budgets).
  size_t heap_bytes() const;

private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  size_t slot_of(const TokenId& token, uint16_t counter) const;
  size_t home_of(uint32_t pos) const { return slot_of(tokens_[pos], counters_[pos]); }
  size_t find(const TokenId& token, uint16_t counter) const; //!< the slot, or table_.size()
  void erase_slot(size_t slot);
  void place(uint32_t pos);  //!< puts a held position in the table (it is not there yet)
  void rehash(size_t slots); //!< a table of `slots` (a power of two) with every held position
  void drop_gone_blocks();   //!< moves the live blocks to the front
  //! Moves the held pairs, oldest first, to positions 0.. and rebuilds a table sized for them.
  void compact();
  void forget_oldest(); //!< the pair at head_
  //! A run of consecutive insertions: how many of them are still held, and the latest expiry.
  struct Block {
    uint32_t pairs = 0;
    Time latest_expiry = Time::from_us(INT64_MIN);
  };

  // The pairs in insertion order, a ring once it reaches capacity_ (two arrays: no padding).
  std::vector<TokenId> tokens_;
  std::vector<uint16_t> counters_;
  //! Open addressing over ring positions (kEmpty: free), linear probing, load <= 3/4.
  std::vector<uint32_t> table_;
  //! Blocks oldest first from blocks_[first_block_]; kBlock pairs each but the ends (the front
  //! one loses pairs to eviction when full, the back one is filling). 16 bytes per 64 pairs.
  std::vector<Block> blocks_;
  size_t first_block_ = 0;
  size_t capacity_;
  size_t mask_ = 0;
  size_t head_ = 0; //!< oldest ring position
  size_t size_ = 0;
};

} // namespace hcesim::hce
