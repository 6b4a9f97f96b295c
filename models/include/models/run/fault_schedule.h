#pragma once
// The faults of one run (issue 16), from the scenario's `faults` block: the timed changes (cloud,
// bank and validator link outages, windows of mangled uploads, wrong validator clocks, phone app
// restarts) by schedule and drawn at random in measured days, and the state they leave the world
// in (what is down, each validator's clock). Random draws come from the fault streams only
// (Purpose::kFaults keyed by fault kind and entity, seed faults.seed or the scenario's), so they
// never change riders' planned trips.
#include "models/run/run_kpis.h"
#include "models/scenario/scenario_config.h"
#include "sim/random_stream.h"

#include <cstdint>
#include <vector>

namespace hcesim::models {

//! One timed change of the world.
struct FaultChange {
  enum What : uint8_t {
    kCloudDown,
    kCloudUp,
    kBankDown,
    kBankUp,
    kLinkDown, //!< entity: validator, or -1 for all
    kLinkUp,
    kUploadsOn, //!< `upload`: which fault every upload suffers until kUploadsOff
    kUploadsOff,
    kClockWrong,   //!< entity: validator or -1; skew, or reset when `reset`
    kClockFixable, //!< the next acknowledged upload sets the clock right again
    kAppRestart,   //!< entity: rider; `wallet_lost`
  };
  Time at;
  What what = kCloudDown;
  int64_t entity = -1;
  Duration skew;
  bool reset = false;
  bool wallet_lost = false;
  FaultKind upload = FaultKind::kUploadsLost;
};

//! What happens to one upload on its way to the cloud.
enum class UploadFault : uint8_t { kNone, kLost, kDuplicated, kReordered, kCut };

class FaultSchedule {
public:
  //! `measured_from` / `measured_to`: the measured days (random faults fall only there).
  FaultSchedule(const ScenarioConfig& cfg, uint32_t validators, uint32_t riders, Time measured_from,
                Time measured_to);

  //! Every change, in time order (a change's index is its event's entity).
  const std::vector<FaultChange>& changes() const { return changes_; }
  //! Validator v has a tiny record store (faults.tiny_store_share).
  bool tiny_store(uint32_t v) const;

  // ---- the state the changes leave the world in ----
  //! Applies change i at `now`; counts it in `kpis`.
  void apply(size_t i, Time now, RunKpis& kpis);
  bool cloud_available() const { return cloud_down_ == 0; }
  bool bank_available() const { return cloud_down_ == 0 && bank_down_ == 0; }
  bool link_down(uint32_t v) const { return all_links_down_ > 0 || links_down_[v] > 0; }
  //! Validator v's own clock at true time `now`.
  Time clock(uint32_t v, Time now) const;
  bool clock_wrong(uint32_t v) const { return clock_offset_[v] != kRight; }
  //! An acknowledged upload of validator v at `now`: its clock is set right if the fault allows.
  void synced(uint32_t v, Time now);
  //! The fate of an upload sent at `now` (one draw of the upload stream when random rates apply).
  UploadFault upload_fault(Time now);
  //! A random first part of a batch of n records that arrives when it is cut: 0..n−1.
  size_t cut_at(size_t n) { return n == 0 ? 0 : static_cast<size_t>(uploads_.uniform_int(n)); }
  sim::RandomStream& upload_stream() { return uploads_; }
  //! The warm-up ended at `now`: outage minutes count from here (kpis were replaced).
  void restart_counts(Time now);
  //! The run ended: outages still open count up to `now`.
  void finish(Time now, RunKpis& kpis);

private:
  static constexpr int64_t kRight = INT64_MIN;
  void poisson_windows(sim::RandomStream& s, double per_day, Duration mean, FaultChange::What down,
                       FaultChange::What up, int64_t entity);
  void add(FaultChange c) { changes_.push_back(c); }

  const FaultsConfig& cfg_;
  Time measured_from_;
  Time measured_to_;
  uint64_t seed_;
  std::vector<FaultChange> changes_;
  std::vector<uint8_t> tiny_;
  sim::RandomStream uploads_;

  uint32_t cloud_down_ = 0;
  uint32_t bank_down_ = 0;
  uint32_t all_links_down_ = 0;
  std::vector<uint16_t> links_down_;
  std::vector<int64_t> clock_offset_; //!< µs added to true time, or kRight; reset: epoch − fault
  std::vector<Time> fixable_from_;    //!< a sync before this leaves the clock wrong
  std::array<uint32_t, 4> upload_windows_{}; //!< active windows: lost, duplicated, reordered, cut
  Time cloud_since_;
  Time bank_since_;
  Time count_from_;
};

} // namespace hcesim::models
