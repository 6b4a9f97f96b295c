#include "study/replication_schedule.h"

#include "study/kpi_estimate.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace hcesim::study {

std::optional<uint32_t> precise_prefix(const std::vector<std::vector<models::KpiRow>>& rows,
                                       const models::PrecisionConfig& precision, uint32_t from) {
  for (uint32_t n = std::max(from, precision.min_replications);
       n <= static_cast<uint32_t>(rows.size()); ++n) {
    bool all = true;
    for (const std::string& kpi : precision.kpis) {
      std::vector<double> v;
      for (uint32_t k = 0; k < n; ++k) {
        for (const models::KpiRow& r : rows[k]) {
          if (r.kpi == kpi && r.segment == "all") {
            v.push_back(r.value);
            break;
          }
        }
      }
      const KpiEstimate e = estimate_values(v);
      const bool ok = std::isfinite(e.half_width) && std::isfinite(e.mean) &&
                      e.half_width <= precision.relative_half_width * std::fabs(e.mean);
      if (!ok) {
        all = false;
        break;
      }
    }
    if (all) {
      return n;
    }
  }
  return std::nullopt;
}

ReplicationSchedule::ReplicationSchedule(uint32_t points, uint32_t replications,
                                         std::optional<models::PrecisionConfig> precision)
    : max_(precision ? precision->max_replications : replications),
      precision_(std::move(precision)), points_(points), next_point_(max_, 0) {
  assert(points > 0 && max_ > 0);
  for (Point& p : points_) {
    p.results.resize(max_);
  }
}

bool ReplicationSchedule::open(uint32_t k) {
  uint32_t& p = next_point_[k];
  while (p < points_.size() && points_[p].decided && k >= *points_[p].decided) {
    ++p;
  }
  return p < points_.size();
}

std::optional<ReplicationTask> ReplicationSchedule::next(uint32_t group) {
  std::lock_guard lock(mutex_);
  if (failure_) {
    return std::nullopt;
  }
  while (first_open_ < max_ && !open(first_open_)) {
    ++first_open_;
  }
  auto mine = on_.find(group);
  if (mine == on_.end() || !open(mine->second)) {
    // The lowest replication no other group is on (a World this group may have to build anyway);
    // when every open one is taken, help with the lowest.
    std::optional<uint32_t> pick;
    for (uint32_t k = first_open_; k < max_ && !pick; ++k) {
      const bool taken = std::any_of(
          on_.begin(), on_.end(), [&](const auto& g) { return g.first != group && g.second == k; });
      if (!taken && open(k)) {
        pick = k;
      }
    }
    if (!pick && first_open_ < max_) {
      pick = first_open_;
    }
    if (!pick) {
      return std::nullopt;
    }
    mine = on_.insert_or_assign(group, *pick).first;
  }
  const uint32_t k = mine->second;
  return ReplicationTask{next_point_[k]++, k};
}

void ReplicationSchedule::decide(Point& p) {
  while (p.contiguous < max_ && p.results[p.contiguous]) {
    ++p.contiguous;
  }
  if (p.decided) {
    return;
  }
  if (!precision_) {
    if (p.contiguous == max_) {
      p.decided = max_;
    }
    return;
  }
  if (p.contiguous <= p.checked) {
    return;
  }
  std::vector<std::vector<models::KpiRow>> rows;
  for (uint32_t k = 0; k < p.contiguous; ++k) {
    rows.push_back(p.results[k]->rows);
  }
  if (auto n = precise_prefix(rows, *precision_, p.checked + 1)) {
    p.decided = *n;
  } else if (p.contiguous == max_) {
    p.decided = max_;
    p.met = false;
  }
  p.checked = p.contiguous;
}

void ReplicationSchedule::complete(ReplicationResult result) {
  std::lock_guard lock(mutex_);
  if (result.error) {
    failure_ = failure_ ? failure_ : result.error;
    return;
  }
  Point& p = points_.at(result.point);
  const uint32_t k = result.replication;
  assert(k < max_ && !p.results[k]);
  p.results[k] = std::move(result);
  decide(p);
}

bool ReplicationSchedule::done() const {
  std::lock_guard lock(mutex_);
  if (failure_) {
    return true;
  }
  for (const Point& p : points_) {
    if (!p.decided || p.contiguous < *p.decided) {
      return false;
    }
  }
  return true;
}

std::vector<std::vector<ReplicationResult>> ReplicationSchedule::take_results() {
  std::lock_guard lock(mutex_);
  std::vector<std::vector<ReplicationResult>> out;
  for (Point& p : points_) {
    assert(p.decided);
    std::vector<ReplicationResult> r;
    for (uint32_t k = 0; k < *p.decided; ++k) {
      r.push_back(std::move(*p.results[k]));
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<bool> ReplicationSchedule::target_met() const {
  std::lock_guard lock(mutex_);
  std::vector<bool> out;
  for (const Point& p : points_) {
    out.push_back(p.met);
  }
  return out;
}

} // namespace hcesim::study

namespace hcesim::study {

std::optional<Error> ReplicationSchedule::failure() const {
  std::lock_guard lock(mutex_);
  return failure_;
}

} // namespace hcesim::study
