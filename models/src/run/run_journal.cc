#include "models/run/run_journal.h"

#include <algorithm>
#include <cassert>
#include <variant>

namespace hcesim::models {

uint64_t RunJournal::append(const cloud::JournalRecord& record) {
  if (observer_) {
    observer_(record);
  }
  if (const auto* c = std::get_if<cloud::JourneyCharged>(&record)) {
    const cloud::LedgerEntry& e = c->entry;
    if (e.at >= fares_from_) {
      if (e.account == fraud_loss_) {
        fraud_loss_minor_ -= e.amount.minor();
      } else if (e.reason == cloud::EntryReason::kFare ||
                 e.reason == cloud::EntryReason::kFareCorrection) {
        fares_minor_ -= e.amount.minor();
      }
      if (c->revision == 0) {
        ++journeys_charged_;
        lag_sum_us_ += c->lag.us();
        lag_max_ = std::max(lag_max_, c->lag);
      }
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
  journeys_charged_ = 0;
  lag_sum_us_ = 0;
  lag_max_ = Duration::zero();
  fraud_loss_minor_ = 0;
}

Duration RunJournal::mean_lag() const {
  return journeys_charged_ == 0
             ? Duration::zero()
             : Duration::micros(lag_sum_us_ / static_cast<int64_t>(journeys_charged_));
}

} // namespace hcesim::models
