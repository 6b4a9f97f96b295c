#include "models/run/timeseries_writer.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <string>

namespace hcesim::models {
namespace {

std::string num(double v) {
  if (!std::isfinite(v)) {
    return ""; // no value: an empty cell
  }
  std::ostringstream o;
  o.precision(12);
  o << v;
  return o.str();
}

// A time average; float noise from differencing areas (±1e-19) is shown as the zero it is.
std::string mean(double area, double secs) {
  const double v = area / secs;
  return num(v < 1e-9 ? 0.0 : v);
}

std::string quantile(const sim::LogHistogram& a, const sim::LogHistogram& b, double q) {
  if (b.count() == 0) {
    return num(a.quantile(q));
  }
  sim::LogHistogram both = a;
  both.merge(b);
  return num(both.quantile(q));
}

double capacity_per_s(const CloudServiceConfig& c) {
  return static_cast<double>(c.servers) / c.mean_service_time.to_seconds();
}

TimeseriesWriter::Totals minus(const TimeseriesWriter::Totals& a,
                               const TimeseriesWriter::Totals& b) {
  TimeseriesWriter::Totals d;
  d.taps_accepted = a.taps_accepted - b.taps_accepted;
  for (size_t i = 0; i < d.taps_refused.size(); ++i) {
    d.taps_refused[i] = a.taps_refused[i] - b.taps_refused[i];
  }
  d.fallback_taps = a.fallback_taps - b.fallback_taps;
  d.token_requests = a.token_requests - b.token_requests;
  d.grants = a.grants - b.grants;
  d.uploads = a.uploads - b.uploads;
  d.top_ups = a.top_ups - b.top_ups;
  d.tokens_expired_unused = a.tokens_expired_unused - b.tokens_expired_unused;
  d.issuing_area = a.issuing_area - b.issuing_area;
  d.settlement_area = a.settlement_area - b.settlement_area;
  return d;
}

TimeseriesWriter::Totals plus(const TimeseriesWriter::Totals& a,
                              const TimeseriesWriter::Totals& b) {
  TimeseriesWriter::Totals neg_b;
  return minus(a, minus(neg_b, b));
}

std::string reason_column(int r) {
  std::string reason = tap_failure_name(r);
  std::replace(reason.begin(), reason.end(), ' ', '_');
  return "taps_refused_" + reason;
}

} // namespace

TimeseriesWriter::TimeseriesWriter(std::ostream& out, const ScenarioConfig& cfg)
    : out_(out), interval_(cfg.output.timeseries_interval),
      measured_from_(Time::epoch() + cfg.warmup), start_(Time::epoch()),
      end_(Time::epoch() + cfg.output.timeseries_interval),
      issuing_capacity_per_s_(capacity_per_s(cfg.cloud.issuing)),
      settlement_capacity_per_s_(capacity_per_s(cfg.cloud.settlement)) {
  assert(interval_ > Duration::zero());
  out_ << "interval_start_s,interval_end_s,day,time_of_day,measured,taps_accepted,taps_refused";
  for (int r = 1; r < kTapFailureCount; ++r) {
    out_ << ',' << reason_column(r);
  }
  out_ << ",fallback_taps,token_requests,token_requests_per_s,token_request_latency_p50_s,"
          "token_request_latency_p99_s,grants,uploads,uploads_per_s,upload_latency_p50_s,"
          "upload_latency_p99_s,top_ups,top_ups_per_s,issuing_queue_mean,settlement_queue_mean,"
          "issuing_capacity_per_s,settlement_capacity_per_s,unpaid_debt,fares_unsent,"
          "credit_exposure,tokens_expired_unused\n";
}

TimeseriesWriter::Totals TimeseriesWriter::totals_of(const RunKpis& k) {
  Totals t;
  t.taps_accepted = k.taps_accepted.value();
  for (size_t i = 0; i < t.taps_refused.size(); ++i) {
    t.taps_refused[i] = k.taps_refused[i].value();
  }
  t.fallback_taps = k.fallback_taps.value();
  t.token_requests = k.token_requests.sent.value();
  t.grants = k.grants.value();
  t.uploads = k.uploads.sent.value();
  t.top_ups = k.top_ups.sent.value();
  t.tokens_expired_unused = k.tokens_expired_unused.value();
  return t;
}

void TimeseriesWriter::carry(const Totals& totals, const RunKpis& k) {
  carried_ = plus(carried_, minus(totals, last_));
  last_ = Totals{};
  token_latency_carried_.merge(k.token_requests.latency_s.interval);
  upload_latency_carried_.merge(k.uploads.latency_s.interval);
}

void TimeseriesWriter::close(Time now, const Totals& totals, RunKpis& k, const Snapshot& at_end,
                             bool final) {
  const Time end = final ? now : end_;
  assert(final ? now <= end_ : now == end_);
  if (end > start_) {
    const Totals d = plus(carried_, minus(totals, last_));
    const double secs = (end - start_).to_seconds();
    int64_t refused = 0;
    for (const int64_t r : d.taps_refused) {
      refused += r;
    }
    const std::string hhmm = format_time_of_day(start_.time_of_day()).substr(0, 5);
    std::ostream& o = out_;
    o << num((start_ - Time::epoch()).to_seconds()) << ','
      << num((end - Time::epoch()).to_seconds()) << ',' << start_.day() << ',' << hhmm << ','
      << (start_ >= measured_from_ ? 1 : 0) << ',' << d.taps_accepted << ',' << refused;
    for (size_t r = 1; r < d.taps_refused.size(); ++r) {
      o << ',' << d.taps_refused[r];
    }
    const auto& tl = k.token_requests.latency_s.interval;
    const auto& ul = k.uploads.latency_s.interval;
    o << ',' << d.fallback_taps << ',' << d.token_requests << ','
      << num(static_cast<double>(d.token_requests) / secs) << ','
      << quantile(token_latency_carried_, tl, 0.5) << ','
      << quantile(token_latency_carried_, tl, 0.99) << ',' << d.grants << ',' << d.uploads << ','
      << num(static_cast<double>(d.uploads) / secs) << ','
      << quantile(upload_latency_carried_, ul, 0.5) << ','
      << quantile(upload_latency_carried_, ul, 0.99) << ',' << d.top_ups << ','
      << num(static_cast<double>(d.top_ups) / secs) << ',' << mean(d.issuing_area, secs) << ','
      << mean(d.settlement_area, secs) << ',' << num(issuing_capacity_per_s_) << ','
      << num(settlement_capacity_per_s_) << ',' << at_end.unpaid_debt.amount_string() << ','
      << at_end.fares_unsent.amount_string() << ','
      << (at_end.unpaid_debt + at_end.fares_unsent).amount_string() << ','
      << d.tokens_expired_unused << '\n';
    ++rows_;
  }
  last_ = totals;
  carried_ = Totals{};
  token_latency_carried_ = sim::LogHistogram();
  upload_latency_carried_ = sim::LogHistogram();
  k.token_requests.latency_s.interval = sim::LogHistogram();
  k.uploads.latency_s.interval = sim::LogHistogram();
  start_ = end;
  if (end == end_) {
    end_ = end + interval_; // a part (the warm-up's end inside a row) keeps the row's end
  }
}

} // namespace hcesim::models
