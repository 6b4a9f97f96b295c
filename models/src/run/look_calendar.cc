#include "models/run/look_calendar.h"

#include <cassert>
#include <stdexcept>

namespace hcesim::models {

void LookCalendar::add(uint32_t rider, int64_t second) {
  const int64_t minute = minute_of(second);
  if (minute <= fed_through_) {
    throw std::logic_error("LookCalendar::add: minute already fed");
  }
  if (minutes_.empty()) {
    first_ = fed_through_ + 1;
  }
  const auto index = static_cast<size_t>(minute - first_);
  if (index >= minutes_.size()) {
    minutes_.resize(index + 1);
  }
  minutes_[index].push_back(rider);
}

size_t LookCalendar::size() const {
  size_t n = 0;
  for (const auto& m : minutes_) {
    n += m.size();
  }
  return n;
}

} // namespace hcesim::models
