#include "hce/cloud/account_index.h"

#include <cassert>

namespace hcesim::cloud {

size_t AccountIndex::home(uint64_t account) const {
  // splitmix64's finaliser: sequential ids spread over the table.
  uint64_t x = account;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return static_cast<size_t>(x) & (slots_.size() - 1);
}

uint32_t AccountIndex::find(AccountId account) const {
  if (slots_.empty()) {
    return kNone;
  }
  const size_t mask = slots_.size() - 1;
  for (size_t i = home(account.value());; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.row == kNone || s.account == account.value()) {
      return s.row;
    }
  }
}

std::pair<uint32_t, bool> AccountIndex::emplace(AccountId account, uint32_t row) {
  assert(row != kNone);
  if (4 * (size_ + 1) > 3 * slots_.size()) {
    grow(); // at most three quarters full
  }
  const size_t mask = slots_.size() - 1;
  for (size_t i = home(account.value());; i = (i + 1) & mask) {
    Slot& s = slots_[i];
    if (s.row == kNone) {
      s = Slot{account.value(), row};
      ++size_;
      return {row, true};
    }
    if (s.account == account.value()) {
      return {s.row, false};
    }
  }
}

void AccountIndex::grow() {
  rehash(slots_.empty() ? 16 : 2 * slots_.size());
}

void AccountIndex::reserve(size_t accounts) {
  size_t slots = slots_.empty() ? 16 : slots_.size();
  while (4 * accounts > 3 * slots) {
    slots *= 2;
  }
  if (slots > slots_.size()) {
    rehash(slots);
  }
}

void AccountIndex::rehash(size_t slots) {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(slots, Slot{});
  const size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.row == kNone) {
      continue;
    }
    size_t i = home(s.account);
    while (slots_[i].row != kNone) {
      i = (i + 1) & mask;
    }
    slots_[i] = s;
  }
}

bool AccountIndex::operator==(const AccountIndex& other) const {
  if (size_ != other.size_) {
    return false;
  }
  for (const Slot& s : slots_) {
    if (s.row != kNone && other.find(AccountId(s.account)) != s.row) {
      return false;
    }
  }
  return true;
}

} // namespace hcesim::cloud
