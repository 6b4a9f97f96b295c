#pragma once
// Which (point, replication) runs next, and when each point has enough: a fixed count, or the
// first n (in index order, from min_replications) at which every precision KPI's relative
// half-width is below the target. Tasks go out replication-major (replication k of every point
// before k + 1), so points sharing a World run close together; a group of workers that share a
// World cache (an MPI rank) keeps to its replication while it has tasks and starts one no other
// group is on, so each rank builds few Worlds. Results that arrive beyond a
// point's decided count (speculative work) are dropped, so the outcome is the same for any number
// of threads or ranks. Thread-safe.
#include "models/scenario/study_config.h"
#include "study/replication.h"

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <vector>

namespace hcesim::study {

struct ReplicationTask {
  uint32_t point = 0;
  uint32_t replication = 0;
};

//! The stopping rule alone: the first n in [min, rows.size()] where every KPI of `precision`
//! (segment all) has half-width ≤ target · |mean|; none when no prefix qualifies.
std::optional<uint32_t> precise_prefix(const std::vector<std::vector<models::KpiRow>>& rows,
                                       const models::PrecisionConfig& precision, uint32_t from);

class ReplicationSchedule {
public:
  ReplicationSchedule(uint32_t points, uint32_t replications,
                      std::optional<models::PrecisionConfig> precision);

  //! The next task for a worker of `group` (workers sharing one World cache share a group), or
  //! none when every point is decided or has all its tasks out.
  std::optional<ReplicationTask> next(uint32_t group = 0);
  //! Hands in a finished task.
  void complete(ReplicationResult result);
  bool done() const;

  //! Every point's results in index order, up to its decided count (call when done()).
  std::vector<std::vector<ReplicationResult>> take_results();
  //! Per point: true when the precision target was met (always true without one).
  std::vector<bool> target_met() const;
  //! The first task that failed (its world could not be built): the study stops there.
  std::optional<Error> failure() const;

private:
  struct Point {
    std::vector<std::optional<ReplicationResult>> results;
    uint32_t contiguous = 0; //!< results 0..contiguous-1 are all in
    uint32_t checked = 0;    //!< prefixes up to this were tested against the target
    std::optional<uint32_t> decided;
    bool met = true;
  };
  void decide(Point& p);
  //! Moves replication k's cursor past decided points; true when k still has a task to give.
  bool open(uint32_t k);

  mutable std::mutex mutex_;
  uint32_t max_;
  std::optional<models::PrecisionConfig> precision_;
  std::vector<Point> points_;
  std::vector<uint32_t> next_point_; //!< per replication: the next point to give out
  uint32_t first_open_ = 0;          //!< replications below this have no task left
  std::map<uint32_t, uint32_t> on_;  //!< group -> the replication it works on
  std::optional<Error> failure_;
};

} // namespace hcesim::study
