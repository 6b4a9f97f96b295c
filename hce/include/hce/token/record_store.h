#pragma once
// A validator's bounded store of accepted tap records awaiting the cloud's acknowledgement.
// Records keep their sequence order; a record is deleted only when acknowledged, so a failed,
// partial or repeated upload loses nothing. When full, the validator refuses taps (kStoreFull):
// an accepted tap it could not keep would be a free ride nobody can settle.
#include "hce/token/tap.h"

#include <cstdint>
#include <span>
#include <vector>

namespace hcesim::hce {

class RecordStore {
public:
  //! Holds up to `capacity` records (>= 1), acknowledged or not, until the oldest are freed.
  //! Memory grows with use (doubling), never past capacity, and shrinks as acknowledgements
  //! empty it: thousands of validators hold a busy hour's records only until they upload them.
  explicit RecordStore(size_t capacity);

  bool full() const { return size_ == capacity_; }
  //! Records held (including acknowledged ones waiting behind an older unacknowledged one).
  size_t size() const { return size_; }
  size_t unacknowledged() const { return unacked_; }
  size_t capacity() const { return capacity_; }
  //! Bytes held on the heap (tests and memory budgets).
  size_t heap_bytes() const { return ring_.capacity() * sizeof(Slot); }

  //! Appends a record; its sequence must be the next one. The store must not be full.
  void push(const TapRecord& record);
  //! A slot for the record with this (next) sequence, filled in place (no copy on the hot path).
  TapRecord& emplace(uint64_t sequence);
  //! Up to `max` unacknowledged records, oldest first.
  std::vector<TapRecord> oldest_unacknowledged(size_t max) const;
  //! Marks these sequences acknowledged and frees the acknowledged prefix; unknown or repeated
  //! sequences are ignored. Returns how many records were newly acknowledged.
  size_t acknowledge(std::span<const uint64_t> sequences);

private:
  struct Slot {
    TapRecord record;
    bool acked = false;
  };
  void relocate(size_t slots); //!< moves the held records, in order, into a ring of `slots`

  std::vector<Slot> ring_;
  size_t capacity_;
  size_t head_ = 0;
  size_t size_ = 0;
  size_t unacked_ = 0;
  uint64_t head_sequence_ = 0; //!< sequence at head_ (valid when size_ > 0)
};

} // namespace hcesim::hce
