#pragma once
// A radix heap on the integer event time, built for millions of pending events. An event lives in
// bucket b = bit width of (time XOR last popped time); pushing appends to one of 65 vectors whose
// tails stay in cache, and popping redistributes one bucket at a time with sequential scans, so
// neither side chases pointers through a structure larger than the last-level cache. Each event
// moves to a strictly lower bucket at most 64 times (a few times in practice). Needs monotone
// pushes (never below the last popped time), which simulated time guarantees.
#include "sim/event.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace hcesim::sim {

class RadixQueue {
public:
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }

  void push(const Event& e) {
    const uint64_t k = key(e.time);
    if (size_ == 0) {
      // Empty: any time is allowed again. Restart from the lowest key; the first pop then
      // redistributes everything once, relative to the true minimum.
      buckets_[0].clear();
      head0_ = 0;
      last_ = 0;
    }
    assert(k >= last_ && "RadixQueue needs monotone pushes");
    place(e, k);
    ++size_;
  }

  Time top_time() const {
    assert(size_ > 0);
    if (head0_ < buckets_[0].size()) {
      return buckets_[0][head0_].time;
    }
    // Every key in a lower bucket is below every key in a higher one: the lowest non-empty
    // bucket's minimum is the queue's minimum.
    const int b = std::countr_zero(nonempty_) + 1;
    return Time::from_us(static_cast<int64_t>(mins_[static_cast<std::size_t>(b)] ^ kSignBit));
  }

  Event pop() {
    assert(size_ > 0);
    std::vector<Event>& now = buckets_[0];
    if (head0_ == now.size()) {
      refill();
    }
    Event e = now[head0_++];
    if (head0_ == now.size()) {
      now.clear();
      head0_ = 0;
    }
    --size_;
    return e;
  }

private:
  static constexpr uint64_t kSignBit = uint64_t{1} << 63;
  static constexpr uint64_t kNoKey = std::numeric_limits<uint64_t>::max();
  // Order-preserving map of a signed time to an unsigned key.
  static uint64_t key(Time t) { return static_cast<uint64_t>(t.us()) ^ kSignBit; }

  void place(const Event& e, uint64_t k) {
    const auto b = static_cast<std::size_t>(std::bit_width(k ^ last_));
    buckets_[b].push_back(e);
    if (b != 0) {
      mins_[b] = std::min(mins_[b], k);
      nonempty_ |= uint64_t{1} << (b - 1);
    }
  }

  // Bucket 0 (events at the last popped time) is used up: move the lowest non-empty bucket's
  // minimum time to `last_` and redistribute that bucket below it.
  void refill() {
    assert(nonempty_ != 0);
    const auto b = static_cast<std::size_t>(std::countr_zero(nonempty_) + 1);
    std::vector<Event>& from = buckets_[b];
    last_ = mins_[b];
    mins_[b] = kNoKey;
    nonempty_ &= ~(uint64_t{1} << (b - 1));
    buckets_[0].clear();
    head0_ = 0;
    for (const Event& e : from) {
      place(e, key(e.time));
    }
    from.clear();
    // The events now at the head share one time but reached it in any order: restore
    // insertion order. (Later pushes at this time carry higher sequences and append in order.)
    std::vector<Event>& now = buckets_[0];
    if (now.size() > 1) {
      std::sort(now.begin(), now.end(),
                [](const Event& x, const Event& y) { return x.order < y.order; });
    }
  }

  std::array<std::vector<Event>, 65> buckets_;
  std::array<uint64_t, 65> mins_ = filled_mins();
  uint64_t nonempty_ = 0; // bit b-1 set when bucket b (1..64) holds events
  uint64_t last_ = 0;     // key of the last popped time
  std::size_t head0_ = 0; // next event to pop in bucket 0
  std::size_t size_ = 0;

  static constexpr std::array<uint64_t, 65> filled_mins() {
    std::array<uint64_t, 65> m{};
    m.fill(kNoKey);
    return m;
  }
};

static_assert(EventQueue<RadixQueue>);

} // namespace hcesim::sim
