#pragma once
// A radix heap on the integer event time, built for millions of pending events. An event lives at
// level b = bit width of (time XOR base), where the base is a time at or below every queued
// event; pushing appends to one of 65 vectors whose tails stay in cache, and refilling splits the
// lowest level with sequential scans, so neither side chases pointers through a structure larger
// than the last-level cache. Once the lowest levels hold at most kRunTarget events they are sorted
// into a short run, stored last-first so it pops from the back: the next events are then known in
// advance, so the simulator can prefetch their state (peek()). Only a push before the run's last
// event joins the run (a soon event lands near the back: a short move); a run grown to kRunLimit
// goes back to the levels, so no push ever moves more than kRunLimit events. Needs monotone pushes
// (never below the last popped time, or anything once empty), which simulated time guarantees.
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
  //! Levels are sorted into a run once they hold at most this many events.
  static constexpr std::size_t kRunTarget = 128;
  //! A run that pushes have grown to this size goes back to the levels.
  static constexpr std::size_t kRunLimit = 2 * kRunTarget;

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }

  void push(const Event& e) {
    const uint64_t k = key(e.time);
    if (size_ == 0) {
      // Empty: any time is allowed again. Restart from the lowest base; the first pop then splits
      // everything once, relative to the true minimum.
      run_.clear();
      base_ = 0;
    }
    assert(k >= base_ && "RadixQueue needs monotone pushes");
    // Only an event before the run's last one must join it (the levels hold only later events);
    // an event at that time or after waits in the levels, as `e` runs after equal times anyway.
    if (!run_.empty() && k < key(run_.front().time)) {
      if (run_.size() < kRunLimit) {
        insert_into_run(e);
      } else {
        // Pushes keep landing in the run's span: give it back to the levels, so the next refill
        // splits them into a run over a shorter span.
        dissolve_run();
        place(e, k);
      }
    } else {
      place(e, k);
    }
    ++size_;
  }

  Time top_time() const {
    assert(size_ > 0);
    if (!run_.empty()) {
      return run_.back().time;
    }
    // Every key at a lower level is below every key at a higher one: the lowest non-empty level's
    // minimum is the queue's minimum.
    return Time::from_us(static_cast<int64_t>(mins_[lowest_level_exact()] ^ kSignBit));
  }

  Event pop() {
    assert(size_ > 0);
    if (run_.empty()) {
      refill();
    }
    const Event e = run_.back();
    run_.pop_back();
    --size_;
    return e;
  }

  //! Events' worth of buffer the queue holds (its memory, for tests and budgets).
  std::size_t capacity_held() const {
    std::size_t n = run_.capacity();
    for (const auto& level : levels_) {
      n += level.capacity();
    }
    return n;
  }

  //! The event `ahead` places behind the front, when already known (for prefetching), else null.
  const Event* peek(std::size_t ahead) const {
    return ahead < run_.size() ? &run_[run_.size() - 1 - ahead] : nullptr;
  }

private:
  static constexpr uint64_t kSignBit = uint64_t{1} << 63;
  static constexpr uint64_t kNoKey = std::numeric_limits<uint64_t>::max();
  static constexpr int kLevels = 65;
  //! A level emptied with more capacity than this gives it back. Levels take turns holding most
  //! events (a day's first trips of a million riders land in one level, then split down): kept,
  //! those buffers cost several times the queue's size for the whole run; re-grown, a few copies
  //! of the events a day.
  static constexpr std::size_t kKeptCapacity = 4096;
  // Order-preserving map of a signed time to an unsigned key.
  static uint64_t key(Time t) { return static_cast<uint64_t>(t.us()) ^ kSignBit; }

  std::size_t lowest_level() const {
    return nonempty_ == 0 ? 0 : static_cast<std::size_t>(std::countr_zero(nonempty_));
  }

  void place(const Event& e, uint64_t k) {
    const auto b = static_cast<std::size_t>(std::bit_width(k ^ base_));
    levels_[b].push_back(e);
    mins_[b] = std::min(mins_[b], k);
    nonempty_ |= uint64_t{1} << (b == 64 ? 63 : b); // bits 0..63 mark levels 0..63; 63 also 64
  }

  // The run is sorted last-first; `e` has the highest sequence so far, so it goes after every
  // queued event at its time, which is before them in the vector.
  void insert_into_run(const Event& e) {
    auto at = std::upper_bound(run_.begin(), run_.end(), e,
                               [](const Event& x, const Event& y) { return runs_before(y, x); });
    run_.insert(at, e);
  }

  void dissolve_run() {
    for (const Event& e : run_) {
      place(e, key(e.time));
    }
    run_.clear();
  }

  // The run is used up: split the lowest level until it is small, then sort the lowest levels
  // into a new run (every event left in the levels runs after all of it).
  void refill() {
    for (;;) {
      std::size_t b = lowest_level_exact();
      if (b != 0 && levels_[b].size() > kRunTarget) {
        split(b);
        continue;
      }
      // Take levels b, b+1, ... while they fit in the run; lower levels are empty.
      std::size_t top = b;
      std::size_t total = levels_[b].size();
      for (std::size_t next = b + 1; next < kLevels; ++next) {
        if (levels_[next].empty()) {
          continue;
        }
        if (total + levels_[next].size() > kRunTarget) {
          break;
        }
        total += levels_[next].size();
        top = next;
      }
      run_.clear();
      for (std::size_t l = b; l <= top; ++l) {
        run_.insert(run_.end(), levels_[l].begin(), levels_[l].end());
        clear_level(l);
      }
      std::sort(run_.begin(), run_.end(),
                [](const Event& x, const Event& y) { return runs_before(y, x); });
      return;
    }
  }

  std::size_t lowest_level_exact() const {
    for (std::size_t l = lowest_level(); l < kLevels; ++l) {
      if (!levels_[l].empty()) {
        return l;
      }
    }
    assert(false && "refill of an empty queue");
    return 0;
  }

  // Moves the base up to level b's minimum and spreads level b over the levels below it.
  void split(std::size_t b) {
    std::vector<Event> from;
    from.swap(levels_[b]);
    base_ = mins_[b];
    clear_level(b);
    for (const Event& e : from) {
      place(e, key(e.time));
    }
    if (b + 1 < kLevels && from.capacity() <= kKeptCapacity) {
      // Keep a small level's capacity for the next time it fills (saves reallocations).
      from.clear();
      levels_[b].swap(from);
    } // the top level only fills after the queue was empty (base 0): let it go
  }

  void clear_level(std::size_t l) {
    if (levels_[l].capacity() > kKeptCapacity) {
      std::vector<Event>().swap(levels_[l]);
    }
    levels_[l].clear();
    mins_[l] = kNoKey;
    if (l < 63) {
      nonempty_ &= ~(uint64_t{1} << l);
    } else if (levels_[63].empty() && levels_[64].empty()) {
      nonempty_ &= ~(uint64_t{1} << 63);
    }
  }

  static constexpr std::array<uint64_t, kLevels> no_keys() {
    std::array<uint64_t, kLevels> m{};
    m.fill(kNoKey);
    return m;
  }

  std::array<std::vector<Event>, kLevels> levels_;
  std::array<uint64_t, kLevels> mins_ = no_keys();
  uint64_t nonempty_ = 0;  // a hint: bit l set when level l may hold events (63: 63 or 64)
  uint64_t base_ = 0;      // key at or below every queued key; levels count from it
  std::vector<Event> run_; // sorted last-first: pops from the back
  std::size_t size_ = 0;
};

static_assert(EventQueue<RadixQueue>);

} // namespace hcesim::sim
