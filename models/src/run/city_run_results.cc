// CityRun's results beyond its counters: credit exposure at each minute's tick and the timeseries
// rows, kept apart from the event logic in city_run.cc.
#include "models/run/city_run.h"

#include <algorithm>

namespace hcesim::models {

TimeseriesWriter::Snapshot CityRun::series_snapshot() const {
  const Currency c = cfg_.city.currency;
  // Accepted taps whose records the cloud has not received yet (on validators or in an upload
  // in flight), each at the most it can cost (CityFares::at_risk): money not yet charged.
  const bool same = fares_.max_fare().currency() == c;
  return {.unpaid_debt = Money(services_->ledger().state().unpaid_debt_minor, c),
          .fares_unsent = Money(same ? unsent_minor_ : 0, c)};
}

void CityRun::tap_stored(uint32_t v, hce::TapKind kind) {
  ++accepted_total_;
  unsent_minor_ += fares_.at_risk(v, kind).minor();
}

Money CityRun::at_max_fare(int64_t count) const {
  const Currency c = cfg_.city.currency;
  const Money max_fare = fares_.max_fare();
  return Money(max_fare.currency() == c ? max_fare.minor() * count : 0, c);
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

void CityRun::observe_tick() {
  // Both figures are running totals, so every minute's tick can look (an hourly look missed
  // peaks between the hours by 13-16 %).
  const TimeseriesWriter::Snapshot s = series_snapshot();
  kpis_->peak_unpaid_debt = std::max(kpis_->peak_unpaid_debt, s.unpaid_debt);
  kpis_->peak_credit_exposure =
      std::max(kpis_->peak_credit_exposure, s.unpaid_debt + s.fares_unsent);
}

void CityRun::close_series_rows(Time now) {
  while (series_ != nullptr && now >= series_->next_end()) {
    const Time end = series_->next_end();
    series_->close(end, series_totals(end), *kpis_, series_snapshot(), false);
  }
}

void CityRun::start_results(Time from) {
  kpis_->peak_credit_exposure = Money(0, cfg_.city.currency);
  kpis_->segments.set_up(cfg_, world_.population, from, planned_end() - cfg_.drain);
}

void CityRun::before_warmup_reset(Time now) {
  if (series_ != nullptr) {
    // A warm-up that is not a whole number of rows ends inside one: cut it there (nothing is
    // written when the warm-up ends on a row's end).
    series_->close(now, series_totals(now), *kpis_, series_snapshot(), true);
    series_->carry(series_totals(now), *kpis_);
  }
}

void CityRun::finish_results(Time now) {
  close_series_rows(now);
  if (series_ != nullptr) {
    series_->close(now, series_totals(now), *kpis_, series_snapshot(), true);
  }
}

} // namespace hcesim::models
