#include "models/phone/connectivity.h"

#include "sim/distributions.h"
#include "sim/random_stream.h"

#include <cassert>
#include <cmath>

namespace hcesim::models {

Connectivity::Connectivity(const ScenarioConfig& cfg, const Population& population)
    : population_(population), seed_(cfg.seed),
      offline_underground_(cfg.network.offline_underground),
      coverage_classes_(std::max<uint32_t>(1, static_cast<uint32_t>(cfg.network.coverage.size()))),
      last_(population.size()), draws_(population.size(), 0), state_(population.size(), 0) {
  const auto& classes = cfg.population.classes;
  const std::size_t n_classes = std::max<std::size_t>(1, classes.size());
  for (std::size_t c = 0; c < n_classes; ++c) {
    for (uint32_t k = 0; k < coverage_classes_; ++k) {
      const double on = classes.empty() ? 1.0 : classes[c].online_factor;
      const double off =
          cfg.network.coverage.empty() ? 1.0 : cfg.network.coverage[k].offline_factor;
      mean_on_.push_back(sim::duration_from_seconds(cfg.network.mean_online.to_seconds() * on));
      mean_off_.push_back(sim::duration_from_seconds(cfg.network.mean_offline.to_seconds() * off));
      assert(mean_on_.back() > Duration::zero() && mean_off_.back() > Duration::zero());
    }
  }
}

std::size_t Connectivity::rates_index(uint32_t r) const {
  return std::size_t{population_.rider_class(r)} * coverage_classes_ +
         population_.coverage_class(r);
}

Duration Connectivity::mean_online(uint32_t r) const {
  return mean_on_[rates_index(r)];
}

Duration Connectivity::mean_offline(uint32_t r) const {
  return mean_off_[rates_index(r)];
}

double Connectivity::coverage_share(uint32_t r) const {
  const double on = mean_online(r).to_seconds();
  return on / (on + mean_offline(r).to_seconds());
}

double Connectivity::draw(uint32_t r) {
  sim::RandomStream s(seed_, sim::Purpose::kNetwork, r);
  s.seek(draws_[r]++);
  return s.next_open_double();
}

Duration Connectivity::draw_exponential(uint32_t r, Duration mean) {
  return std::max(Duration::micros(1),
                  sim::duration_from_seconds(-mean.to_seconds() * std::log(draw(r))));
}

bool Connectivity::has_coverage(uint32_t r, Time t) {
  uint8_t& st = state_[r];
  if ((st & kKnown) == 0) {
    // The process has run since long before: its state is drawn from the stationary law.
    st = static_cast<uint8_t>(kKnown | (draw(r) < coverage_share(r) ? kOn : 0));
    last_[r] = t;
    return (st & kOn) != 0;
  }
  if (t < last_[r]) {
    // Inside a span committed by next_coverage / coverage_ends: the state before its end is the
    // opposite of the state at its end.
    return (st & kOn) == 0;
  }
  if (t == last_[r]) {
    return (st & kOn) != 0;
  }
  // Two-state chain: P(on at t | state at last) = p + (on ? 1 − p : −p) · exp(−(a + b) Δ).
  const double a = 1.0 / mean_online(r).to_seconds();
  const double b = 1.0 / mean_offline(r).to_seconds();
  const double p = b / (a + b);
  const double decay = std::exp(-(a + b) * (t - last_[r]).to_seconds());
  const bool was_on = (st & kOn) != 0;
  const double p_on = was_on ? p + (1 - p) * decay : p - p * decay;
  const bool on = draw(r) < p_on;
  st = static_cast<uint8_t>(kKnown | (on ? kOn : 0));
  last_[r] = t;
  return on;
}

bool Connectivity::online(uint32_t r, Time t, Place place, bool app_open) {
  // Coverage is asked first so the process advances the same way whatever the place.
  const bool covered = has_coverage(r, t);
  if (place == Place::kUnderground && offline_underground_) {
    return false;
  }
  if (population_.data_off(r) && !app_open) {
    return false;
  }
  return covered;
}

Time Connectivity::next_coverage(uint32_t r, Time t) {
  if (has_coverage(r, t)) {
    return t;
  }
  if (t < last_[r]) {
    return last_[r]; // an outage already committed ends there
  }
  // Memoryless: the rest of the outage is a fresh exponential time.
  last_[r] = t + draw_exponential(r, mean_offline(r));
  state_[r] = kKnown | kOn;
  return last_[r];
}

Time Connectivity::coverage_ends(uint32_t r, Time t) {
  if (!has_coverage(r, t)) {
    return t;
  }
  if (t < last_[r]) {
    return last_[r];
  }
  last_[r] = t + draw_exponential(r, mean_online(r));
  state_[r] = kKnown;
  return last_[r];
}

std::size_t Connectivity::bytes() const {
  return last_.capacity() * sizeof(Time) + draws_.capacity() * sizeof(uint32_t) + state_.capacity();
}

} // namespace hcesim::models
