#pragma once
// The settlement checks' memory of each (token, counter)'s first record: a second record with the
// same pair is a clone. One entry per genuine tap, so it is an open-addressing table of packed
// 32-byte slots (linear probing, at most 4/5 full; two to a cache line) rather than a node per
// entry: under half the memory and one cache miss a lookup at a million riders.
#include "hce/token/record_id.h"

#include "base/ids.h"
#include "base/time.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace hcesim::hce {

class UseTable {
public:
  struct Key {
    TokenId token;
    uint16_t counter = 0;
    bool operator==(const Key&) const = default;
  };
  struct FirstUse {
    RecordId record; //!< sequence 1..kMaxRecordSequence
    //! The token's expiry rounded up to the whole second (Time::max: never), as held: the entry
    //! can be forgotten after it (plus skew); later by under a second, never earlier.
    Time expires_at;
    bool operator==(const FirstUse&) const = default;
  };

  //! Adds the pair's first use when absent (its sequence must be 1..kMaxRecordSequence). Returns
  //! the first use held (expiry rounded as held) and whether it was added.
  std::pair<FirstUse, bool> try_emplace(const Key& key, const FirstUse& use);
  //! The pair's first use, if held.
  std::optional<FirstUse> find(const Key& key) const;
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  //! Slots in the table (32 bytes each).
  size_t slot_count() const { return slots_.size(); }

  //! Calls f(key, first use) for every entry, in no particular order.
  template <class F> void for_each(F&& f) const {
    for (const Slot& s : slots_) {
      if (s.packed != 0) {
        f(key_of(s), use_of(s));
      }
    }
  }
  //! Removes every entry for which pred(key, first use) is true, in place (no second table at a
  //! million entries); pred sees each entry once. Returns how many were removed.
  template <class P> size_t erase_if(P&& pred) {
    const size_t n = slots_.size();
    size_t start = 0; // an empty slot: no probe run crosses it, so none wraps past the scan's end
    while (start < n && slots_[start].packed != 0) {
      ++start;
    }
    size_t removed = 0;
    for (size_t k = 1; k <= n; ++k) {
      const size_t i = (start + k) % n;
      // A removal shifts later entries of the run back into i: look at i again until it keeps one.
      while (slots_[i].packed != 0 && pred(key_of(slots_[i]), use_of(slots_[i]))) {
        erase_slot(i);
        ++removed;
      }
    }
    return removed;
  }

  //! The same entries (however each table was built).
  bool operator==(const UseTable& other) const;

private:
  static constexpr uint32_t kNeverExpires = UINT32_MAX;
  struct Slot {
    TokenId token;
    uint64_t packed = 0; //!< sequence << 16 | counter; 0: empty (a sequence is ≥ 1)
    ValidatorId validator;
    uint32_t expires_s = 0; //!< whole seconds from the epoch, rounded up; kNeverExpires
  };
  static_assert(sizeof(Slot) == 32);
  static uint32_t expiry_seconds(Time t);
  static Time expiry_time(uint32_t seconds);
  static uint64_t sequence_of(const Slot& s) { return s.packed >> 16; }
  static Key key_of(const Slot& s) { return Key{s.token, static_cast<uint16_t>(s.packed)}; }
  static FirstUse use_of(const Slot& s) {
    return FirstUse{RecordId{s.validator, sequence_of(s)}, expiry_time(s.expires_s)};
  }
  size_t home(const Key& key) const;
  size_t probe(const Key& key) const; //!< the key's slot, or the empty slot where it would go
  void rehash(size_t slots);
  void erase_slot(size_t slot); //!< backward-shift deletion (no tombstones)

  std::vector<Slot> slots_; //!< a power of two in size, or empty
  size_t size_ = 0;
};

} // namespace hcesim::hce
