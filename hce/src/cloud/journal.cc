#include "hce/cloud/journal.h"

#include <cassert>

namespace hcesim::cloud {

uint64_t InMemoryJournal::append(const JournalRecord& record) {
  records_.push_back(record);
  return last_sequence();
}

void InMemoryJournal::replay(uint64_t after,
                             const std::function<void(const JournalRecord&)>& visit) const {
  assert(after >= forgotten_ && "replay from before what was forgotten");
  for (uint64_t i = after - forgotten_; i < records_.size(); ++i) {
    visit(records_[i]);
  }
}

void InMemoryJournal::discard_after(uint64_t sequence) {
  assert(sequence >= forgotten_);
  if (sequence - forgotten_ < records_.size()) {
    records_.resize(sequence - forgotten_);
  }
}

void InMemoryJournal::forget_through(uint64_t sequence) {
  while (forgotten_ < sequence && !records_.empty()) {
    records_.pop_front();
    ++forgotten_;
  }
}

} // namespace hcesim::cloud
