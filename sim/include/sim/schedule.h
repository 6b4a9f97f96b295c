#pragma once
// The pending events of a run: one EventQueue plus insertion sequence numbers and cancellation by
// handle. Cancellation is lazy (a cancelled event stays queued and is dropped when it reaches the
// front) and bounded: the cancelled set only ever holds events still in the queue.
#include "sim/event.h"
#include "sim/sequence_set.h"

#include <cassert>
#include <cstddef>
#include <cstdint>

namespace hcesim::sim {

template <EventQueue Queue> class Schedule {
public:
  //! Queues an event. `t` must not be before the last popped event (unless nothing is queued).
  EventHandle push(Time t, uint32_t kind, uint32_t entity, uint32_t payload) {
    assert(kind <= Event::kMaxKind);
    assert(next_seq_ <= Event::kMaxSeq);
    if (queue_.empty()) {
      // Every earlier event is gone: handles older than this one are all stale.
      fresh_from_ = next_seq_;
      popped_ = EventHandle{};
    }
    assert(queue_.empty() || !popped_.valid() || t >= popped_.time);
    const uint64_t seq = next_seq_++;
    queue_.push(Event{t, Event::pack(seq, kind), entity, payload});
    ++live_;
    return EventHandle{t, seq};
  }

  //! Cancels a pending event: true if it was pending, false if it already ran or was cancelled.
  bool cancel(EventHandle h) {
    if (!h.valid() || h.seq < fresh_from_ || h.seq >= next_seq_ || already_popped(h)) {
      return false;
    }
    if (!cancelled_.insert(h.seq)) {
      return false;
    }
    --live_;
    return true;
  }

  //! Live (not cancelled) pending events.
  std::size_t size() const { return live_; }
  //! True while anything, even a cancelled event, is still queued.
  bool has_entries() const { return !queue_.empty(); }
  //! Time of the front entry (possibly a cancelled one). Needs has_entries().
  Time next_time() { return queue_.top_time(); }

  //! Removes the front entry: true and `out` set when it is live, false when it was cancelled.
  bool pop(Event& out) {
    out = queue_.pop();
    popped_ = EventHandle{out.time, out.seq()};
    if (!cancelled_.empty() && cancelled_.erase(out.seq())) {
      return false;
    }
    --live_;
    return true;
  }

  //! The live-or-cancelled event `ahead` places behind the front, when the queue knows it
  //! cheaply (for prefetching a model's state), else null.
  const Event* peek(std::size_t ahead) const {
    if constexpr (requires(const Queue& q) { q.peek(ahead); }) {
      return queue_.peek(ahead);
    } else {
      return nullptr;
    }
  }

  Queue& queue() { return queue_; }

private:
  // Pops come out in strictly increasing (time, seq) order and every queued event lies above the
  // last one popped, so a handle at or below it has left the queue.
  bool already_popped(EventHandle h) const {
    if (!popped_.valid()) {
      return false;
    }
    return h.time < popped_.time || (h.time == popped_.time && h.seq <= popped_.seq);
  }

  Queue queue_;
  SequenceSet cancelled_;   // cancelled events still queued
  EventHandle popped_;      // last popped entry since the queue was last empty
  uint64_t next_seq_ = 1;   // 0 is the null handle
  uint64_t fresh_from_ = 1; // handles below this sequence are stale
  std::size_t live_ = 0;
};

} // namespace hcesim::sim
