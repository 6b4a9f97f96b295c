#include "base/error.h"

namespace hcesim {

InputError::InputError(Errors errors) : errors_(std::move(errors)) {
  for (const Error& e : errors_) {
    if (!summary_.empty()) {
      summary_ += '\n';
    }
    summary_ += e.to_string();
  }
}

} // namespace hcesim
