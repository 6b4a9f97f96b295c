#pragma once
// PHOLD, the standard discrete-event throughput benchmark, as a model of the engine: N logical
// processes (LPs); each event increments its LP's counter and schedules exactly one new event at
// now + lookahead + Exp(mean - lookahead), to a uniformly random LP with probability `remote`,
// else to itself. Every LP draws from its own RandomStream (Purpose::kEngine), so the numbers do
// not depend on the queue. Shared by bench_phold, the `phold` command and the pinned test.
#include "base/time.h"
#include "sim/event.h"
#include "sim/fingerprint.h"
#include "sim/progress.h"
#include "sim/random_stream.h"

#include <cmath>
#include <cstdint>
#include <queue>
#include <vector>

namespace hcesim::phold {

struct PholdShape {
  uint32_t lps = 1024;
  uint32_t start = 1; //!< start events per LP
  double remote = 0.1;
  Duration mean = Duration::seconds(1);
  Duration lookahead = Duration::millis(100);
  Time end = Time::from_us(10'000'000); //!< events before this time run
  uint64_t seed = 1;
};

class Phold {
public:
  static constexpr uint32_t kKind = 0;

  explicit Phold(const PholdShape& shape);

  //! The next event from `lp`: its delay and destination. Counts the event at `lp`.
  struct Hop {
    Duration delay;
    uint32_t to;
  };
  Hop hop(uint32_t lp) {
    Lp& state = lps_[lp];
    ++state.events;
    uint32_t to = lp;
    if (state.stream.next_double() < remote_) {
      to = static_cast<uint32_t>(state.stream.uniform_int(lps_.size()));
    }
    return Hop{delay(state.stream), to};
  }

  //! Schedules the start events: `start` per LP, LP by LP, each at 0 + one delay draw.
  template <class Schedule> void start(Schedule&& schedule_at) {
    for (uint32_t lp = 0; lp < lps_.size(); ++lp) {
      for (uint32_t k = 0; k < start_; ++k) {
        schedule_at(Time::epoch() + delay(lps_[lp].stream), lp);
      }
    }
  }
  template <class Sim> void start_in(Sim& sim) {
    start([&sim](Time t, uint32_t lp) { sim.schedule_at(t, kKind, lp); });
  }

  template <class Sim> void handle(const sim::Event& e, Sim& sim) {
    const Hop h = hop(e.entity);
    sim.schedule_in(h.delay, kKind, h.to);
  }
  static const char* kind_name(uint32_t) { return "phold"; }
  void prefetch(const sim::Event& e) const { __builtin_prefetch(&lps_[e.entity], 1); }

  //! Events counted over all LPs (equals the events executed).
  uint64_t total_events() const;

private:
  Duration delay(sim::RandomStream& stream) const {
    // Inverse transform of the exponential; the 0.5 rounds to the nearest microsecond.
    const double x = -excess_us_ * std::log(stream.next_open_double());
    return Duration::micros(lookahead_us_ + static_cast<int64_t>(x + 0.5));
  }

  struct alignas(32) Lp { // one cache line holds whole LPs
    sim::RandomStream stream;
    uint64_t events = 0;
  };
  std::vector<Lp> lps_;
  uint32_t start_;
  double remote_;
  int64_t lookahead_us_;
  double excess_us_;
};

//! Which queue a PHOLD run uses. kStd is the baseline: a plain std::priority_queue loop.
enum class QueueChoice { kHeap, kRadix, kStd };

struct PholdResult {
  uint64_t events = 0;
  uint64_t fingerprint = 0;
  double seconds = 0;     //!< wall time of the event loop (set-up excluded)
  double cpu_seconds = 0; //!< CPU time of the event loop (steadier on a shared machine)
};

//! Builds the model, schedules the start events and runs until shape.end.
PholdResult run_phold(const PholdShape& shape, QueueChoice queue, bool quiet = true);

//! The baseline: the same model driven by a std::priority_queue of (time, seq, lp), no Simulator.
class StdPriorityQueueLoop {
public:
  explicit StdPriorityQueueLoop(Phold& model);
  void start();
  //! Runs every event before `end`; returns the events executed.
  uint64_t run_until(Time end, sim::Progress* progress = nullptr);
  const sim::Fingerprint& fingerprint() const { return fingerprint_; }

private:
  struct Entry {
    int64_t time;
    uint64_t seq;
    uint32_t lp;
  };
  struct Later {
    bool operator()(const Entry& a, const Entry& b) const {
      return a.time > b.time || (a.time == b.time && a.seq > b.seq);
    }
  };
  Phold& model_;
  std::priority_queue<Entry, std::vector<Entry>, Later> queue_;
  sim::Fingerprint fingerprint_;
  uint64_t seq_ = 1;
};

} // namespace hcesim::phold
