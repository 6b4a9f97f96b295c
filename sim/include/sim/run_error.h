#pragma once
// Errors that stop a run: a handler that threw (RunError, naming the simulated time, the event
// kind and the entity) and a model that scheduled an event in the past (ScheduleError, a bug).
#include "base/time.h"

#include <cstdint>
#include <stdexcept>
#include <string>

namespace hcesim::sim {

//! A handler threw: the run stopped at this event. what() reads
//! "event <kind name> (kind K) of entity E at dD HH:MM:SS failed: <handler's message>".
class RunError : public std::runtime_error {
public:
  RunError(Time time, uint32_t kind, std::string kind_name, uint32_t entity,
           const std::string& cause);
  Time time() const { return time_; }
  uint32_t kind() const { return kind_; }
  const std::string& kind_name() const { return kind_name_; }
  uint32_t entity() const { return entity_; }

private:
  Time time_;
  uint32_t kind_;
  std::string kind_name_;
  uint32_t entity_;
};

//! Scheduling before the current simulated time: a bug in the model. Thrown rather than asserted
//! so that, raised inside a handler, it reaches the caller as a RunError naming the event.
class ScheduleError : public std::logic_error {
public:
  ScheduleError(Time requested, Time now);
};

} // namespace hcesim::sim
