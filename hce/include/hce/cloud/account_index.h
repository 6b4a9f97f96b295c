#pragma once
// Where each account's row is: AccountId → a dense row number. An open-addressing table (linear
// probing, at most half full, 16 bytes a slot), so the per-tap lookups of the ledger and
// settlement over a million accounts cost about one cache miss each and ~32 bytes an account.
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
  //! The same accounts at the same rows (however each table was built).
  bool operator==(const AccountIndex& other) const;

private:
  struct Slot {
    uint64_t account = 0;
    uint32_t row = kNone; //!< kNone: empty
  };
  size_t home(uint64_t account) const;
  void grow();

  std::vector<Slot> slots_; //!< a power of two in size, or empty
  size_t size_ = 0;
};

} // namespace hcesim::cloud
