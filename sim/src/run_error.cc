#include "sim/run_error.h"

#include <utility>

namespace hcesim::sim {

namespace {
std::string describe(Time time, uint32_t kind, const std::string& kind_name, uint32_t entity,
                     const std::string& cause) {
  std::string name = kind_name.empty() ? "" : kind_name + " ";
  return "event " + name + "(kind " + std::to_string(kind) + ") of entity " +
         std::to_string(entity) + " at " + format_time(time) + " failed: " + cause;
}
} // namespace

RunError::RunError(Time time, uint32_t kind, std::string kind_name, uint32_t entity,
                   const std::string& cause)
    : std::runtime_error(describe(time, kind, kind_name, entity, cause)), time_(time), kind_(kind),
      kind_name_(std::move(kind_name)), entity_(entity) {}

ScheduleError::ScheduleError(Time requested, Time now)
    : std::logic_error("event scheduled at " + format_time(requested) +
                       ", before the current time " + format_time(now)) {}

} // namespace hcesim::sim
