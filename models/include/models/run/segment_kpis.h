#pragma once
// KPIs by segment (docs/results.md): per rider class, per coverage class and per hour of day of
// the measured days. Small fixed tables indexed by the rider's class and coverage class (read from
// the Population) and by the hour, so counting costs a few array increments per event.
#include "base/time.h"
#include "hce/token/issuer.h"
#include "hce/token/validator.h"
#include "models/population/population.h"
#include "models/scenario/scenario_config.h"

#include <array>
#include <cassert>
#include <cstdint>
#include <string>
#include <vector>

namespace hcesim::models {

//! What is counted for one rider class or one coverage class.
struct SegmentCounts {
  int64_t riders = 0;     //!< riders of the population in the segment
  int64_t hce_riders = 0; //!< of those, riders whose phone does HCE
  int64_t trips = 0;
  int64_t taps_accepted = 0;
  //! By failure reason: hce::TapRefusal, then no usable token (kTapFailureCount in run_kpis.h).
  std::array<int64_t, hce::kTapRefusalCount + 1> taps_refused{};
  int64_t riders_refused = 0;
  int64_t fallbacks = 0;
  int64_t trips_given_up = 0;
  int64_t token_requests_sent = 0;
  //! Token requests the issuer refused, by hce::IssueRefusal (kNone's slot unused).
  std::array<int64_t, 5> token_requests_refused{};
  int64_t tokens_expired_unused = 0;
};

//! What is counted for one hour of day, over the measured days only.
struct HourCounts {
  int64_t taps_accepted = 0;
  int64_t taps_refused = 0;
  int64_t token_requests_sent = 0;
  int64_t uploads_sent = 0;
  int64_t records_uploaded = 0; //!< tap records in those uploads (retried batches again)
  int64_t top_ups_sent = 0;
};

class SegmentKpis {
public:
  //! Sizes the tables for the scenario's classes and counts each segment's riders. Hour segments
  //! count what happens in [days_from, days_to): the measured days, not the drain.
  void set_up(const ScenarioConfig& cfg, const Population& population, Time days_from,
              Time days_to);
  bool empty() const { return population_ == nullptr; }

  // Counting hooks of the run (riders are dense ids; a failure < 0 is an accepted tap).
  void trip(uint32_t r) { both(r, &SegmentCounts::trips); }
  void tap(uint32_t r, int failure, Time now);
  void rider_refused(uint32_t r) { both(r, &SegmentCounts::riders_refused); }
  void fallback(uint32_t r) { both(r, &SegmentCounts::fallbacks); }
  void gave_up(uint32_t r) { both(r, &SegmentCounts::trips_given_up); }
  void token_request(uint32_t r, Time now);
  void token_request_refused(uint32_t r, hce::IssueRefusal reason);
  void token_expired(uint32_t r) { both(r, &SegmentCounts::tokens_expired_unused); }
  void upload(Time now, size_t records) {
    if (HourCounts* h = hour_at(now)) {
      ++h->uploads_sent;
      h->records_uploaded += static_cast<int64_t>(records);
    }
  }
  void top_up(Time now) {
    if (HourCounts* h = hour_at(now)) {
      ++h->top_ups_sent;
    }
  }

  const std::vector<std::string>& class_names() const { return class_names_; }
  const std::vector<std::string>& coverage_names() const { return coverage_names_; }
  const SegmentCounts& by_class(size_t i) const { return by_class_[i]; }
  const SegmentCounts& by_coverage(size_t i) const { return by_coverage_[i]; }
  const HourCounts& by_hour(size_t h) const { return by_hour_[h]; }
  //! Σ over the rider classes (the whole population).
  SegmentCounts total() const;

private:
  void both(uint32_t r, int64_t SegmentCounts::*field) {
    assert(population_ != nullptr);
    ++(by_class_[population_->rider_class(r)].*field);
    ++(by_coverage_[population_->coverage_class(r)].*field);
  }
  HourCounts* hour_at(Time now) {
    if (now < days_from_ || now >= days_to_) {
      return nullptr;
    }
    return &by_hour_[static_cast<size_t>(now.time_of_day().us() / Duration::hours(1).us())];
  }

  const Population* population_ = nullptr;
  std::vector<std::string> class_names_;
  std::vector<std::string> coverage_names_;
  std::vector<SegmentCounts> by_class_;
  std::vector<SegmentCounts> by_coverage_;
  std::array<HourCounts, 24> by_hour_{};
  Time days_from_;
  Time days_to_;
};

} // namespace hcesim::models
