#include "base/error.h"

#include <algorithm>

namespace hcesim {

InputError::InputError(Errors errors) : errors_(std::move(errors)) {
  for (const Error& e : errors_) {
    if (!summary_.empty()) {
      summary_ += '\n';
    }
    summary_ += e.to_string();
  }
}

namespace {

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

} // namespace

std::optional<std::string> nearest_name(const std::string& typed,
                                        const std::vector<std::string>& names, size_t max_edits) {
  std::optional<std::string> best;
  size_t best_distance = max_edits + 1;
  for (const std::string& n : names) {
    if (const size_t d = edit_distance(typed, n); d < best_distance) {
      best_distance = d;
      best = n;
    }
  }
  return best;
}

} // namespace hcesim
