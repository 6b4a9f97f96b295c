#pragma once
// A d-ary min-heap of events (d = 4 by default): shallower than a binary heap, and the four
// children of a node are adjacent, so each level of a sift-down touches few cache lines.
#include "sim/event.h"

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace hcesim::sim {

template <std::size_t D = 4> class DaryHeap {
  static_assert(D >= 2);

public:
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  void reserve(std::size_t n) { heap_.reserve(n); }

  void push(const Event& e) {
    heap_.push_back(e);
    // Sift up with a hole: move parents down until e's place is found.
    std::size_t i = heap_.size() - 1;
    while (i > 0) {
      std::size_t parent = (i - 1) / D;
      if (!(key(e) < key(heap_[parent]))) {
        break;
      }
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }

  Time top_time() const {
    assert(!heap_.empty());
    return heap_.front().time;
  }

  Event pop() {
    assert(!heap_.empty());
    const Event top = heap_.front();
    const Event last = heap_.back();
    heap_.pop_back();
    const std::size_t n = heap_.size();
    if (n == 0) {
      return top;
    }
    // Bottom-up: walk the hole down to a leaf along the smallest children (no comparison with
    // `last` on the way, as libstdc++ does), then sift `last` up from there; it usually belongs
    // near the bottom, so this saves a comparison per level.
    std::size_t i = 0;
    for (;;) {
      const std::size_t first = i * D + 1;
      if (first >= n) {
        break;
      }
      std::size_t best = first;
      const std::size_t end = first + D < n ? first + D : n;
      // Start loading the grandchildren now: the next level's misses then overlap this one's
      // instead of following it.
      const std::size_t grand = first * D + 1;
      if (grand < n) {
        const std::size_t last_grand = std::min(grand + D * D, n) - 1;
        const auto lo = reinterpret_cast<std::uintptr_t>(&heap_[grand]) & ~std::uintptr_t{63};
        const auto hi = reinterpret_cast<std::uintptr_t>(&heap_[last_grand]) + sizeof(Event) - 1;
        for (std::uintptr_t line = lo; line <= hi; line += 64) {
          __builtin_prefetch(reinterpret_cast<const void*>(line));
        }
      }
      for (std::size_t c = first + 1; c < end; ++c) {
        best = key(heap_[c]) < key(heap_[best]) ? c : best;
      }
      heap_[i] = heap_[best];
      i = best;
    }
    const Key k = key(last);
    while (i > 0) {
      const std::size_t parent = (i - 1) / D;
      if (!(k < key(heap_[parent]))) {
        break;
      }
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = last;
    return top;
  }

private:
  // (time, order) as one unsigned 128-bit number: one branch-free comparison.
  __extension__ typedef unsigned __int128 Key;
  static Key key(const Event& e) {
    const auto time = static_cast<uint64_t>(e.time.us()) ^ (uint64_t{1} << 63);
    return (static_cast<Key>(time) << 64) | e.order;
  }

  std::vector<Event> heap_;
};

using FourAryHeap = DaryHeap<4>;
static_assert(EventQueue<FourAryHeap>);

} // namespace hcesim::sim
