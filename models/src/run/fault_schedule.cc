#include "models/run/fault_schedule.h"

#include <algorithm>
#include <cmath>

namespace hcesim::models {
namespace {

// Fault streams: Purpose::kFaults, entity = kind tag << 48 | index (the validators' upload phases
// use entities below 2^48 of the same purpose).
enum Tag : uint64_t {
  kCloudTag = 1,
  kBankTag,
  kLinkTag,
  kClockTag,
  kAppTag,
  kStoreTag,
  kUploadTag
};

sim::RandomStream stream(uint64_t seed, Tag tag, uint64_t index) {
  return sim::RandomStream(seed, sim::Purpose::kFaults, (uint64_t{tag} << 48) | index);
}

FaultChange make(Time at, FaultChange::What what, int64_t entity = -1) {
  FaultChange c;
  c.at = at;
  c.what = what;
  c.entity = entity;
  return c;
}

Duration exponential(sim::RandomStream& s, Duration mean) {
  const double us = -std::log(s.next_open_double()) * static_cast<double>(mean.us());
  return std::max(Duration::seconds(1), Duration::micros(static_cast<int64_t>(us)));
}

} // namespace

FaultSchedule::FaultSchedule(const ScenarioConfig& cfg, uint32_t validators, uint32_t riders,
                             Time measured_from, Time measured_to)
    : cfg_(cfg.faults), measured_from_(measured_from), measured_to_(measured_to),
      seed_(cfg.faults.seed != 0 ? cfg.faults.seed : cfg.seed),
      uploads_(stream(seed_, kUploadTag, 0)), links_down_(validators, 0),
      clock_offset_(validators, kRight), fixable_from_(validators, Time::epoch()),
      count_from_(Time::epoch()) {
  const FaultsConfig& f = cfg_;
  // Configured cloud outages go through the same counters as the random ones (they may overlap).
  for (const OutageConfig& o : cfg.cloud.outages) {
    add(make(o.start, FaultChange::kCloudDown));
    add(make(o.start + o.duration, FaultChange::kCloudUp));
  }
  for (const FaultWindowConfig& w : f.windows) {
    const Time end = w.start + w.duration;
    switch (w.kind) {
    case FaultKind::kCloudOutage:
      add(make(w.start, FaultChange::kCloudDown));
      add(make(end, FaultChange::kCloudUp));
      break;
    case FaultKind::kBankOutage:
      add(make(w.start, FaultChange::kBankDown));
      add(make(end, FaultChange::kBankUp));
      break;
    case FaultKind::kLinkOutage:
      add(make(w.start, FaultChange::kLinkDown, w.validator));
      add(make(end, FaultChange::kLinkUp, w.validator));
      break;
    case FaultKind::kUploadsLost:
    case FaultKind::kUploadsDuplicated:
    case FaultKind::kUploadsReordered:
    case FaultKind::kUploadsCut: {
      FaultChange on = make(w.start, FaultChange::kUploadsOn);
      on.upload = w.kind;
      FaultChange off = make(end, FaultChange::kUploadsOff);
      off.upload = w.kind;
      add(on);
      add(off);
      break;
    }
    case FaultKind::kClockSkew:
    case FaultKind::kClockReset: {
      FaultChange wrong = make(w.start, FaultChange::kClockWrong, w.validator);
      wrong.skew = w.skew;
      wrong.reset = w.kind == FaultKind::kClockReset;
      add(wrong);
      add(make(end, FaultChange::kClockFixable, w.validator));
      break;
    }
    case FaultKind::kAppRestart: {
      FaultChange r = make(w.start, FaultChange::kAppRestart, w.rider);
      r.wallet_lost = w.wallet_lost;
      add(r);
      break;
    }
    }
  }
  // Random faults: Poisson processes over the measured days.
  if (f.cloud_outages_per_day > 0) {
    sim::RandomStream s = stream(seed_, kCloudTag, 0);
    poisson_windows(s, f.cloud_outages_per_day, f.cloud_outage_mean, FaultChange::kCloudDown,
                    FaultChange::kCloudUp, -1);
  }
  if (f.bank_outages_per_day > 0) {
    sim::RandomStream s = stream(seed_, kBankTag, 0);
    poisson_windows(s, f.bank_outages_per_day, f.bank_outage_mean, FaultChange::kBankDown,
                    FaultChange::kBankUp, -1);
  }
  if (f.link_outages_per_validator_day > 0) {
    for (uint32_t v = 0; v < validators; ++v) {
      sim::RandomStream s = stream(seed_, kLinkTag, v);
      poisson_windows(s, f.link_outages_per_validator_day, f.link_outage_mean,
                      FaultChange::kLinkDown, FaultChange::kLinkUp, v);
    }
  }
  const double day_us = static_cast<double>(Duration::days(1).us());
  auto arrivals = [&](sim::RandomStream& s, double per_day, auto&& at) {
    Time t = measured_from_;
    while (true) {
      t = t + Duration::micros(
                  static_cast<int64_t>(-std::log(s.next_open_double()) * day_us / per_day));
      if (t >= measured_to_) {
        return;
      }
      at(t);
    }
  };
  if (f.clock_faults_per_validator_day > 0) {
    for (uint32_t v = 0; v < validators; ++v) {
      sim::RandomStream s = stream(seed_, kClockTag, v);
      arrivals(s, f.clock_faults_per_validator_day, [&](Time t) {
        FaultChange c = make(t, FaultChange::kClockWrong, v);
        c.reset = s.next_double() < f.clock_reset_share;
        c.skew = s.next_double() < 0.5 ? f.clock_skew : Duration::zero() - f.clock_skew;
        add(c);
        add(make(t, FaultChange::kClockFixable, v)); // fixed at the next acknowledged upload
      });
    }
  }
  if (f.app_restarts_per_rider_day > 0) {
    for (uint32_t r = 0; r < riders; ++r) {
      sim::RandomStream s = stream(seed_, kAppTag, r);
      arrivals(s, f.app_restarts_per_rider_day, [&](Time t) {
        FaultChange c = make(t, FaultChange::kAppRestart, r);
        c.wallet_lost = s.next_double() < f.wallet_lost_share;
        add(c);
      });
    }
  }
  if (f.tiny_store_share > 0) {
    tiny_.assign(validators, 0);
    for (uint32_t v = 0; v < validators; ++v) {
      sim::RandomStream s = stream(seed_, kStoreTag, v);
      tiny_[v] = s.next_double() < f.tiny_store_share ? 1 : 0;
    }
  }
  std::stable_sort(changes_.begin(), changes_.end(),
                   [](const FaultChange& a, const FaultChange& b) { return a.at < b.at; });
}

void FaultSchedule::poisson_windows(sim::RandomStream& s, double per_day, Duration mean,
                                    FaultChange::What down, FaultChange::What up, int64_t entity) {
  const double day_us = static_cast<double>(Duration::days(1).us());
  Time t = measured_from_;
  while (true) {
    t = t +
        Duration::micros(static_cast<int64_t>(-std::log(s.next_open_double()) * day_us / per_day));
    if (t >= measured_to_) {
      return;
    }
    const Duration length = exponential(s, mean);
    add(make(t, down, entity));
    add(make(t + length, up, entity));
  }
}

bool FaultSchedule::tiny_store(uint32_t v) const {
  return !tiny_.empty() && tiny_[v] != 0;
}

void FaultSchedule::apply(size_t i, Time now, RunKpis& kpis) {
  const FaultChange& c = changes_[i];
  auto since = [&](Time from) { return (now - std::max(from, count_from_)).to_seconds(); };
  auto each = [&](auto&& f) {
    if (c.entity < 0) {
      for (uint32_t v = 0; v < clock_offset_.size(); ++v) {
        f(v);
      }
    } else if (static_cast<uint64_t>(c.entity) < clock_offset_.size()) {
      f(static_cast<uint32_t>(c.entity));
    }
  };
  switch (c.what) {
  case FaultChange::kCloudDown:
    if (cloud_down_++ == 0) {
      cloud_since_ = now;
      if (bank_down_ == 0) {
        bank_since_ = now;
      }
    }
    return;
  case FaultChange::kCloudUp:
    if (--cloud_down_ == 0) {
      kpis.faults.cloud_outage_s += std::max(0.0, since(cloud_since_));
      if (bank_down_ == 0) {
        kpis.faults.bank_outage_s += std::max(0.0, since(bank_since_));
      }
    }
    return;
  case FaultChange::kBankDown:
    if (bank_down_++ == 0 && cloud_down_ == 0) {
      bank_since_ = now;
    }
    return;
  case FaultChange::kBankUp:
    if (--bank_down_ == 0 && cloud_down_ == 0) {
      kpis.faults.bank_outage_s += std::max(0.0, since(bank_since_));
    }
    return;
  case FaultChange::kLinkDown:
    kpis.faults.link_outages.add();
    if (c.entity < 0) {
      ++all_links_down_;
    } else {
      each([&](uint32_t v) { ++links_down_[v]; });
    }
    return;
  case FaultChange::kLinkUp:
    if (c.entity < 0) {
      --all_links_down_;
    } else {
      each([&](uint32_t v) { --links_down_[v]; });
    }
    return;
  case FaultChange::kUploadsOn:
  case FaultChange::kUploadsOff: {
    const size_t k = static_cast<size_t>(c.upload) - static_cast<size_t>(FaultKind::kUploadsLost);
    upload_windows_[k] += c.what == FaultChange::kUploadsOn ? 1 : static_cast<uint32_t>(-1);
    return;
  }
  case FaultChange::kClockWrong:
    kpis.faults.clock_faults.add();
    each([&](uint32_t v) {
      clock_offset_[v] = c.reset ? (Time::epoch() - now).us() : c.skew.us();
      fixable_from_[v] = Time::max();
    });
    return;
  case FaultChange::kClockFixable:
    each([&](uint32_t v) { fixable_from_[v] = now; });
    return;
  case FaultChange::kAppRestart:
    return; // the run restarts the app (it holds the wallets)
  }
}

Time FaultSchedule::clock(uint32_t v, Time now) const {
  const int64_t off = clock_offset_[v];
  return off == kRight ? now : now + Duration::micros(off);
}

void FaultSchedule::synced(uint32_t v, Time now) {
  if (clock_offset_[v] != kRight && now >= fixable_from_[v]) {
    clock_offset_[v] = kRight;
  }
}

UploadFault FaultSchedule::upload_fault(Time now) {
  if (upload_windows_[0] > 0) {
    return UploadFault::kLost;
  }
  if (upload_windows_[3] > 0) {
    return UploadFault::kCut;
  }
  if (upload_windows_[1] > 0) {
    return UploadFault::kDuplicated;
  }
  if (upload_windows_[2] > 0) {
    return UploadFault::kReordered;
  }
  const FaultsConfig& f = cfg_;
  if (now < measured_from_ || now >= measured_to_ ||
      f.upload_lost + f.upload_duplicated + f.upload_reordered + f.upload_cut == 0) {
    return UploadFault::kNone;
  }
  double u = uploads_.next_double();
  for (const auto& [p, fault] : {std::pair{f.upload_lost, UploadFault::kLost},
                                 std::pair{f.upload_duplicated, UploadFault::kDuplicated},
                                 std::pair{f.upload_reordered, UploadFault::kReordered},
                                 std::pair{f.upload_cut, UploadFault::kCut}}) {
    if (u < p) {
      return fault;
    }
    u -= p;
  }
  return UploadFault::kNone;
}

void FaultSchedule::restart_counts(Time now) {
  count_from_ = now;
}

void FaultSchedule::finish(Time now, RunKpis& kpis) {
  auto since = [&](Time from) { return (now - std::max(from, count_from_)).to_seconds(); };
  if (cloud_down_ > 0) {
    kpis.faults.cloud_outage_s += std::max(0.0, since(cloud_since_));
  }
  if (cloud_down_ > 0 || bank_down_ > 0) {
    kpis.faults.bank_outage_s += std::max(0.0, since(bank_since_));
  }
}

} // namespace hcesim::models
