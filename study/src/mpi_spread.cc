// MPI for studies: the session, and spreading (point, replication) tasks over ranks. Rank 0 keeps
// the schedule: each worker thread of another rank sends its last result with a request for work
// and gets the next task or "stop"; rank 0 runs tasks on its own pool meanwhile and polls for
// requests (sleeping a millisecond between polls, so its cores stay with the runs).
#include "study/mpi_session.h"
#include "study/replication_schedule.h"
#include "study/result_codec.h"
#include "study/study_runner.h"

#include <cstdlib>
#include <functional>
#include <iostream>
#include <string_view>

#ifdef HCESIM_HAVE_MPI
#include <utility> // before Boost.Asio (g++ 12, C++20)

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <mpi.h>

#include <chrono>
#include <mutex>
#include <numeric>
#include <thread>
#include <vector>
#endif

namespace hcesim::study {
namespace {

// Set by mpirun (Open MPI) or another PMIx launcher: only then is MPI initialised.
bool launched_by_mpirun() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"}) {
    if (std::getenv(v) != nullptr) {
      return true;
    }
  }
  return false;
}

} // namespace

#ifdef HCESIM_HAVE_MPI

namespace {
constexpr int kRequestTag = 1;
constexpr int kTaskTag = 2;
} // namespace

MpiSession::MpiSession() {
  if (!launched_by_mpirun()) {
    return;
  }
  // Every rank on this machine: shared memory through ob1 is the transport, and Open MPI's default
  // of probing UCX first costs ~0.2 s of start-up per run. A pml the user chose still wins.
  const char* world = std::getenv("OMPI_COMM_WORLD_SIZE");
  const char* local = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
  if (world != nullptr && local != nullptr && std::string_view(world) == local) {
    setenv("OMPI_MCA_pml", "ob1", 0);
  }
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
  initialised_ = true;
  serialized_ = provided >= MPI_THREAD_SERIALIZED;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() {
  if (initialised_) {
    MPI_Finalize();
  }
}

bool spread_over_ranks(const RunnerOptions& options, const MpiSession& mpi,
                       ReplicationSchedule& schedule,
                       const std::function<void(ReplicationSchedule&)>& local_work,
                       const std::function<ReplicationResult(ReplicationTask)>& run_one) {
  const int jobs = static_cast<int>(std::max(1U, options.jobs));
  int my_threads = mpi.rank() == 0 || mpi.threads_may_call() ? jobs : 1;
  std::vector<int> threads(static_cast<size_t>(mpi.size()));
  MPI_Gather(&my_threads, 1, MPI_INT, threads.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);

  if (mpi.rank() == 0) {
    std::thread local([&] { local_work(schedule); });
    const int workers = std::accumulate(threads.begin() + 1, threads.end(), 0);
    int stopped = 0;
    std::string bytes;
    while (stopped < workers) {
      int flag = 0;
      MPI_Status status;
      MPI_Iprobe(MPI_ANY_SOURCE, kRequestTag, MPI_COMM_WORLD, &flag, &status);
      if (flag == 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        continue;
      }
      int count = 0;
      MPI_Get_count(&status, MPI_BYTE, &count);
      bytes.assign(static_cast<size_t>(count), '\0');
      MPI_Recv(bytes.data(), count, MPI_BYTE, status.MPI_SOURCE, kRequestTag, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);
      if (count > 0) {
        auto result = decode_result(bytes);
        if (!result) {
          std::cerr << "internal error: rank " << status.MPI_SOURCE << " sent a bad result\n";
          MPI_Abort(MPI_COMM_WORLD, 1);
        }
        schedule.complete(std::move(*result));
      }
      int task[2] = {-1, -1};
      if (auto t = schedule.next(static_cast<uint32_t>(status.MPI_SOURCE))) {
        task[0] = static_cast<int>(t->point);
        task[1] = static_cast<int>(t->replication);
      } else {
        ++stopped;
      }
      MPI_Send(task, 2, MPI_INT, status.MPI_SOURCE, kTaskTag, MPI_COMM_WORLD);
    }
    local.join();
    return true;
  }

  std::mutex mpi_calls; // MPI_THREAD_SERIALIZED: one thread in MPI at a time
  auto loop = [&] {
    std::string payload;
    for (;;) {
      int task[2] = {-1, -1};
      {
        std::lock_guard lock(mpi_calls);
        MPI_Send(payload.data(), static_cast<int>(payload.size()), MPI_BYTE, 0, kRequestTag,
                 MPI_COMM_WORLD);
        MPI_Recv(task, 2, MPI_INT, 0, kTaskTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      }
      if (task[0] < 0) {
        return;
      }
      payload = encode_result(
          run_one(ReplicationTask{static_cast<uint32_t>(task[0]), static_cast<uint32_t>(task[1])}));
    }
  };
  if (my_threads == 1) {
    loop();
  } else {
    boost::asio::thread_pool pool(static_cast<size_t>(my_threads));
    for (int i = 0; i < my_threads; ++i) {
      boost::asio::post(pool, loop);
    }
    pool.join();
  }
  return false;
}

#else // no MPI in this build: always one rank

MpiSession::MpiSession() {
  if (launched_by_mpirun()) {
    std::cerr << "warning: launched by mpirun but built without MPI: every rank runs alone\n";
  }
}

MpiSession::~MpiSession() = default;

bool spread_over_ranks(const RunnerOptions&, const MpiSession&, ReplicationSchedule&,
                       const std::function<void(ReplicationSchedule&)>&,
                       const std::function<ReplicationResult(ReplicationTask)>&) {
  return true; // unreachable: spread() is false with one rank
}

#endif

} // namespace hcesim::study
