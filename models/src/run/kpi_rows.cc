#include "models/run/kpi_rows.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

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
  explicit RowWriter(std::vector<KpiRow>& out) : out_(out) {}
  void count(const std::string& name, int64_t v) {
    out_.push_back({name, "all", static_cast<double>(v), std::to_string(v), "count"});
  }
  void real(const std::string& name, double v, const char* unit) {
    const std::string text = number_text(v);
    out_.push_back(
        {name, "all", text == "null" ? std::numeric_limits<double>::quiet_NaN() : v, text, unit});
  }
  void money(const std::string& name, Money m) {
    out_.push_back(
        {name, "all",
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
};

double share(int64_t part, int64_t whole) {
  return whole == 0 ? std::numeric_limits<double>::quiet_NaN()
                    : static_cast<double>(part) / static_cast<double>(whole);
}

} // namespace

std::vector<KpiRow> kpi_rows(const RunKpis& k, const Currency& currency) {
  std::vector<KpiRow> out;
  RowWriter w(out);
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
    std::string reason = tap_failure_name(r);
    std::replace(reason.begin(), reason.end(), ' ', '_');
    w.count("taps_refused_" + reason, k.taps_refused[static_cast<size_t>(r)].value());
  }
  w.count("card_taps", k.card_taps.value());
  w.count("fallback_taps", k.fallback_taps.value());
  w.count("retries", k.retries.value());
  w.count("fallbacks", k.fallbacks.value());
  w.count("trips_given_up", k.gave_up.value());
  w.count("riders_refused", static_cast<int64_t>(k.riders_refused));
  const Money zero(0, currency);
  auto or_zero = [&zero](Money m) { return m.currency() == zero.currency() ? m : zero; };
  w.money("fares_settled", or_zero(k.fares_settled));
  w.money("unpaid_debt", or_zero(k.cloud.unpaid_debt));
  w.money("pending_fares", or_zero(k.cloud.pending_fares));
  w.money("fraud_loss", or_zero(k.cloud.fraud_loss));
  w.money("revenue_at_risk", or_zero(k.cloud.revenue_at_risk));
  w.money("peak_unpaid_debt", or_zero(k.peak_unpaid_debt));
  w.count("records_unsettled", static_cast<int64_t>(k.records_unsettled));
  w.real("settlement_lag_mean_s", k.cloud.mean_lag.to_seconds(), "s");
  w.real("settlement_lag_max_s", k.cloud.max_lag.to_seconds(), "s");
  w.requests("token_requests", k.token_requests);
  w.count("grants", k.grants.value());
  w.count("grants_undelivered", k.grants_undelivered.value());
  w.count("tokens_expired_unused", k.tokens_expired_unused.value());
  w.count("taps_expired_unused", k.taps_expired_unused.value());
  w.requests("uploads", k.uploads);
  w.count("records_settled", k.records_settled.value());
  w.count("records_duplicate", k.records_duplicate.value());
  w.count("records_flagged", k.records_flagged.value());
  w.requests("top_ups", k.top_ups);
  w.count("top_ups_approved", k.top_ups_approved.value());
  w.count("top_ups_declined", k.top_ups_declined.value());
  return out;
}

} // namespace hcesim::models
