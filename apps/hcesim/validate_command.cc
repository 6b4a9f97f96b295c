#include "hcesim/validate_command.h"

#include "hcesim/exit_code.h"
#include "hcesim/report_errors.h"
#include "models/scenario/scenario_loader.h"
#include "models/world/world.h"
#include "study/study_plan.h"

#include <iostream>

namespace hcesim::cli {

int run_validate(const ValidateOptions& options) {
  models::LoadedScenario s = models::load_scenario(options.scenario, options.overrides);
  if (!s.ok()) {
    report_errors(std::cerr, s.errors);
    return kBadInput;
  }
  if (options.print) {
    std::cout << models::scenario_to_text(s.resolved);
    return kOk;
  }
  // A sweep's points are scenarios too: load each as run would, so a bad axis value fails here.
  study::StudyRequest request;
  request.scenario = options.scenario;
  request.overrides = options.overrides;
  const study::PlannedStudy planned = study::plan_study(request);
  if (!planned.errors.empty()) {
    report_errors(std::cerr, planned.errors);
    return kBadInput;
  }
  const models::ScenarioConfig& c = s.config;
  // A city from a GTFS feed is only known good once read, and a fault window's validator once the
  // city is built: build it as `run` does, so a bad feed or window fails here with run's error.
  // (The synthetic city is made from checked fields.)
  std::string city;
  if (c.city.source == models::CitySource::kGtfs || !c.faults.windows.empty()) {
    const auto world = models::build_world(c);
    if (!world.ok()) {
      report_errors(std::cerr, {world.error()});
      return kBadInput;
    }
    report_rows_set_aside(std::cerr, world->feed_warnings, "their fares are not used");
    if (c.city.source == models::CitySource::kGtfs) {
      city = ", GTFS city of " + std::to_string(world->city.stop_count()) + " stops on " +
             std::to_string(world->city.route_count()) + " routes";
    }
  }
  std::cout << "ok: " << options.scenario << ": \"" << c.name << "\", " << c.population.riders
            << " riders, " << format_duration(c.warmup) << " warm-up + " << c.days
            << " measured day(s), offline limit " << c.token_policy.offline_limit
            << ", token lifetime " << format_duration(c.token_policy.lifetime) << ", seed "
            << c.seed << city;
  const auto& points = planned.plan.points;
  if (points.size() > 1) {
    // Each point's city and fault windows, as each run builds them (an axis may change the feed's
    // folder or service date, or a window's validator).
    for (size_t i = 1; i < points.size(); ++i) {
      const models::ScenarioConfig& p = points[i].config;
      if (p.city.source != models::CitySource::kGtfs && p.faults.windows.empty()) {
        continue;
      }
      if (const auto world = models::build_world(p); !world.ok()) {
        Error e = world.error();
        e.what = "sweep point " + std::to_string(i) + ": " + e.what;
        report_errors(std::cerr, {e});
        return kBadInput;
      }
    }
    std::cout << ", " << points.size() << " sweep points";
  }
  std::cout << '\n';
  return kOk;
}

} // namespace hcesim::cli
