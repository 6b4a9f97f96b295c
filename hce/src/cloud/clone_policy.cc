#include "hce/cloud/clone_policy.h"

#include <algorithm>
#include <cassert>
#include <vector>

namespace hcesim::cloud {

std::optional<ClonePoint> find_clone_point(std::span<const BookTap* const> token_taps) {
  const BookTap* first_flagged = nullptr;
  for (const BookTap* t : token_taps) {
    if (t->clone_flagged) {
      first_flagged = t;
      break;
    }
  }
  if (first_flagged == nullptr) {
    return std::nullopt;
  }
  // The first tap (in tap order) whose counter an earlier tap already used.
  std::vector<uint32_t> counters;
  counters.reserve(token_taps.size());
  for (const BookTap* t : token_taps) {
    if (std::find(counters.begin(), counters.end(), t->counter) != counters.end()) {
      return ClonePoint{t->tapped_at, t->record};
    }
    counters.push_back(t->counter);
  }
  return ClonePoint{first_flagged->tapped_at, first_flagged->record};
}

} // namespace hcesim::cloud
