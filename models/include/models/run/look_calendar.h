#pragma once
// The phones' background looks planned beyond the next minute, kept as rider ids by minute (4
// bytes each) instead of as events (24 bytes each, and every HCE rider always has one pending):
// each minute's looks go into the event queue a minute ahead.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

namespace hcesim::models {

class LookCalendar {
public:
  //! Minutes up to `fed_through` count as fed already (their looks go straight to the queue).
  explicit LookCalendar(int64_t fed_through = 1) : fed_through_(fed_through) {}

  //! Whether a look at whole second `second` must go to the event queue now.
  bool fed(int64_t second) const { return minute_of(second) <= fed_through_; }
  //! Keeps `rider`'s look at `second`, whose minute is not fed yet.
  void add(uint32_t rider, int64_t second);
  //! Feeds the next minute: calls f(rider) for each look kept for it, in the order added (a rider
  //! whose plan changed may come twice, or for a minute no longer its own: f checks).
  template <class F> int64_t feed_next(F&& f) {
    ++fed_through_;
    if (!minutes_.empty() && first_ == fed_through_) {
      for (const uint32_t rider : minutes_.front()) {
        f(rider);
      }
      minutes_.pop_front();
      ++first_;
    }
    return fed_through_;
  }
  //! The last minute fed.
  int64_t fed_through() const { return fed_through_; }
  //! Looks kept (not yet fed).
  size_t size() const;

  static int64_t minute_of(int64_t second) { return second / 60; }

private:
  int64_t fed_through_;
  int64_t first_ = 0; //!< the minute of minutes_.front()
  std::deque<std::vector<uint32_t>> minutes_;
};

} // namespace hcesim::models
