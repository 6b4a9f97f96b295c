#pragma once
// An event of the engine: a small plain struct (24 bytes) ordered by (time, insertion sequence),
// and the EventQueue concept every queue implementation satisfies (no virtual call per event).
#include "base/time.h"

#include <concepts>
#include <cstddef>
#include <cstdint>

namespace hcesim::sim {

//! One scheduled event. `order` packs the insertion sequence (high 48 bits) over the kind (low 16
//! bits), so comparing (time, order) compares (time, sequence): equal times run first-in
//! first-out and every run is reproducible.
struct Event {
  static constexpr int kKindBits = 16;
  static constexpr uint32_t kMaxKind = (1U << kKindBits) - 1;
  static constexpr uint64_t kMaxSeq = (uint64_t{1} << (64 - kKindBits)) - 1;

  Time time;
  uint64_t order = 0;
  uint32_t entity = 0;  //!< the entity the event is about (an LP, a rider, a validator)
  uint32_t payload = 0; //!< a little model-defined data (a second id, a small count)

  static constexpr uint64_t pack(uint64_t seq, uint32_t kind) { return (seq << kKindBits) | kind; }
  constexpr uint64_t seq() const { return order >> kKindBits; }
  constexpr uint32_t kind() const { return static_cast<uint32_t>(order & kMaxKind); }
};
static_assert(sizeof(Event) == 24, "queue entries stay small: layout decides engine speed");

//! True when `a` runs before `b`.
constexpr bool runs_before(const Event& a, const Event& b) {
  return a.time.us() < b.time.us() || (a.time.us() == b.time.us() && a.order < b.order);
}

//! What schedule() returns and cancel() takes. Sequence 0 is never used: a default handle is null.
struct EventHandle {
  Time time;
  uint64_t seq = 0;
  constexpr bool valid() const { return seq != 0; }
};

//! A priority queue of events by (time, order). Contract shared by every implementation: push()
//! never goes below the last popped event unless the queue is empty (simulated time is monotone,
//! which the radix queue relies on); pop() and top_time() need a non-empty queue.
template <class Q>
concept EventQueue = requires(Q q, const Q cq, const Event& e) {
  q.push(e);
  { q.pop() } -> std::same_as<Event>;
  { q.top_time() } -> std::same_as<Time>;
  { cq.empty() } -> std::convertible_to<bool>;
  { cq.size() } -> std::convertible_to<std::size_t>;
};

} // namespace hcesim::sim
