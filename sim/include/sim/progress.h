#pragma once
// A progress line on stderr for long runs: simulated time reached, events/s and the ETA to the end
// time, at most once per interval of wall time. Silent when stderr is not a terminal or when quiet.
// The simulator only counts events; the wall clock is read every kCheckEvery events.
#include "base/time.h"

#include <chrono>
#include <cstdint>
#include <cstdio>

namespace hcesim::sim {

class Progress {
public:
  static constexpr uint64_t kCheckEvery = uint64_t{1} << 16;
  static constexpr uint64_t kCheckMask = kCheckEvery - 1;

  struct Options {
    bool quiet = false;
    std::FILE* out = stderr;
    //! Print even when `out` is not a terminal (tests).
    bool even_if_not_terminal = false;
    std::chrono::steady_clock::duration interval = std::chrono::seconds(1);
  };

  //! `end`: the run's end time for the ETA (Time::max() when unknown).
  Progress(Time start, Time end, Options options);
  explicit Progress(Time start, Time end) : Progress(start, end, Options{}) {}

  //! True when lines will be printed.
  bool active() const { return active_; }
  int lines_printed() const { return lines_; }

  //! Called with the simulated time and events executed so far; prints when the interval passed.
  void report(Time now, uint64_t events);

private:
  using Clock = std::chrono::steady_clock;
  Options options_;
  bool active_ = false;
  Time start_;
  Time end_;
  Clock::time_point wall_start_;
  Clock::time_point last_line_;
  uint64_t last_events_ = 0;
  int lines_ = 0;
};

} // namespace hcesim::sim
