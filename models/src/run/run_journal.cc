#include "models/run/run_journal.h"

#include <cassert>
#include <variant>

namespace hcesim::models {

uint64_t RunJournal::append(const cloud::JournalRecord& record) {
  if (observer_) {
    observer_(record);
  }
  if (const auto* c = std::get_if<cloud::JourneyCharged>(&record)) {
    const cloud::LedgerEntry& e = c->entry;
    if (e.at >= fares_from_ && e.account != fraud_loss_ &&
        (e.reason == cloud::EntryReason::kFare ||
         e.reason == cloud::EntryReason::kFareCorrection)) {
      fares_minor_ -= e.amount.minor();
    }
  } else if (const auto* a = std::get_if<cloud::TopUpAnswered>(&record)) {
    if (a->credit) {
      top_ups_minor_ += a->credit->amount.minor();
    }
  } else if (const auto* p = std::get_if<cloud::EntryPosted>(&record)) {
    if (p->entry.reason == cloud::EntryReason::kTopUp) {
      top_ups_minor_ += p->entry.amount.minor();
    }
  }
  return ++appended_;
}

void RunJournal::replay(uint64_t after,
                        const std::function<void(const cloud::JournalRecord&)>& /*visit*/) const {
  assert(after == appended_ && "a streamed journal holds nothing to replay");
  (void)after;
}

void RunJournal::discard_after(uint64_t sequence) {
  assert(sequence == appended_ && "a streamed journal cannot drop a tail");
  (void)sequence;
}

void RunJournal::count_fares_from(Time from) {
  fares_from_ = from;
  fares_minor_ = 0;
}

} // namespace hcesim::models
