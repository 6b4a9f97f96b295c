#pragma once
// Runs a StudyPlan's (point, replication) tasks on a Boost.Asio thread pool and, under mpirun,
// over ranks: rank 0 hands out tasks one at a time (dynamic load balancing), runs tasks itself on
// its own pool, and gathers every result. The outcome is the same for any --jobs and any ranks:
// each task's seed and inputs are fixed by its index, and results are kept in index order.
#include "study/mpi_session.h"
#include "study/replication.h"
#include "study/replication_schedule.h"
#include "study/study_plan.h"
#include "study/world_cache.h"

#include <optional>
#include <vector>

namespace hcesim::study {

struct RunnerOptions {
  unsigned jobs = 1; //!< threads per rank
  RunContext context;
  bool quiet = true; //!< no line per finished replication
};

struct StudyOutcome {
  std::vector<std::vector<ReplicationResult>> points; //!< per point, replications in order
  std::vector<bool> target_met;                       //!< per point (precision targets)
  std::optional<Error> failure;
  double wall_s = 0;
  unsigned jobs = 1;
  int ranks = 1;
};

//! Runs one task: the point's scenario at replication k's seed over a World from `worlds`.
ReplicationResult run_task(const StudyPlan& plan, ReplicationTask task, WorldCache& worlds,
                           const RunContext& context);

//! Runs the plan. With an MPI session of several ranks every rank calls this; rank 0 gets the
//! outcome, the others none.
std::optional<StudyOutcome> run_study(const StudyPlan& plan, const RunnerOptions& options,
                                      const MpiSession& mpi);

} // namespace hcesim::study
