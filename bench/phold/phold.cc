#include "phold/phold.h"

#include "sim/simulator.h"

#include <chrono>
#include <ctime>

namespace hcesim::phold {

Phold::Phold(const PholdShape& shape)
    : start_(shape.start), remote_(shape.remote), lookahead_us_(shape.lookahead.us()),
      excess_us_(static_cast<double>((shape.mean - shape.lookahead).us())) {
  lps_.reserve(shape.lps);
  for (uint32_t lp = 0; lp < shape.lps; ++lp) {
    lps_.push_back(Lp{sim::RandomStream(shape.seed, sim::Purpose::kEngine, lp), 0});
  }
}

uint64_t Phold::total_events() const {
  uint64_t total = 0;
  for (const Lp& lp : lps_) {
    total += lp.events;
  }
  return total;
}

StdPriorityQueueLoop::StdPriorityQueueLoop(Phold& model) : model_(model) {}

void StdPriorityQueueLoop::start() {
  model_.start([this](Time t, uint32_t lp) { queue_.push(Entry{t.us(), seq_++, lp}); });
}

uint64_t StdPriorityQueueLoop::run_until(Time end, sim::Progress* progress) {
  uint64_t events = 0;
  while (!queue_.empty() && queue_.top().time < end.us()) {
    const Entry e = queue_.top();
    queue_.pop();
    ++events;
    fingerprint_.add(e.time, Phold::kKind, e.lp);
    const Phold::Hop h = model_.hop(e.lp);
    queue_.push(Entry{e.time + h.delay.us(), seq_++, h.to});
    if ((events & sim::Progress::kCheckMask) == 0 && progress != nullptr) {
      progress->report(Time::from_us(e.time), events);
    }
  }
  return events;
}

namespace {

using Clock = std::chrono::steady_clock;

double cpu_now() {
  return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

template <class Queue> PholdResult run_with(const PholdShape& shape, sim::Progress& progress) {
  Phold model(shape);
  sim::Simulator<Phold, Queue> sim(model);
  model.start_in(sim);
  sim.set_progress(&progress);
  const Clock::time_point begin = Clock::now();
  const double cpu_begin = cpu_now();
  sim.run_until(shape.end);
  const double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
  return PholdResult{sim.events_executed(), sim.fingerprint().value(), seconds,
                     cpu_now() - cpu_begin};
}

} // namespace

PholdResult run_phold(const PholdShape& shape, QueueChoice queue, bool quiet) {
  sim::Progress progress(Time::epoch(), shape.end, sim::Progress::Options{.quiet = quiet});
  switch (queue) {
  case QueueChoice::kHeap:
    return run_with<sim::FourAryHeap>(shape, progress);
  case QueueChoice::kRadix:
    return run_with<sim::RadixQueue>(shape, progress);
  case QueueChoice::kStd:
    break;
  }
  Phold model(shape);
  StdPriorityQueueLoop loop(model);
  loop.start();
  const Clock::time_point begin = Clock::now();
  const double cpu_begin = cpu_now();
  const uint64_t events = loop.run_until(shape.end, &progress);
  const double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
  return PholdResult{events, loop.fingerprint().value(), seconds, cpu_now() - cpu_begin};
}

} // namespace hcesim::phold
