#include "models/cloud_queue/service_queue.h"

namespace hcesim::models {

ServiceQueue::ServiceQueue(const CloudServiceConfig& config, ServiceTime service, EventKinds kinds,
                           sim::RandomStream stream, Time start)
    : servers_(config.servers), buffer_(config.buffer), client_timeout_(config.client_timeout),
      fixed_latency_(config.fixed_latency), service_(service), kinds_(kinds), stream_(stream),
      stats_from_(start), number_(start), busy_servers_(start) {
  assert(servers_ >= 1 && client_timeout_ > Duration::zero() && kinds.done != kinds.timeout);
}

ServiceQueue ServiceQueue::exponential(const CloudServiceConfig& config, EventKinds kinds,
                                       sim::RandomStream stream, Time start) {
  return ServiceQueue(config, ServiceTime::exponential(config.mean_service_time).value(), kinds,
                      stream, start);
}

ServiceQueue ServiceQueue::of(const CloudServiceConfig& config, EventKinds kinds,
                              sim::RandomStream stream, Time start) {
  if (!config.service_time_cv) {
    return exponential(config, kinds, stream, start);
  }
  return ServiceQueue(
      config, ServiceTime::lognormal(config.mean_service_time, *config.service_time_cv).value(),
      kinds, stream, start);
}

uint32_t ServiceQueue::new_slot() {
  if (!free_.empty()) {
    const uint32_t s = free_.back();
    free_.pop_back();
    return s;
  }
  slots_.emplace_back();
  return static_cast<uint32_t>(slots_.size() - 1);
}

void ServiceQueue::count_change(Time now) {
  number_.set(now, static_cast<double>(in_system()));
  busy_servers_.set(now, static_cast<double>(busy_));
}

void ServiceQueue::advance(Time now) {
  number_.advance(now);
  busy_servers_.advance(now);
}

void ServiceQueue::restart_statistics(Time now) {
  number_.restart(now);
  busy_servers_.restart(now);
  accepted_.reset();
  refused_.reset();
  timed_out_.reset();
  completed_.reset();
  sojourn_.reset();
  wait_.reset();
  latency_ = sim::LogHistogram();
  stats_from_ = now;
}

} // namespace hcesim::models
