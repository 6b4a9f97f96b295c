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
    if (id.hi == 0 && id.lo == 0) {
      size_ += has_zero_ ? 0 : 1;
      has_zero_ = true;
      continue;
    }
    size_t s = slot_of(id);
    while (!(slots_[s].hi == 0 && slots_[s].lo == 0) && !(slots_[s] == id)) {
      s = (s + 1) & mask_;
    }
    if (slots_[s].hi == 0 && slots_[s].lo == 0) {
      slots_[s] = id;
      ++size_;
    }
  }
}

} // namespace hcesim::hce
