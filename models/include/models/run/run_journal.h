#pragma once
// The cloud journal of a city run, streamed out rather than kept (DESIGN §7): each record is
// tallied into the figures the run reports (fares posted since the warm-up, top-ups credited)
// as it is appended, then dropped, so a million riders' history costs no memory. The run never
// restarts its cloud, so nothing is replayed; a run that does must keep an InMemoryJournal with
// snapshots instead.
#include "base/time.h"
#include "hce/cloud/journal.h"

#include <cstdint>
#include <functional>
#include <utility>

namespace hcesim::models {

class RunJournal final : public cloud::Journal {
public:
  using Observer = std::function<void(const cloud::JournalRecord&)>;
  explicit RunJournal(AccountId fraud_loss_account) : fraud_loss_(fraud_loss_account) {}

  //! Shows every record to `observer` as it is appended (tests that need the whole history).
  void set_observer(Observer observer) { observer_ = std::move(observer); }

  uint64_t append(const cloud::JournalRecord& record) override;
  uint64_t last_sequence() const override { return appended_; }
  //! Nothing is held: only a replay from the end (visiting nothing) is possible.
  void replay(uint64_t after,
              const std::function<void(const cloud::JournalRecord&)>& visit) const override;
  void discard_after(uint64_t sequence) override;

  //! Fares count from entries posted at or after `from` (the end of the warm-up).
  void count_fares_from(Time from);
  //! Σ of riders' fare entries and corrections posted since count_fares_from (positive: paid).
  int64_t fares_minor() const { return fares_minor_; }
  //! Σ of top-up credits over the whole run.
  int64_t top_ups_minor() const { return top_ups_minor_; }
  //! Journeys first charged since count_fares_from, and their lags (settlement's own figures
  //! count from the run's start, warm-up included).
  uint64_t journeys_charged() const { return journeys_charged_; }
  Duration mean_lag() const;
  Duration max_lag() const { return lag_max_; }
  //! Σ booked to the fraud-loss account since count_fares_from (positive: lost).
  int64_t fraud_loss_minor() const { return fraud_loss_minor_; }

private:
  AccountId fraud_loss_;
  Observer observer_;
  uint64_t appended_ = 0;
  Time fares_from_ = Time::epoch();
  int64_t fares_minor_ = 0;
  int64_t top_ups_minor_ = 0;
  uint64_t journeys_charged_ = 0;
  int64_t lag_sum_us_ = 0;
  Duration lag_max_;
  int64_t fraud_loss_minor_ = 0;
};

} // namespace hcesim::models
