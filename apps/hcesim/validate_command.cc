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
  // A city from a GTFS feed is only known good once read: build it as `run` does, so a bad feed
  // fails here with run's error. (The synthetic city is made from checked fields.)
  std::string city;
  if (c.city.source == models::CitySource::kGtfs) {
    const auto world = models::build_world(c);
    if (!world.ok()) {
      report_errors(std::cerr, {world.error()});
      return kBadInput;
    }
    report_rows_set_aside(std::cerr, world->feed_warnings, "their fares are not used");
    city = ", GTFS city of " + std::to_string(world->city.stop_count()) + " stops on " +
           std::to_string(world->city.route_count()) + " routes";
  }
  std::cout << "ok: " << options.scenario << ": \"" << c.name << "\", " << c.population.riders
            << " riders, " << format_duration(c.warmup) << " warm-up + " << c.days
            << " measured day(s), offline limit " << c.token_policy.offline_limit
            << ", token lifetime " << format_duration(c.token_policy.lifetime) << ", seed "
            << c.seed << city;
  if (planned.plan.points.size() > 1) {
    std::cout << ", " << planned.plan.points.size() << " sweep points";
  }
  std::cout << '\n';
  return kOk;
}

} // namespace hcesim::cli
