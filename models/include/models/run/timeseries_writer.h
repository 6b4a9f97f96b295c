#pragma once
// timeseries.csv (docs/results.md): one row per output.timeseries_interval over the whole run,
// streamed out as each interval closes, so a long run holds nothing per interval. Counts are the
// differences of the run's cumulative figures between interval ends; the run's reset at the end of
// the warm-up is carried over (carry()), so no interval loses what happened before it.
#include "base/money.h"
#include "base/time.h"
#include "models/run/run_kpis.h"
#include "models/scenario/scenario_config.h"
#include "sim/stats/log_histogram.h"

#include <array>
#include <ostream>

namespace hcesim::models {

class TimeseriesWriter {
public:
  //! What the run has added up so far (since its last reset): counters and queue areas.
  struct Totals {
    int64_t taps_accepted = 0;
    std::array<int64_t, kTapFailureCount> taps_refused{};
    int64_t fallback_taps = 0;
    int64_t token_requests = 0;
    int64_t grants = 0;
    int64_t uploads = 0;
    int64_t top_ups = 0;
    int64_t tokens_expired_unused = 0;
    double issuing_area = 0;    //!< requests in the issuing queue × seconds
    double settlement_area = 0; //!< the same for settlement
  };
  //! The state at an interval's end.
  struct Snapshot {
    Money unpaid_debt;
    //! Accepted taps whose records the cloud has not received (on validators or in an upload in
    //! flight), each at the most it can cost (CityFares::at_risk).
    Money fares_unsent;
  };

  //! Writes the header now. Rows start at the epoch, every cfg.output.timeseries_interval (a
  //! whole number of minutes, so the run's minute ticks close every interval on time); rows from
  //! the end of the warm-up on are `measured`.
  TimeseriesWriter(std::ostream& out, const ScenarioConfig& cfg);

  //! The end of the interval being counted.
  Time next_end() const { return end_; }
  //! Closes the interval ending at next_end() (called at that time), or, with `final`, the part
  //! of it up to `now` (the run's end, or a warm-up's end inside the interval: the rest of it is
  //! then a row of its own, so no row mixes warm-up and measured counts). Clears the latencies'
  //! `interval` histograms in `k`.
  void close(Time now, const Totals& totals, RunKpis& k, const Snapshot& at_end, bool final);
  //! The run is about to reset its figures (end of the warm-up): keep what they hold for the
  //! interval in progress.
  void carry(const Totals& totals, const RunKpis& k);
  //! Rows written so far.
  uint64_t rows() const { return rows_; }

  //! The totals of `k` (queue areas are added by the run).
  static Totals totals_of(const RunKpis& k);

private:
  std::ostream& out_;
  Duration interval_;
  Time measured_from_;
  Time start_;
  Time end_;
  double issuing_capacity_per_s_;
  double settlement_capacity_per_s_;
  Totals last_{};    //!< the totals at the last interval end (since the run's last reset)
  Totals carried_{}; //!< counted in this interval before the reset
  sim::LogHistogram token_latency_carried_;
  sim::LogHistogram upload_latency_carried_;
  uint64_t rows_ = 0;
};

} // namespace hcesim::models
