#pragma once
// Where each account's row is: AccountId → a dense row number. An open-addressing table (linear
// probing, at most three quarters full, 16 bytes a slot: four to a cache line), so the per-tap
// lookups of the ledger and settlement over a million accounts cost about one cache miss each and
// 21-43 bytes an account (at most half full, 600,000 accounts took 2^21 slots: 56 bytes each).
#include "base/ids.h"

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace hcesim::cloud {

class AccountIndex {
public:
  static constexpr uint32_t kNone = UINT32_MAX;

  //! The account's row, or kNone.
  uint32_t find(AccountId account) const;
  //! Adds the account at `row` (≠ kNone) when it is absent. Returns the row held and whether it
  //! was added.
  std::pair<uint32_t, bool> emplace(AccountId account, uint32_t row);
  size_t size() const { return size_; }
  //! Room for `accounts` without growing (one allocation for a city's accounts opened at once).
  void reserve(size_t accounts);
  //! Slots in the table (its memory: 16 bytes each).
  size_t slot_count() const { return slots_.size(); }
  //! The same accounts at the same rows (however each table was built).
  bool operator==(const AccountIndex& other) const;

private:
  struct Slot {
    uint64_t account = 0;
    uint32_t row = kNone; //!< kNone: empty
  };
  size_t home(uint64_t account) const;
  void grow();
  void rehash(size_t slots); //!< a power of two holding every account

  std::vector<Slot> slots_; //!< a power of two in size, or empty
  size_t size_ = 0;
};

} // namespace hcesim::cloud
