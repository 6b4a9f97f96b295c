#pragma once
// A d-ary min-heap of events (d = 4 by default): shallower than a binary heap, and the four
// children of a node are adjacent, so each level of a sift-down touches few cache lines.
#include "sim/event.h"

#include <cassert>
#include <cstddef>
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
      if (!runs_before(e, heap_[parent])) {
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
    Event top = heap_.front();
    Event last = heap_.back();
    heap_.pop_back();
    const std::size_t n = heap_.size();
    if (n == 0) {
      return top;
    }
    // Sift `last` down from the root with a hole.
    std::size_t i = 0;
    for (;;) {
      std::size_t first = i * D + 1;
      if (first >= n) {
        break;
      }
      std::size_t best = first;
      std::size_t end = first + D < n ? first + D : n;
      for (std::size_t c = first + 1; c < end; ++c) {
        if (runs_before(heap_[c], heap_[best])) {
          best = c;
        }
      }
      if (!runs_before(heap_[best], last)) {
        break;
      }
      heap_[i] = heap_[best];
      i = best;
    }
    heap_[i] = last;
    return top;
  }

private:
  std::vector<Event> heap_;
};

using FourAryHeap = DaryHeap<4>;
static_assert(EventQueue<FourAryHeap>);

} // namespace hcesim::sim
