#pragma once
// The simulator: a clock, a Schedule of pending events and a model whose `handle(event, sim)`
// switches on the event kind. Everything is a template, so dispatch is a direct (inlinable) call:
// no heap allocation, std::function or virtual call per event.
#include "sim/dary_heap.h"
#include "sim/event.h"
#include "sim/fingerprint.h"
#include "sim/progress.h"
#include "sim/radix_queue.h"
#include "sim/run_error.h"
#include "sim/schedule.h"

#include <cassert>
#include <cstdint>
#include <exception>
#include <string>

namespace hcesim::sim {

//! The default queue, chosen by measurement: bench_phold, release preset, 2-core EPYC shared with
//! other jobs (load ~7; effective last-level cache ~8 MiB), remote 0.1, mean 1 s, lookahead
//! 0.1 s, ~4 M events per run, medians of 3 with random interleaving, million events per CPU s:
//!   LPs x start events   RadixQueue   (without prefetch)   FourAryHeap   std::priority_queue loop
//!   1,024 x 1                  17.4                 16.8          13.3          13.4
//!   16,384 x 16                12.5                 11.2           6.4           4.9
//!   1,048,576 x 1               8.3                  3.8           1.9           2.5
//! RadixQueue wins at every shape, and by 3.3x over the std::priority_queue loop at a million
//! pending events: pushes append to one of 65 cached vector tails and pops scan levels
//! sequentially, where a heap's sift-down misses cache at every level below the top few; and its
//! sorted run tells the simulator the next events, so their LP state is prefetched (the second
//! column shows that half of the lead at 1 M comes from that prefetch).
//! Cancel-heavy loads (bench_queue BM_Queue_CancelHeavy: M/M/4 at 1,600 requests/s, each with a
//! client timeout that is almost always cancelled; same machine, medians of 3, M events/CPU s):
//!   timeout   RadixQueue   FourAryHeap      (bench_world BM_CloudQueue_Events, 2 s: 8.8 vs 5.4)
//!   2 s             11.3           6.4
//!   20 ms           14.2          10.2
//! (RadixQueue gave 0.96 at 2 s while its sorted run took every push inside its level span.)
using DefaultQueue = RadixQueue;

//! Why a run returned.
enum class RunEnd {
  kQueueEmpty,   //!< nothing left to execute
  kReachedTime,  //!< run_until: every event before the end time ran; now() is the end time
  kReachedCount, //!< run_events: the requested number of events ran
  kStopped,      //!< a handler called stop()
};

//! Model needs `template <class Sim> void handle(const Event&, Sim&)` (or a non-template one for
//! this Simulator type); optionally `kind_name(uint32_t kind)` (text for errors) and
//! `prefetch(const Event&)` (start loading the state an upcoming event will touch: with a queue
//! that knows its next events, the cache misses of several events overlap), or a staged
//! `prefetch(const Event&, int stage)`, called for stages 0, 1, 2 on events kStageAhead places
//! ahead as far as the queue knows them (RadixQueue: within its sorted run of ~128 events): each
//! stage reads what the one before brought into cache and fetches what that points to (a chain of
//! dependent misses, one link per stage).
template <class Model, EventQueue Queue = DefaultQueue> class Simulator {
public:
  explicit Simulator(Model& model) : model_(model) {}

  Time now() const { return now_; }
  uint64_t events_executed() const { return executed_; }
  const Fingerprint& fingerprint() const { return fingerprint_; }
  //! Live pending events (cancelled ones excluded).
  std::size_t pending() const { return schedule_.size(); }

  //! Schedules at an absolute time; throws ScheduleError when `t` is before now().
  EventHandle schedule_at(Time t, uint32_t kind, uint32_t entity, uint32_t payload = 0) {
    if (t < now_) {
      throw ScheduleError(t, now_);
    }
    return schedule_.push(t, kind, entity, payload);
  }
  //! Schedules after a delay (>= 0) from now().
  EventHandle schedule_in(Duration delay, uint32_t kind, uint32_t entity, uint32_t payload = 0) {
    return schedule_at(now_ + delay, kind, entity, payload);
  }
  //! Cancels a pending event: false if it already ran or was already cancelled.
  bool cancel(EventHandle h) { return schedule_.cancel(h); }
  //! From a handler: the run returns (kStopped) once the current event is done.
  void stop() { stop_ = true; }
  //! Reports progress every Progress::kCheckEvery events; nullptr (the default) for none.
  void set_progress(Progress* progress) { progress_ = progress; }

  //! Runs until nothing is left or a handler stops it.
  RunEnd run() { return loop<false, false>(Time::max(), 0); }
  //! Runs every event before `end` (exclusive), then sets now() to `end`.
  RunEnd run_until(Time end) {
    assert(end >= now_ && "run_until would move the clock back");
    return loop<true, false>(end, 0);
  }
  //! Runs `count` more events (fewer if the queue empties or a handler stops it).
  RunEnd run_events(uint64_t count) { return loop<false, true>(Time::max(), executed_ + count); }

  //! How far ahead of the running event prefetch() is called.
  static constexpr std::size_t kPrefetchAhead = 4;
  //! How far ahead each stage of a staged prefetch is called (peek(0) is the next event).
  static constexpr std::size_t kStageAhead[3] = {6, 3, 1};

private:
  template <bool kByTime, bool kByCount> RunEnd loop(Time end, uint64_t last_event) {
    stop_ = false;
    Event e;
    for (;;) {
      if constexpr (kByCount) {
        if (executed_ >= last_event) {
          return RunEnd::kReachedCount;
        }
      }
      if (!schedule_.has_entries()) {
        if constexpr (kByTime) {
          now_ = end;
          return RunEnd::kReachedTime;
        }
        return RunEnd::kQueueEmpty;
      }
      if constexpr (kByTime) {
        if (schedule_.next_time() >= end) {
          now_ = end;
          return RunEnd::kReachedTime;
        }
      }
      if (!schedule_.pop(e)) {
        continue; // a cancelled event
      }
      if constexpr (requires(Model & m) { m.prefetch(e, 0); }) {
        for (int stage = 0; stage < 3; ++stage) {
          if (const Event* ahead = schedule_.peek(kStageAhead[stage])) {
            model_.prefetch(*ahead, stage);
          }
        }
      } else if constexpr (requires(Model & m) { m.prefetch(e); }) {
        // The state of an event a few places ahead is fetched while this one runs.
        if (const Event* ahead = schedule_.peek(kPrefetchAhead)) {
          model_.prefetch(*ahead);
        }
      }
      now_ = e.time;
      ++executed_;
      fingerprint_.add(e.time.us(), e.kind(), e.entity);
      try {
        model_.handle(e, *this);
      } catch (const std::exception& ex) {
        throw RunError(e.time, e.kind(), kind_name(e.kind()), e.entity, ex.what());
      } catch (...) {
        throw RunError(e.time, e.kind(), kind_name(e.kind()), e.entity, "unknown exception");
      }
      if ((executed_ & Progress::kCheckMask) == 0 && progress_ != nullptr) {
        progress_->report(now_, executed_);
      }
      if (stop_) {
        return RunEnd::kStopped;
      }
    }
  }

  std::string kind_name(uint32_t kind) const {
    if constexpr (requires(const Model& m) { m.kind_name(kind); }) {
      return std::string(model_.kind_name(kind));
    } else {
      return "";
    }
  }

  Model& model_;
  Schedule<Queue> schedule_;
  Fingerprint fingerprint_;
  Progress* progress_ = nullptr;
  Time now_;
  uint64_t executed_ = 0;
  bool stop_ = false;
};

} // namespace hcesim::sim
