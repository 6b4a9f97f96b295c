#pragma once
// What `hcesim run SCENARIO` is asked to do: the scenario's points (one, or one per sweep point,
// each loaded and checked with its axis values applied as `--set` overrides) and how many
// replications of each (a count, or a precision target).
#include "base/error.h"
#include "models/scenario/scenario_config.h"
#include "proto/scenario.pb.h"

#include <optional>
#include <string>
#include <vector>

namespace hcesim::study {

struct StudyPoint {
  std::vector<std::string> values; //!< one per axis
  models::ScenarioConfig config;
  proto::Scenario resolved;
};

struct StudyPlan {
  std::string scenario_file;
  models::StudyConfig study; //!< the scenario's study block (axes, replications, expectations)
  std::vector<StudyPoint> points;

  bool sweep() const { return !study.axes.empty(); }
  bool replicated() const { return study.precision.has_value() || study.replications > 1; }
  //! Replications of every point, or the most with a precision target.
  uint32_t max_replications() const {
    return study.precision ? study.precision->max_replications : study.replications;
  }
};

//! The command line's share: --set overrides, --replications, --sweep path=v1,v2 (added to the
//! scenario's axes), --zip.
struct StudyRequest {
  std::string scenario;
  std::vector<std::string> overrides;
  std::optional<uint32_t> replications;
  std::vector<std::string> sweep;
  bool zip = false;
};

struct PlannedStudy {
  StudyPlan plan;
  Errors errors; //!< empty when every point loads
};

PlannedStudy plan_study(const StudyRequest& request);

//! The --set overrides of point `index` ("field=value" per axis).
std::vector<std::string> point_overrides(const StudyPlan& plan, size_t index);

//! The axis values of every point: crossed (first axis slowest) or zipped.
std::vector<std::vector<std::string>> sweep_points(const std::vector<models::SweepAxisConfig>& axes,
                                                   bool zipped);

} // namespace hcesim::study
