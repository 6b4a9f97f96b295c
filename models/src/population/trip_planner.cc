#include "models/population/trip_planner.h"

#include "models/population/poisson_taps.h"

#include "sim/distributions.h"
#include "sim/poisson.h"
#include "sim/random_stream.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace hcesim::models {
namespace {

constexpr double kHour = 3600.0;
constexpr double kMorningMean = 7.75 * kHour; // commute departures ~ N(07:45, 40 min)
constexpr double kMorningSd = 40 * 60.0;
constexpr double kWorkMean = 9 * kHour; // time at work ~ N(9 h, 1 h), 5..11 h
constexpr double kWorkSd = 1 * kHour;
constexpr double kOutingMean =
    10.5 * kHour; // first trip of a day without commute ~ N(10:30, 2.5 h)
constexpr double kOutingSd = 2.5 * kHour;
constexpr double kLatestDeparture = 23.75 * kHour;

uint64_t trips_entity(uint32_t rider, uint32_t day) {
  return (uint64_t{rider} << 32) | day;
}

Duration secs(double s) {
  return Duration::seconds(static_cast<int64_t>(std::lround(s)));
}

double normal(sim::RandomStream& s, double mean, double sd, double lo, double hi) {
  return std::clamp(mean + sd * sim::Normal::standard(s), lo, hi);
}

} // namespace

bool is_weekend(const ScenarioConfig& cfg, uint32_t day) {
  return (static_cast<uint32_t>(cfg.first_weekday) + day) % 7 >= 5;
}

double TripPlanner::commute_probability(double mean_trips) {
  return std::min(0.85, mean_trips / 2.0);
}

TripPlanner::TripPlanner(const ScenarioConfig& cfg, const City& city, const PathTable& paths,
                         const Population& population)
    : cfg_(cfg), paths_(paths), population_(population), destinations_(city) {}

void TripPlanner::plan_day(uint32_t rider, uint32_t day, std::vector<PlannedTrip>& out) const {
  if (cfg_.population.trip_model == TripModel::kPoissonTaps) {
    plan_poisson_taps(cfg_, population_, rider, day, out);
    return;
  }
  sim::RandomStream s(cfg_.seed, sim::Purpose::kTrips, trips_entity(rider, day));
  const bool weekend = is_weekend(cfg_, day);
  const auto& classes = cfg_.population.classes;
  const double factor = classes.empty() ? 1.0 : classes[population_.rider_class(rider)].trip_factor;
  const double mean =
      (weekend ? cfg_.population.weekend_trips : cfg_.population.weekday_trips) * factor;
  const double q = weekend ? 0.0 : commute_probability(mean);
  const bool commute = s.next_double() < q;
  const double extra_mean = std::max(0.0, mean - 2 * q);
  const int64_t extra = extra_mean > 0 ? sim::Poisson::make(extra_mean).value().draw(s) : 0;

  const Time midnight = Time::epoch() + Duration::days(day);
  const auto home = static_cast<uint16_t>(population_.home_zone(rider));
  uint16_t here = home;
  double t = 0; // seconds after midnight of the next departure
  const auto go = [&](uint16_t to, TripPurpose purpose) {
    if (t > kLatestDeparture) {
      return false;
    }
    out.push_back(PlannedTrip{midnight + secs(t), rider, here, to, purpose});
    const uint32_t d = paths_.duration_s(here, to);
    t += d == PathTable::kUnreachable ? 0.0 : static_cast<double>(d);
    here = to;
    return true;
  };
  // An activity: a destination and how long the rider stays there.
  const auto visit = [&](double mean_stay_s, double min_stay_s) {
    const auto to = static_cast<uint16_t>(destinations_.draw(here, s));
    if (!go(to, TripPurpose::kOther)) {
      return false;
    }
    t += min_stay_s - mean_stay_s * std::log(s.next_open_double());
    return true;
  };

  if (commute) {
    const auto work = static_cast<uint16_t>(population_.work_zone(rider));
    t = normal(s, kMorningMean, kMorningSd, 5.5 * kHour, 10.5 * kHour);
    go(work, TripPurpose::kToWork);
    t += normal(s, kWorkMean, kWorkSd, 5 * kHour, 11 * kHour);
    for (int64_t i = 0; i < extra; ++i) {
      if (!visit(45 * 60.0, 15 * 60.0)) {
        return;
      }
    }
    go(home, TripPurpose::kToHome);
    return;
  }
  if (extra == 0) {
    return;
  }
  t = normal(s, kOutingMean, kOutingSd, 6 * kHour, 20 * kHour);
  // k trips: home → X1 → … → X(k−1) → home, or a single one-way trip home → X1.
  const int64_t visits = extra == 1 ? 1 : extra - 1;
  for (int64_t i = 0; i < visits; ++i) {
    if (!visit(90 * 60.0, 20 * 60.0)) {
      return;
    }
  }
  if (extra > 1) {
    go(home, TripPurpose::kToHome);
  }
}

} // namespace hcesim::models
