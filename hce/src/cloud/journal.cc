#include "hce/cloud/journal.h"

namespace hcesim::cloud {

uint64_t InMemoryJournal::append(const JournalRecord& record) {
  records_.push_back(record);
  return records_.size();
}

void InMemoryJournal::replay(uint64_t after,
                             const std::function<void(const JournalRecord&)>& visit) const {
  for (uint64_t i = after; i < records_.size(); ++i) {
    visit(records_[i]);
  }
}

void InMemoryJournal::discard_after(uint64_t sequence) {
  if (sequence < records_.size()) {
    records_.resize(sequence);
  }
}

} // namespace hcesim::cloud
