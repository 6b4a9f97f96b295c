// CityRun's results beyond its counters: credit exposure at the hourly check and the timeseries
// rows, kept apart from the event logic in city_run.cc.
#include "models/run/city_run.h"

namespace hcesim::models {

TimeseriesWriter::Snapshot CityRun::series_snapshot() const {
  const Currency c = cfg_.city.currency;
  // Accepted taps whose records the cloud has not received yet (on validators or in an upload
  // in flight), at the maximum fare: money not yet charged.
  const int64_t unsent = static_cast<int64_t>(accepted_total_ - settled_total_);
  const Money max_fare = fares_.max_fare();
  return {Money(services_->ledger().state().unpaid_debt_minor, c),
          Money(max_fare.currency() == c ? max_fare.minor() * unsent : 0, c)};
}

TimeseriesWriter::Totals CityRun::series_totals(Time now) const {
  TimeseriesWriter::Totals t = TimeseriesWriter::totals_of(*kpis_);
  const double secs = (now - kpis_->from).to_seconds();
  if (secs > 0) {
    t.issuing_area = issuing_.number_in_system().average(now) * secs;
    t.settlement_area = settlement_.number_in_system().average(now) * secs;
  }
  return t;
}

void CityRun::observe_tick(Time now) {
  if (now.time_of_day().us() % Duration::hours(1).us() == 0) {
    const TimeseriesWriter::Snapshot s = series_snapshot();
    const Money exposure = s.unpaid_debt + s.pending_fares;
    if (exposure > kpis_->peak_credit_exposure) {
      kpis_->peak_credit_exposure = exposure;
    }
  }
  if (series_ != nullptr && now == series_->next_end()) {
    series_->close(now, series_totals(now), *kpis_, series_snapshot(), false);
  }
}

void CityRun::start_results(Time from) {
  kpis_->peak_credit_exposure = Money(0, cfg_.city.currency);
  kpis_->segments.set_up(cfg_, world_.population, from, planned_end() - cfg_.drain);
}

void CityRun::before_warmup_reset(Time now) {
  if (series_ != nullptr) {
    series_->carry(series_totals(now), *kpis_);
  }
}

void CityRun::finish_results(Time now) {
  if (series_ != nullptr) {
    series_->close(now, series_totals(now), *kpis_, series_snapshot(), true);
  }
}

} // namespace hcesim::models
