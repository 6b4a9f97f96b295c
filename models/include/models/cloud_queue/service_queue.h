#pragma once
// The capacity model in front of one cloud service: c servers, a service-time distribution, a
// finite FIFO buffer and client timeouts. A request that timed out at the client stays queued and
// still uses a server (the work is wasted), so load shows up as latency, timeouts and retries.
// A fixed latency (config.fixed_latency: network and hand-overs outside the queue) delays each
// answer after its server is freed; a client that gives up meanwhile gets kWasted for it.
//
// Driven by the engine's Simulator: the owning model gives the queue two event kinds of its own
// and passes it every event of those kinds; handle() returns what the client must learn (its
// answer, or that it gave up). No callback or heap object per request: requests live in a slot
// table reused through a free list.
#include "models/cloud_queue/service_time.h"
#include "models/scenario/scenario_config.h"
#include "sim/event.h"
#include "sim/random_stream.h"
#include "sim/stats/counter.h"
#include "sim/stats/log_histogram.h"
#include "sim/stats/tally.h"
#include "sim/stats/time_weighted.h"

#include <cassert>
#include <deque>
#include <optional>
#include <vector>

namespace hcesim::models {

//! What submit() did with a request.
enum class Admission : uint8_t { kQueued, kRefused };

//! What a client learns from handle().
enum class NoticeKind : uint8_t {
  kAnswered, //!< the answer arrived before the client's timeout
  kTimedOut, //!< the client gave up waiting (the request stays queued or in service)
  kWasted,   //!< a server finished a request whose client had already given up
  kLost,     //!< a server finished, but the answer was lost in an outage (kTimedOut follows)
};

struct Notice {
  NoticeKind kind = NoticeKind::kAnswered;
  uint32_t client = 0; //!< as given to submit()
  uint32_t tag = 0;    //!< as given to submit()
  Duration latency;    //!< from submit to this notice
};

class ServiceQueue {
public:
  //! The two event kinds this queue schedules (distinct from the owner's other kinds).
  struct EventKinds {
    uint32_t done = 0;
    uint32_t timeout = 0;
  };

  ServiceQueue(const CloudServiceConfig& config, ServiceTime service, EventKinds kinds,
               sim::RandomStream stream, Time start);
  //! Exponential service times of config.mean_service_time (M/M/c).
  static ServiceQueue exponential(const CloudServiceConfig& config, EventKinds kinds,
                                  sim::RandomStream stream, Time start);
  //! The scenario's shape: exponential, or lognormal when config.service_time_cv is given.
  static ServiceQueue of(const CloudServiceConfig& config, EventKinds kinds,
                         sim::RandomStream stream, Time start);

  //! An outage: while down the service answers nothing. Requests still queue (or are refused when
  //! the buffer is full) but no service starts, and an answer finishing during the outage is lost
  //! (its client times out). Coming back up starts the waiting requests in FIFO order.
  template <class Sim> void set_available(Sim& sim, bool up);
  bool available() const { return !down_; }

  //! A client's request at now(): queued (an answer or a timeout notice follows), or refused at
  //! once because the buffer is full and no server can take it (every one busy, or the service
  //! down).
  template <class Sim> Admission submit(Sim& sim, uint32_t client, uint32_t tag);

  //! True for the events this queue scheduled.
  bool owns(uint32_t kind) const { return kind == kinds_.done || kind == kinds_.timeout; }
  //! Handles one of its events; returns the notice for the client, if any. An answer lost in an
  //! outage gives kLost (the work was done; the client's kTimedOut follows, and the owner may
  //! release what the request held only then).
  template <class Sim> std::optional<Notice> handle(const sim::Event& e, Sim& sim);

  // --- figures ---
  uint32_t servers() const { return servers_; }
  uint32_t busy() const { return busy_; }
  uint32_t waiting() const { return static_cast<uint32_t>(waiting_.size()); }
  uint32_t in_system() const { return busy_ + waiting(); }
  //! Requests accepted (queued) and refused since the last restart.
  const sim::Counter& accepted() const { return accepted_; }
  const sim::Counter& refused() const { return refused_; }
  const sim::Counter& timed_out() const { return timed_out_; }
  const sim::Counter& completed() const { return completed_; }
  //! Time-weighted number in system (waiting + in service) and busy servers.
  const sim::TimeWeighted& number_in_system() const { return number_; }
  const sim::TimeWeighted& busy_servers() const { return busy_servers_; }
  //! Per completed request, seconds: time in system (submit → done) and time waiting for a server.
  const sim::Tally& sojourn() const { return sojourn_; }
  const sim::Tally& wait() const { return wait_; }
  //! Latency seen by clients answered in time, seconds (p50/p95/p99).
  const sim::LogHistogram& answered_latency() const { return latency_; }
  //! Brings the time averages up to `now` (call before reading them at the end).
  void advance(Time now);
  //! Forgets every figure from before `now` (warm-up deletion); requests in flight carry on.
  void restart_statistics(Time now);

private:
  //! kDelivering: served, the answer on its way for the fixed latency (no server held).
  enum class State : uint8_t { kFree, kWaiting, kInService, kDelivering, kLost };
  struct Request {
    Time submitted;
    Time started;
    sim::EventHandle timeout;
    uint32_t client = 0;
    uint32_t tag = 0;
    State state = State::kFree;
    bool gave_up = false;
  };

  uint32_t new_slot();
  template <class Sim> void start(Sim& sim, uint32_t slot);
  template <class Sim> std::optional<Notice> deliver(Sim& sim, uint32_t slot);
  void count_change(Time now);

  uint32_t servers_;
  uint32_t buffer_;
  Duration client_timeout_;
  Duration fixed_latency_;
  ServiceTime service_;
  EventKinds kinds_;
  sim::RandomStream stream_;
  std::vector<Request> slots_;
  std::vector<uint32_t> free_;
  std::deque<uint32_t> waiting_;
  uint32_t busy_ = 0;
  bool down_ = false;
  Time stats_from_;
  sim::Counter accepted_;
  sim::Counter refused_;
  sim::Counter timed_out_;
  sim::Counter completed_;
  sim::TimeWeighted number_;
  sim::TimeWeighted busy_servers_;
  sim::Tally sojourn_;
  sim::Tally wait_;
  sim::LogHistogram latency_;
};

template <class Sim> Admission ServiceQueue::submit(Sim& sim, uint32_t client, uint32_t tag) {
  // The buffer holds what waits for a server: all of it during an outage, when none serves.
  if ((busy_ == servers_ || down_) && waiting_.size() >= buffer_) {
    refused_.add();
    return Admission::kRefused;
  }
  const uint32_t slot = new_slot();
  Request& r = slots_[slot];
  r = Request{sim.now(), Time{}, {}, client, tag, State::kWaiting, false};
  r.timeout = sim.schedule_in(client_timeout_, kinds_.timeout, slot);
  accepted_.add();
  if (busy_ < servers_ && !down_) {
    start(sim, slot);
  } else {
    waiting_.push_back(slot);
  }
  count_change(sim.now());
  return Admission::kQueued;
}

template <class Sim> void ServiceQueue::start(Sim& sim, uint32_t slot) {
  Request& r = slots_[slot];
  r.state = State::kInService;
  r.started = sim.now();
  ++busy_;
  sim.schedule_in(service_.draw(stream_), kinds_.done, slot);
}

template <class Sim> std::optional<Notice> ServiceQueue::handle(const sim::Event& e, Sim& sim) {
  const uint32_t slot = e.entity;
  Request& r = slots_[slot];
  const Time now = sim.now();
  if (e.kind() == kinds_.timeout) {
    assert(r.state != State::kFree && !r.gave_up);
    r.gave_up = true;
    timed_out_.add();
    const Notice notice{NoticeKind::kTimedOut, r.client, r.tag, now - r.submitted};
    if (r.state == State::kLost) {
      r.state = State::kFree; // its answer was lost in an outage: nothing more will come
      free_.push_back(slot);
    }
    return notice;
  }
  assert(e.kind() == kinds_.done);
  if (r.state == State::kDelivering) {
    return deliver(sim, slot);
  }
  assert(r.state == State::kInService);
  const bool lost = down_ && !r.gave_up; // finished, but the answer cannot get out
  const bool delay = !lost && !r.gave_up && fixed_latency_ > Duration::zero();
  const Notice notice{r.gave_up ? NoticeKind::kWasted : NoticeKind::kAnswered, r.client, r.tag,
                      now - r.submitted};
  if (r.submitted >= stats_from_) {
    sojourn_.add((now - r.submitted).to_seconds());
    wait_.add((r.started - r.submitted).to_seconds());
  }
  completed_.add();
  if (delay) {
    r.state = State::kDelivering; // the timeout stays armed until the answer arrives
    sim.schedule_in(fixed_latency_, kinds_.done, slot);
  } else {
    if (!r.gave_up && !lost) {
      sim.cancel(r.timeout);
      latency_.add(notice.latency.to_seconds());
    }
    r.state = lost ? State::kLost : State::kFree; // a lost answer's slot lives until its timeout
    if (!lost) {
      free_.push_back(slot);
    }
  }
  --busy_;
  if (!waiting_.empty() && !down_) {
    const uint32_t next = waiting_.front();
    waiting_.pop_front();
    start(sim, next);
  }
  count_change(now);
  if (delay) {
    return std::nullopt;
  }
  if (lost) {
    return Notice{NoticeKind::kLost, r.client, r.tag, notice.latency};
  }
  return notice;
}

//! The answer of a served request arrives after the fixed latency: kAnswered, or kWasted when the
//! client gave up while it was on its way.
template <class Sim> std::optional<Notice> ServiceQueue::deliver(Sim& sim, uint32_t slot) {
  Request& r = slots_[slot];
  const Notice notice{r.gave_up ? NoticeKind::kWasted : NoticeKind::kAnswered, r.client, r.tag,
                      sim.now() - r.submitted};
  if (!r.gave_up) {
    sim.cancel(r.timeout);
    latency_.add(notice.latency.to_seconds());
  }
  r.state = State::kFree;
  free_.push_back(slot);
  return notice;
}

template <class Sim> void ServiceQueue::set_available(Sim& sim, bool up) {
  down_ = !up;
  while (up && busy_ < servers_ && !waiting_.empty()) {
    const uint32_t next = waiting_.front();
    waiting_.pop_front();
    start(sim, next);
  }
  count_change(sim.now());
}

} // namespace hcesim::models
