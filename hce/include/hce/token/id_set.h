#pragma once
// A read-mostly set of 64- or 128-bit ids for the validator's hot path: open addressing with
// linear probing in one flat array (one cache miss per lookup). Built whole from a full list, then
// changed id by id as small updates arrive (a validator's denylist deltas).
#include "base/ids.h"

#include <cstdint>
#include <vector>

namespace hcesim::hce {

class IdSet {
public:
  //! Replaces the contents.
  void assign(const std::vector<TokenId>& ids);
  //! Adds `id` (no-op when present); the table doubles when it would be more than half full.
  void insert(const TokenId& id);
  //! Removes `id` (no-op when absent), keeping every other id reachable from its home slot.
  void erase(const TokenId& id);
  bool contains(const TokenId& id) const {
    if (id.hi == 0 && id.lo == 0) {
      return has_zero_;
    }
    if (slots_.empty()) {
      return false;
    }
    for (size_t s = slot_of(id);; s = (s + 1) & mask_) {
      const TokenId& e = slots_[s];
      if (e.hi == id.hi && e.lo == id.lo) {
        return true;
      }
      if (e.hi == 0 && e.lo == 0) {
        return false;
      }
    }
  }
  size_t size() const { return size_; }

private:
  size_t slot_of(const TokenId& id) const {
    uint64_t h = id.hi * 0x9e3779b97f4a7c15ULL ^ id.lo;
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 29;
    return static_cast<size_t>(h) & mask_;
  }
  static bool empty_slot(const TokenId& e) { return e.hi == 0 && e.lo == 0; }
  //! Puts a non-zero id not yet present into the first free slot of its probe run.
  void place(const TokenId& id);

  std::vector<TokenId> slots_; //!< {0,0} = empty
  size_t mask_ = 0;
  size_t size_ = 0;
  bool has_zero_ = false;
};

} // namespace hcesim::hce
