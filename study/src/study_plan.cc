#include "study/study_plan.h"

#include "models/scenario/scenario_loader.h"

#include <string>

namespace hcesim::study {
namespace {

// "path=v1,v2,..." as sweep overrides appending axis `index`.
bool sweep_overrides(const std::string& arg, int index, std::vector<std::string>& out,
                     Errors& errors) {
  const size_t eq = arg.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == arg.size()) {
    errors.push_back(Error{"--sweep " + arg, "expected path.to.field=v1,v2,..."});
    return false;
  }
  const std::string axis = "sweep.axes[" + std::to_string(index) + "]";
  out.push_back(axis + ".field=" + arg.substr(0, eq));
  // getline would drop a trailing empty value ("1,2,"): split by hand so every one is seen.
  const std::string values = arg.substr(eq + 1);
  int j = 0;
  for (size_t from = 0;; ++j) {
    const size_t comma = values.find(',', from);
    const std::string v = values.substr(from, comma == std::string::npos ? comma : comma - from);
    if (v.empty()) {
      errors.push_back(Error{"--sweep " + arg, "value " + std::to_string(j + 1) + " is empty"});
      return false;
    }
    out.push_back(axis + ".values[" + std::to_string(j) + "]=" + v);
    if (comma == std::string::npos) {
      return true;
    }
    from = comma + 1;
  }
}

// The command line's axes became --set overrides of sweep.axes[k]: their errors name the --sweep
// argument the user typed instead, without the internal field path.
void label_sweep_errors(const std::vector<std::string>& sweep, int first_axis, Errors& errors) {
  for (Error& e : errors) {
    for (size_t i = 0; i < sweep.size(); ++i) {
      const std::string axis =
          "sweep.axes[" + std::to_string(first_axis + static_cast<int>(i)) + "]";
      const bool in_where = e.where.find(axis) != std::string::npos;
      const bool in_what = e.what.rfind(axis, 0) == 0;
      if (!in_where && !in_what) {
        continue;
      }
      e.where = "--sweep " + sweep[i];
      if (const size_t colon = e.what.find(": "); in_what && colon != std::string::npos) {
        e.what = e.what.substr(colon + 2);
      }
      break;
    }
  }
}

std::string describe(const std::vector<models::SweepAxisConfig>& axes,
                     const std::vector<std::string>& values) {
  std::string s;
  for (size_t a = 0; a < axes.size(); ++a) {
    s += (a == 0 ? "" : ", ") + axes[a].field + "=" + values[a];
  }
  return s;
}

} // namespace

std::vector<std::vector<std::string>> sweep_points(const std::vector<models::SweepAxisConfig>& axes,
                                                   bool zipped) {
  std::vector<std::vector<std::string>> points;
  if (axes.empty()) {
    points.emplace_back();
    return points;
  }
  if (zipped) {
    for (size_t i = 0; i < axes.front().values.size(); ++i) {
      std::vector<std::string> p;
      for (const auto& a : axes) {
        p.push_back(a.values[i]);
      }
      points.push_back(std::move(p));
    }
    return points;
  }
  points.emplace_back();
  for (const auto& a : axes) {
    std::vector<std::vector<std::string>> next;
    for (const auto& p : points) {
      for (const std::string& v : a.values) {
        next.push_back(p);
        next.back().push_back(v);
      }
    }
    points = std::move(next);
  }
  return points;
}

std::vector<std::string> point_overrides(const StudyPlan& plan, size_t index) {
  std::vector<std::string> out;
  const auto& axes = plan.study.axes;
  for (size_t a = 0; a < axes.size(); ++a) {
    out.push_back(axes[a].field + "=" + plan.points[index].values[a]);
  }
  return out;
}

PlannedStudy plan_study(const StudyRequest& request) {
  PlannedStudy out;
  std::vector<std::string> overrides = request.overrides;
  if (request.replications) {
    overrides.push_back("replications=" + std::to_string(*request.replications));
  }
  // Command-line axes go after the file's: count those first.
  int first_axis = 0;
  if (!request.sweep.empty() || request.zip) {
    const models::LoadedScenario probe = models::load_scenario(request.scenario, overrides);
    if (!probe.ok()) {
      out.errors = probe.errors;
      return out;
    }
    first_axis = static_cast<int>(probe.config.study.axes.size());
  }
  for (size_t i = 0; i < request.sweep.size(); ++i) {
    sweep_overrides(request.sweep[i], first_axis + static_cast<int>(i), overrides, out.errors);
  }
  if (request.zip) {
    overrides.push_back("sweep.design=ZIPPED");
  }
  if (!out.errors.empty()) {
    return out;
  }
  const models::LoadedScenario base = models::load_scenario(request.scenario, overrides);
  if (!base.ok()) {
    out.errors = base.errors;
    label_sweep_errors(request.sweep, first_axis, out.errors);
    return out;
  }
  // Options the scenario would silently override or that would do nothing: refused.
  for (const std::string& o : request.overrides) {
    const std::string field = o.substr(0, o.find('='));
    for (const auto& axis : base.config.study.axes) {
      if (axis.field == field) {
        out.errors.push_back(Error{"--set " + o, "the sweep varies " + field +
                                                     ": each point's value replaces this one"});
      }
    }
  }
  if (request.replications && base.config.study.precision) {
    out.errors.push_back(Error{"--replications", "the scenario's precision block decides how many "
                                                 "replications run: drop one or the other"});
  }
  if (request.zip && base.config.study.axes.empty()) {
    out.errors.push_back(Error{"--zip", "zips a sweep's axes (--sweep or the scenario's "
                                        "sweep.axes), and this study has none"});
  }
  if (!out.errors.empty()) {
    return out;
  }
  StudyPlan& plan = out.plan;
  plan.scenario_file = request.scenario;
  plan.study = base.config.study;
  if (!plan.sweep()) {
    plan.points.push_back(StudyPoint{{}, base.config, base.resolved});
    return out;
  }
  for (auto& values : sweep_points(plan.study.axes, plan.study.zipped)) {
    plan.points.push_back(StudyPoint{std::move(values), {}, {}});
  }
  for (size_t i = 0; i < plan.points.size(); ++i) {
    const std::vector<std::string> values = point_overrides(plan, i);
    std::vector<std::string> o = overrides;
    o.insert(o.end(), values.begin(), values.end());
    models::LoadedScenario point = models::load_scenario(request.scenario, o);
    for (Error e : point.errors) {
      // The point's values are --set overrides inside; the error names the axis they came from.
      for (size_t a = 0; a < values.size(); ++a) {
        // Axes past the file's came from --sweep (first_axis is the file's count only when there
        // is a --sweep: without one every axis is the file's).
        const int cli = static_cast<int>(a) - first_axis;
        const bool typed = cli >= 0 && static_cast<size_t>(cli) < request.sweep.size();
        const std::string set = "--set " + values[a];
        if (e.where == set) {
          e.where = typed ? "--sweep " + request.sweep[static_cast<size_t>(cli)]
                          : request.scenario + ": sweep.axes[" + std::to_string(a) + "]";
          break;
        }
        // A rule over a message the axis changes a field of: "file:2:3 (with --set v)".
        const size_t at = e.where.find(set);
        const size_t end = at == std::string::npos ? at : at + set.size();
        if (end < e.where.size() && (e.where[end] == ',' || e.where[end] == ')')) {
          e.where.replace(at, set.size(),
                          typed ? "--sweep " + request.sweep[static_cast<size_t>(cli)]
                                : "sweep.axes[" + std::to_string(a) + "] " + values[a]);
        }
      }
      e.what = "sweep point " + std::to_string(i) + " (" +
               describe(plan.study.axes, plan.points[i].values) + "): " + e.what;
      out.errors.push_back(std::move(e));
    }
    plan.points[i].config = std::move(point.config);
    plan.points[i].resolved = std::move(point.resolved);
  }
  return out;
}

} // namespace hcesim::study
