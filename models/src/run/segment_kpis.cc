#include "models/run/segment_kpis.h"

namespace hcesim::models {

void SegmentKpis::set_up(const ScenarioConfig& cfg, const Population& population, Time days_from,
                         Time days_to) {
  population_ = &population;
  class_names_.clear();
  coverage_names_.clear();
  for (const RiderClassConfig& c : cfg.population.classes) {
    class_names_.push_back(c.name);
  }
  for (const CoverageClassConfig& c : cfg.network.coverage) {
    coverage_names_.push_back(c.name);
  }
  by_class_.assign(class_names_.size(), SegmentCounts{});
  by_coverage_.assign(coverage_names_.size(), SegmentCounts{});
  by_hour_ = {};
  days_from_ = days_from;
  days_to_ = days_to;
  for (uint32_t r = 0; r < population.size(); ++r) {
    SegmentCounts& a = by_class_[population.rider_class(r)];
    SegmentCounts& b = by_coverage_[population.coverage_class(r)];
    ++a.riders;
    ++b.riders;
    if (population.hce(r)) {
      ++a.hce_riders;
      ++b.hce_riders;
    }
  }
}

void SegmentKpis::tap(uint32_t r, int failure, Time now) {
  assert(population_ != nullptr);
  SegmentCounts& a = by_class_[population_->rider_class(r)];
  SegmentCounts& b = by_coverage_[population_->coverage_class(r)];
  HourCounts* h = hour_at(now);
  if (failure < 0) {
    ++a.taps_accepted;
    ++b.taps_accepted;
    if (h != nullptr) {
      ++h->taps_accepted;
    }
    return;
  }
  ++a.taps_refused[static_cast<size_t>(failure)];
  ++b.taps_refused[static_cast<size_t>(failure)];
  if (h != nullptr) {
    ++h->taps_refused;
  }
}

void SegmentKpis::token_request(uint32_t r, Time now) {
  both(r, &SegmentCounts::token_requests_sent);
  if (HourCounts* h = hour_at(now)) {
    ++h->token_requests_sent;
  }
}

void SegmentKpis::token_request_refused(uint32_t r, hce::IssueRefusal reason) {
  const auto i = static_cast<size_t>(reason);
  assert(population_ != nullptr && i < SegmentCounts{}.token_requests_refused.size());
  ++by_class_[population_->rider_class(r)].token_requests_refused[i];
  ++by_coverage_[population_->coverage_class(r)].token_requests_refused[i];
}

SegmentCounts SegmentKpis::total() const {
  SegmentCounts t;
  for (const SegmentCounts& c : by_class_) {
    t.riders += c.riders;
    t.hce_riders += c.hce_riders;
    t.trips += c.trips;
    t.taps_accepted += c.taps_accepted;
    for (size_t i = 0; i < t.taps_refused.size(); ++i) {
      t.taps_refused[i] += c.taps_refused[i];
    }
    t.riders_refused += c.riders_refused;
    t.fallbacks += c.fallbacks;
    t.trips_given_up += c.trips_given_up;
    t.token_requests_sent += c.token_requests_sent;
    for (size_t i = 0; i < t.token_requests_refused.size(); ++i) {
      t.token_requests_refused[i] += c.token_requests_refused[i];
    }
    t.tokens_expired_unused += c.tokens_expired_unused;
  }
  return t;
}

} // namespace hcesim::models
