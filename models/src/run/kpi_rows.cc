#include "models/run/kpi_rows.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>
#include <utility>

namespace hcesim::models {
namespace {

std::string number_text(double v) {
  if (!std::isfinite(v)) {
    return "null";
  }
  std::ostringstream o;
  o.precision(10);
  o << v;
  return o.str();
}

class RowWriter {
public:
  RowWriter(std::vector<KpiRow>& out, std::string segment)
      : out_(out), segment_(std::move(segment)) {}
  void count(const std::string& name, int64_t v) {
    out_.push_back({name, segment_, static_cast<double>(v), std::to_string(v), "count"});
  }
  void real(const std::string& name, double v, const char* unit) {
    const std::string text = number_text(v);
    out_.push_back({name, segment_, text == "null" ? std::numeric_limits<double>::quiet_NaN() : v,
                    text, unit});
  }
  void money(const std::string& name, Money m) {
    out_.push_back(
        {name, segment_,
         static_cast<double>(m.minor()) / static_cast<double>(m.currency().minor_per_major()),
         m.amount_string(), std::string(m.currency().code())});
  }
  void requests(const std::string& name, const RequestFigures& f) {
    count(name + "_sent", f.sent.value());
    count(name + "_queue_refused", f.queue_refused.value());
    count(name + "_timed_out", f.timed_out.value());
    real(name + "_peak_per_second", f.peak_per_second(), "per_s");
    real(name + "_latency_p50_s", f.latency_s.quantile(0.5), "s");
    real(name + "_latency_p95_s", f.latency_s.quantile(0.95), "s");
    real(name + "_latency_p99_s", f.latency_s.quantile(0.99), "s");
  }

private:
  std::vector<KpiRow>& out_;
  std::string segment_;
};

double share(int64_t part, int64_t whole) {
  return whole == 0 ? std::numeric_limits<double>::quiet_NaN()
                    : static_cast<double>(part) / static_cast<double>(whole);
}

// The issuer's refusals as KPI name suffixes, in hce::IssueRefusal's order.
constexpr std::pair<hce::IssueRefusal, const char*> kIssueRefusalNames[] = {
    {hce::IssueRefusal::kDeviceUnknown, "device_unknown"},
    {hce::IssueRefusal::kAccountDenylisted, "account_denylisted"},
    {hce::IssueRefusal::kRateLimited, "rate_limited"},
    {hce::IssueRefusal::kBalanceTooLow, "balance_too_low"},
};

std::string reason_name(int r) {
  std::string reason = tap_failure_name(r);
  std::replace(reason.begin(), reason.end(), ' ', '_');
  return reason;
}

// The rider-class and coverage-class rows (docs/results.md lists them).
void segment_rows(RowWriter& w, const SegmentCounts& c) {
  int64_t refused = 0;
  for (const int64_t r : c.taps_refused) {
    refused += r;
  }
  w.count("trips", c.trips);
  w.count("taps_accepted", c.taps_accepted);
  w.count("taps_refused", refused);
  w.real("refusal_rate", share(refused, c.taps_accepted + refused), "share");
  for (int r = 1; r < kTapFailureCount; ++r) {
    w.count("taps_refused_" + reason_name(r), c.taps_refused[static_cast<size_t>(r)]);
  }
  w.count("fallbacks", c.fallbacks);
  w.count("trips_given_up", c.trips_given_up);
  w.count("riders", c.riders);
  w.count("hce_riders", c.hce_riders);
  w.count("riders_refused", c.riders_refused);
  w.real("riders_refused_share", share(c.riders_refused, c.hce_riders), "share");
  w.count("token_requests_sent", c.token_requests_sent);
  for (const auto& [reason, name] : kIssueRefusalNames) {
    w.count("token_requests_refused_" + std::string(name),
            c.token_requests_refused[static_cast<size_t>(reason)]);
  }
  w.count("tokens_expired_unused", c.tokens_expired_unused);
}

void hour_rows(RowWriter& w, const HourCounts& h) {
  w.count("taps_accepted", h.taps_accepted);
  w.count("taps_refused", h.taps_refused);
  w.real("refusal_rate", share(h.taps_refused, h.taps_accepted + h.taps_refused), "share");
  w.count("token_requests_sent", h.token_requests_sent);
  w.count("uploads_sent", h.uploads_sent);
  w.count("top_ups_sent", h.top_ups_sent);
}

// Issue 16: the attack KPIs (docs/results.md, "Attack KPIs"), only in runs with attackers.
void attack_rows(std::vector<KpiRow>& out, const AttackKpis& a, const Currency& currency) {
  RowWriter w(out, "all");
  uint64_t accepted = 0;
  uint64_t before = 0;
  std::vector<double> delays;
  Money loss(0, currency);
  uint64_t flood = 0;
  uint64_t flood_refused = 0;
  for (const AttackerKindKpis& k : a.kinds) {
    accepted += k.taps_accepted;
    before += k.taps_accepted_before_detection;
    delays.insert(delays.end(), k.detection_delay_s.begin(), k.detection_delay_s.end());
    loss = loss + (k.loss.currency() == currency ? k.loss : Money(0, currency));
  }
  flood = a.of(AttackerKind::kFlooder).token_requests;
  flood_refused = a.of(AttackerKind::kFlooder).token_requests_refused;
  auto n = [](uint64_t v) { return static_cast<int64_t>(v); };
  w.count("fraudulent_taps_accepted", n(accepted));
  w.count("fraudulent_taps_before_detection", n(before));
  w.real("detection_delay_p50_s", nearest_rank(delays, 0.5), "s");
  w.real("detection_delay_p90_s", nearest_rank(delays, 0.9), "s");
  w.real("detection_delay_max_s", nearest_rank(delays, 1.0), "s");
  w.money("attack_loss", loss);
  w.count("honest_taps_settled", n(a.honest_taps_settled));
  w.count("honest_false_flags", n(a.honest_false_flags));
  w.real("honest_false_flag_rate", share(n(a.honest_false_flags), n(a.honest_taps_settled)),
         "share");
  w.count("flood_token_requests", n(flood));
  w.real("flood_refused_share", share(n(flood_refused), n(flood)), "share");
  w.count("broke_riders_over_bound", n(a.broke_over_bound));
  for (int i = 0; i < kAttackerKinds; ++i) {
    const AttackerKindKpis& k = a.kinds[static_cast<size_t>(i)];
    RowWriter s(out, std::string("attacker:") + attacker_kind_name(static_cast<AttackerKind>(i)));
    s.count("attackers", n(k.attackers));
    s.count("taps_accepted", n(k.taps_accepted));
    s.count("taps_refused", n(k.taps_refused));
    s.count("taps_refused_denylisted", n(k.taps_refused_denylisted));
    s.count("taps_accepted_before_detection", n(k.taps_accepted_before_detection));
    s.count("detected", n(k.detected));
    s.count("stopped_at_issuer", n(k.stopped_at_issuer));
    s.real("detection_delay_p50_s", nearest_rank(k.detection_delay_s, 0.5), "s");
    s.real("detection_delay_p90_s", nearest_rank(k.detection_delay_s, 0.9), "s");
    s.real("detection_delay_max_s", nearest_rank(k.detection_delay_s, 1.0), "s");
    s.count("records_settled", n(k.records_settled));
    s.count("impossible_travel_flags", n(k.impossible_travel_flags));
    s.count("clone_flags", n(k.clone_flags));
    s.money("loss", k.loss.currency() == currency ? k.loss : Money(0, currency));
    s.count("token_requests", n(k.token_requests));
    s.count("token_requests_refused", n(k.token_requests_refused));
    s.count("token_requests_rate_limited", n(k.token_requests_rate_limited));
  }
}

} // namespace

std::vector<KpiRow> kpi_rows(const RunKpis& k, const Currency& currency) {
  std::vector<KpiRow> out;
  RowWriter w(out, "all");
  int64_t refused = 0;
  for (const auto& c : k.taps_refused) {
    refused += c.value();
  }
  const int64_t accepted = k.taps_accepted.value();
  w.count("trips", k.trips.value());
  w.count("taps_accepted", accepted);
  w.count("taps_refused", refused);
  w.real("refusal_rate", share(refused, accepted + refused), "share");
  for (int r = 1; r < kTapFailureCount; ++r) {
    w.count("taps_refused_" + reason_name(r), k.taps_refused[static_cast<size_t>(r)].value());
  }
  w.count("card_taps", k.card_taps.value());
  w.count("fallback_taps", k.fallback_taps.value());
  w.count("retries", k.retries.value());
  w.count("fallbacks", k.fallbacks.value());
  w.count("trips_given_up", k.gave_up.value());
  w.count("riders_refused", static_cast<int64_t>(k.riders_refused));
  const SegmentCounts everyone = k.segments.total();
  w.count("riders", everyone.riders);
  w.count("hce_riders", everyone.hce_riders);
  w.real("riders_refused_share", share(static_cast<int64_t>(k.riders_refused), everyone.hce_riders),
         "share");
  const Money zero(0, currency);
  auto or_zero = [&zero](Money m) { return m.currency() == zero.currency() ? m : zero; };
  w.money("fares_settled", or_zero(k.fares_settled));
  w.count("journeys_unfinished", k.journeys_unfinished.value());
  w.money("fares_unfinished", or_zero(k.fares_unfinished));
  w.money("unpaid_debt", or_zero(k.cloud.unpaid_debt));
  w.money("pending_fares", or_zero(k.cloud.pending_fares));
  w.money("fares_unsent", or_zero(k.fares_unsent));
  w.money("fraud_loss", or_zero(k.cloud.fraud_loss));
  w.money("revenue_at_risk", or_zero(k.revenue_at_risk));
  w.money("peak_unpaid_debt", or_zero(k.peak_unpaid_debt));
  w.money("peak_credit_exposure", or_zero(k.peak_credit_exposure));
  w.count("records_unsettled", static_cast<int64_t>(k.records_unsettled));
  w.real("settlement_lag_mean_s", k.cloud.mean_lag.to_seconds(), "s");
  w.real("settlement_lag_max_s", k.cloud.max_lag.to_seconds(), "s");
  w.requests("token_requests", k.token_requests);
  w.count("grants", k.grants.value());
  for (const auto& [reason, name] : kIssueRefusalNames) {
    w.count("token_requests_refused_" + std::string(name),
            k.issue_refusals[static_cast<size_t>(reason)].value());
  }
  w.count("grants_undelivered", k.grants_undelivered.value());
  w.count("tokens_expired_unused", k.tokens_expired_unused.value());
  w.count("taps_expired_unused", k.taps_expired_unused.value());
  w.requests("uploads", k.uploads);
  w.count("records_settled", k.records_settled.value());
  w.count("records_duplicate", k.records_duplicate.value());
  w.count("records_flagged", k.records_flagged.value());
  w.count("taps_after_close", k.taps_after_close.value());
  w.requests("top_ups", k.top_ups);
  w.count("top_ups_approved", k.top_ups_approved.value());
  w.count("top_ups_declined", k.top_ups_declined.value());
  w.count("top_ups_manual", k.top_ups_manual.value());
  if (k.faults.on) { // issue 16: only runs with a faults block report them
    const FaultKpis& f = k.faults;
    w.real("cloud_outage_s", f.cloud_outage_s, "s");
    w.real("bank_outage_s", f.bank_outage_s, "s");
    w.count("link_outages", f.link_outages.value());
    w.count("uploads_blocked", f.uploads_blocked.value());
    w.count("uploads_lost", f.uploads_lost.value());
    w.count("uploads_duplicated", f.uploads_duplicated.value());
    w.count("uploads_reordered", f.uploads_reordered.value());
    w.count("uploads_cut", f.uploads_cut.value());
    w.count("records_reuploaded", f.records_reuploaded.value());
    w.count("records_not_genuine", k.records_not_genuine.value());
    w.count("clock_faults", f.clock_faults.value());
    w.count("taps_wrong_clock", f.taps_wrong_clock.value());
    w.count("app_restarts", f.app_restarts.value());
    w.count("wallets_lost", f.wallets_lost.value());
    w.count("tokens_lost", f.tokens_lost.value());
  }
  if (k.attack) {
    attack_rows(out, *k.attack, currency); // "all" rows, then segment attacker:<kind>
  }
  if (!k.segments.empty()) {
    for (size_t i = 0; i < k.segments.class_names().size(); ++i) {
      RowWriter s(out, "class:" + k.segments.class_names()[i]);
      segment_rows(s, k.segments.by_class(i));
    }
    for (size_t i = 0; i < k.segments.coverage_names().size(); ++i) {
      RowWriter s(out, "coverage:" + k.segments.coverage_names()[i]);
      segment_rows(s, k.segments.by_coverage(i));
    }
    for (size_t h = 0; h < 24; ++h) {
      char name[16];
      std::snprintf(name, sizeof name, "hour:%02zu", h);
      RowWriter s(out, name);
      hour_rows(s, k.segments.by_hour(h));
    }
  }
  return out;
}

} // namespace hcesim::models
