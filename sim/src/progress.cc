#include "sim/progress.h"

#include <unistd.h>

namespace hcesim::sim {

Progress::Progress(Time start, Time end, Options options)
    : options_(options), start_(start), end_(end), wall_start_(Clock::now()),
      last_line_(wall_start_) {
  active_ = !options_.quiet && options_.out != nullptr &&
            (options_.even_if_not_terminal || isatty(fileno(options_.out)) != 0);
}

void Progress::report(Time now, uint64_t events) {
  if (!active_) {
    return;
  }
  const Clock::time_point wall = Clock::now();
  if (wall - last_line_ < options_.interval) {
    return;
  }
  const double since_last = std::chrono::duration<double>(wall - last_line_).count();
  const double since_start = std::chrono::duration<double>(wall - wall_start_).count();
  const double rate =
      since_last > 0 ? static_cast<double>(events - last_events_) / since_last : 0.0;
  std::fprintf(options_.out, "progress: simulated %s, %.3g events/s", format_time(now).c_str(),
               rate);
  const double done = (now - start_).to_seconds();
  if (end_ != Time::max() && done > 0 && since_start > 0) {
    const double eta = (end_ - now).to_seconds() * since_start / done;
    std::fprintf(options_.out, ", ETA %.0f s", eta);
  }
  std::fputc('\n', options_.out);
  std::fflush(options_.out);
  last_line_ = wall;
  last_events_ = events;
  ++lines_;
}

} // namespace hcesim::sim
