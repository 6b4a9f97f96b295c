#include "hce/token/id_set.h"

namespace hcesim::hce {

void IdSet::assign(const std::vector<TokenId>& ids) {
  size_t n = 16;
  while (n < ids.size() * 2) {
    n *= 2;
  }
  slots_.assign(n, TokenId{});
  mask_ = n - 1;
  size_ = 0;
  has_zero_ = false;
  for (const auto& id : ids) {
    if (empty_slot(id)) {
      size_ += has_zero_ ? 0 : 1;
      has_zero_ = true;
      continue;
    }
    size_t s = slot_of(id);
    while (!empty_slot(slots_[s]) && !(slots_[s] == id)) {
      s = (s + 1) & mask_;
    }
    if (empty_slot(slots_[s])) {
      slots_[s] = id;
      ++size_;
    }
  }
}

void IdSet::place(const TokenId& id) {
  size_t s = slot_of(id);
  while (!empty_slot(slots_[s])) {
    s = (s + 1) & mask_;
  }
  slots_[s] = id;
}

void IdSet::insert(const TokenId& id) {
  if (contains(id)) {
    return;
  }
  ++size_;
  if (empty_slot(id)) {
    has_zero_ = true;
    return;
  }
  // Same sizing as assign(): at least 16 slots and at least twice the ids (the zero id included,
  // as assign() counts it).
  if (slots_.size() < 16 || slots_.size() < size_ * 2) {
    size_t n = slots_.empty() ? 16 : slots_.size();
    while (n < size_ * 2) {
      n *= 2;
    }
    std::vector<TokenId> old(n, TokenId{});
    old.swap(slots_);
    mask_ = n - 1;
    for (const TokenId& e : old) {
      if (!empty_slot(e)) {
        place(e);
      }
    }
  }
  place(id);
}

void IdSet::erase(const TokenId& id) {
  if (!contains(id)) {
    return;
  }
  --size_;
  if (empty_slot(id)) {
    has_zero_ = false;
    return;
  }
  size_t hole = slot_of(id);
  while (!(slots_[hole] == id)) {
    hole = (hole + 1) & mask_;
  }
  // Backward-shift deletion: pull later ids of the run into the hole when their home slot does
  // not lie cyclically in (hole, here], so no lookup meets an empty slot before its id.
  for (size_t here = (hole + 1) & mask_; !empty_slot(slots_[here]); here = (here + 1) & mask_) {
    const size_t home = slot_of(slots_[here]);
    const bool stays = hole <= here ? (hole < home && home <= here) : (hole < home || home <= here);
    if (!stays) {
      slots_[hole] = slots_[here];
      hole = here;
    }
  }
  slots_[hole] = TokenId{};
}

} // namespace hcesim::hce
