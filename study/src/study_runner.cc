#include "study/study_runner.h"

#include "study/replication_seed.h"

#include <utility> // before Boost.Asio (g++ 12, C++20)

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <functional>
#include <iostream>
#include <mutex>

namespace hcesim::study {

// The MPI side (mpi_spread.cc): rank 0's dispatcher and the other ranks' workers.
// Returns true on rank 0 once every task is in `schedule`, false on the other ranks.
bool spread_over_ranks(const RunnerOptions& options, const MpiSession& mpi,
                       ReplicationSchedule& schedule,
                       const std::function<void(ReplicationSchedule&)>& local_work,
                       const std::function<ReplicationResult(ReplicationTask)>& run_one);

ReplicationResult run_task(const StudyPlan& plan, ReplicationTask task, WorldCache& worlds,
                           const RunContext& context) {
  const StudyPoint& point = plan.points.at(task.point);
  models::ScenarioConfig cfg = point.config;
  proto::Scenario resolved = point.resolved;
  cfg.seed = replication_seed(point.config.seed, task.replication);
  resolved.set_seed(cfg.seed);
  ReplicationResult result;
  // Caught here: escaping a pool thread ends the process (std::terminate), and a worker rank's
  // would leave rank 0 waiting for its result.
  try {
    auto world = worlds.acquire(world_key(resolved, cfg.seed, cfg.base_folder), cfg);
    if (!world.ok()) {
      result.error = world.error();
    } else {
      RunContext c = context;
      c.progress = c.progress && plan.points.size() == 1 && plan.max_replications() == 1;
      result = run_replication(cfg, resolved, **world, c);
    }
  } catch (const InputError& e) {
    result = ReplicationResult{};
    result.error = e.errors().front();
  } catch (const std::exception& e) {
    result = ReplicationResult{};
    result.error = Error{"internal error", e.what()};
  }
  result.point = task.point;
  result.replication = task.replication;
  result.seed = cfg.seed;
  return result;
}

std::optional<StudyOutcome> run_study(const StudyPlan& plan, const RunnerOptions& options,
                                      const MpiSession& mpi) {
  const auto start = std::chrono::steady_clock::now();
  ReplicationSchedule schedule(static_cast<uint32_t>(plan.points.size()), plan.max_replications(),
                               plan.study.precision);
  WorldCache worlds;
  std::mutex print;
  const bool several = plan.points.size() > 1 || plan.max_replications() > 1;
  auto work_loop = [&](ReplicationSchedule& s) {
    while (auto task = s.next()) {
      ReplicationResult r = run_task(plan, *task, worlds, options.context);
      if (!options.quiet && several) {
        std::lock_guard lock(print);
        std::cerr << "point " << r.point << " replication " << r.replication << " done in "
                  << r.wall_s << " s\n";
      }
      s.complete(std::move(r));
    }
  };
  auto local_work = [&](ReplicationSchedule& s) {
    const unsigned jobs = std::max(1U, options.jobs);
    boost::asio::thread_pool pool(jobs);
    for (unsigned i = 0; i < jobs; ++i) {
      boost::asio::post(pool, [&] { work_loop(s); });
    }
    pool.join();
  };
  if (mpi.spread()) {
    auto run_one = [&](ReplicationTask t) { return run_task(plan, t, worlds, options.context); };
    if (!spread_over_ranks(options, mpi, schedule, local_work, run_one)) {
      return std::nullopt; // a worker rank: rank 0 holds the results
    }
  } else {
    local_work(schedule);
  }
  StudyOutcome out;
  out.failure = schedule.failure();
  if (!out.failure) {
    out.target_met = schedule.target_met();
    out.points = schedule.take_results();
  }
  out.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out.jobs = options.jobs;
  out.ranks = mpi.size();
  return out;
}

} // namespace hcesim::study
