#pragma once
// Each phone's mobile coverage as a continuous-time on/off Markov process (exponential times
// online and offline; means from the scenario, scaled by the rider's class and coverage class),
// sampled lazily: the state is drawn only when asked, from the exact transition probability since
// the last question, so a million phones cost no events. Underground in the metro a phone is
// offline (offline_underground); a rider who keeps data off is online only while the app is open.
//
// Draws come from the rider's own Purpose::kNetwork stream. Questions about one rider must come in
// non-decreasing time (simulated time does).
#include "base/time.h"
#include "models/population/population.h"
#include "models/scenario/scenario_config.h"

#include <cstdint>
#include <vector>

namespace hcesim::models {

enum class Place : uint8_t { kAboveGround, kUnderground };

class Connectivity {
public:
  Connectivity(const ScenarioConfig& cfg, const Population& population);

  //! Whether rider r's phone has mobile coverage at t (the above-ground process).
  bool has_coverage(uint32_t r, Time t);
  //! Whether it can reach the cloud: coverage, not underground (when that cuts it off), and data
  //! on or, for a data-off rider, the app open.
  bool online(uint32_t r, Time t, Place place, bool app_open);
  //! The first time >= t at which the phone has coverage (t itself if it has coverage now).
  Time next_coverage(uint32_t r, Time t);
  //! The first time >= t at which a phone with coverage at t loses it (t if it has none).
  Time coverage_ends(uint32_t r, Time t);

  //! Mean times with and without coverage for rider r, and the long-run share with coverage.
  Duration mean_online(uint32_t r) const;
  Duration mean_offline(uint32_t r) const;
  double coverage_share(uint32_t r) const;

  //! Bytes of per-rider state (13 per rider).
  std::size_t bytes() const;

private:
  static constexpr uint8_t kOn = 1;
  static constexpr uint8_t kKnown = 2; // the process has been started for this rider

  double draw(uint32_t r);
  Duration draw_exponential(uint32_t r, Duration mean);
  std::size_t rates_index(uint32_t r) const;

  const Population& population_;
  uint64_t seed_;
  bool offline_underground_;
  uint32_t coverage_classes_;
  std::vector<Duration> mean_on_;  // per (rider class × coverage classes + coverage class)
  std::vector<Duration> mean_off_; // the same
  std::vector<Time> last_;         // per rider: time of the last known state
  std::vector<uint32_t> draws_;    // per rider: position in its network stream
  std::vector<uint8_t> state_;     // per rider: kOn | kKnown
};

} // namespace hcesim::models
