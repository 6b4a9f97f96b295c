#pragma once
// The KPIs of one run (DESIGN §6), counted from the end of the warm-up: taps and refusals, token
// requests, uploads and top-ups with their rates and latencies, money at risk, settlement lag.
#include "hce/cloud/account_services.h"
#include "hce/token/issuer.h"
#include "hce/token/validator.h"
#include "models/attack/attack_kpis.h"
#include "models/run/segment_kpis.h"
#include "sim/stats/counter.h"
#include "sim/stats/interval_series.h"
#include "sim/stats/log_histogram.h"

#include <array>
#include <optional>

namespace hcesim::models {

//! Why a tap of an HCE rider failed: the validator's reasons, plus the phone having no usable
//! token to answer with (every held token used up or expired), which the validator sees as no
//! answer at all.
inline constexpr int kNoTokenRefusal = hce::kTapRefusalCount;
inline constexpr int kTapFailureCount = hce::kTapRefusalCount + 1;
const char* tap_failure_name(int reason);

//! Latencies over the run that also keep the current timeseries interval's (TimeseriesWriter
//! reads and clears `interval`).
struct RunningLatency : sim::LogHistogram {
  void add(double x) {
    sim::LogHistogram::add(x);
    interval.add(x);
  }
  sim::LogHistogram interval;
};

//! Rates and latency of one kind of cloud request.
struct RequestFigures {
  explicit RequestFigures(Time from) : per_minute(from, Duration::minutes(1)) {}
  sim::Counter sent;
  sim::Counter queue_refused; //!< buffer full at submit
  sim::Counter timed_out;
  sim::Counter wasted; //!< finished after the client gave up
  sim::IntervalSeries per_minute;
  RunningLatency latency_s; //!< answered in time, seconds
  double peak_per_second() const {
    return per_minute.size() == 0 ? 0.0 : per_minute.rate_per_second(per_minute.peak_interval());
  }
};

//! Faults injected (issue 16), counted from the end of the warm-up; reported only by runs with a
//! faults block (`on`), so a run without one keeps its results.
struct FaultKpis {
  bool on = false;
  double cloud_outage_s = 0; //!< seconds the whole cloud was down (configured and random outages)
  double bank_outage_s = 0;  //!< seconds the bank was unreachable (bank outages, or the cloud down)
  sim::Counter link_outages; //!< validator link outages started
  sim::Counter uploads_blocked; //!< upload attempts a link outage stopped
  sim::Counter uploads_lost;
  sim::Counter uploads_duplicated;
  sim::Counter uploads_reordered;
  sim::Counter uploads_cut;
  sim::Counter records_reuploaded; //!< records of lost or cut uploads: sent again later
  sim::Counter clock_faults;
  sim::Counter taps_wrong_clock; //!< taps at a validator whose clock was wrong
  sim::Counter app_restarts;
  sim::Counter wallets_lost;
  sim::Counter tokens_lost; //!< unexpired tokens gone with a lost wallet
};

struct RunKpis {
  explicit RunKpis(Time start)
      : from(start), token_requests(start), uploads(start), top_ups(start) {}
  Time from; //!< the end of the warm-up

  sim::Counter trips;
  sim::Counter card_taps;     //!< riders without HCE (physical card), only counted
  sim::Counter fallback_taps; //!< taps made with a physical card or QR code after a refusal
  //! Metro journeys entered with HCE whose exit was refused and made another way: the cloud
  //! charges each the maximum fare (no exit ever comes), as well as the rider's other payment.
  sim::Counter journeys_unfinished;
  sim::Counter taps_accepted;
  std::array<sim::Counter, kTapFailureCount> taps_refused{};
  sim::Counter retries;
  sim::Counter fallbacks;
  sim::Counter gave_up;
  uint64_t riders_refused = 0; //!< riders who met at least one refusal

  RequestFigures token_requests;
  sim::Counter grants;
  std::array<sim::Counter, 5> issue_refusals{}; //!< by hce::IssueRefusal
  sim::Counter grants_undelivered;              //!< issued while the phone had gone offline
  //! Tokens wasted: expired with taps left (when dropped, or held at the end) or never delivered.
  sim::Counter tokens_expired_unused;
  sim::Counter taps_expired_unused; //!< the taps those tokens still had

  RequestFigures uploads;
  sim::Counter records_settled;
  sim::Counter records_duplicate;
  sim::Counter records_flagged;
  //! Taps whose service day settlement had closed (cloud::SettlementPolicy::day_closes_after)
  //! when they arrived: settled (journaled), charged nobody. Counted in records_settled too.
  sim::Counter taps_after_close;
  sim::Counter records_not_genuine;
  sim::Counter denylist_updates_applied;

  RequestFigures top_ups; //!< bank charges: latency = top-up queue + bank
  sim::Counter top_ups_approved;
  sim::Counter top_ups_declined;
  //! Asked for by hand in the app: riders without automatic top-up refused tokens for a low
  //! balance.
  sim::Counter top_ups_manual;
  sim::Counter top_ups_unanswered;

  Money fares_settled;            //!< Σ fare entries and corrections posted after `from`
  Money fares_unfinished;         //!< journeys_unfinished at the maximum fare (in fares_settled)
  cloud::CloudFigures cloud;      //!< at the end (revenue at risk, settlement lag)
  Money peak_unpaid_debt;         //!< highest Σ negative balances seen at a minute's tick
  uint64_t records_unsettled = 0; //!< accepted taps still in validators at the end
  //! Accepted taps whose records the cloud had not received at the end, each at the most it can
  //! cost (CityFares::at_risk).
  Money fares_unsent;
  //! DESIGN §6: unpaid debt + fares of accepted taps not yet settled (the cloud's pending fares
  //! and fares_unsent) + fraud loss.
  Money revenue_at_risk;
  //! Highest unpaid debt + fares_unsent, at a minute's tick (docs/results.md).
  Money peak_credit_exposure;
  SegmentKpis segments;             //!< by rider class, coverage class and hour of day
  FaultKpis faults;                 //!< issue 16
  std::optional<AttackKpis> attack; //!< only in runs with attackers (issue 16)
};

} // namespace hcesim::models
