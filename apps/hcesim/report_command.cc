#include "hcesim/report_command.h"

#include "hcesim/exit_code.h"
#include "hcesim/report_errors.h"
#include "hcesim/report_inputs.h"
#include "hcesim/report_page.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

namespace hcesim::cli {
namespace {

// Targets mark sweep points: on another kind of folder, or naming a KPI the sweep has no column
// for (a typo), they used to be ignored or only noted inside the page.
Errors check_targets(const std::filesystem::path& dir, const std::string& kind,
                     const std::vector<std::string>& typed,
                     const std::vector<ReportTarget>& targets) {
  Errors errors;
  if (targets.empty()) {
    return errors;
  }
  if (kind != "sweep") {
    errors.push_back(Error{"--target", "marks a sweep's points; " + dir.string() + " holds a " +
                                           kind + ", not a sweep"});
    return errors;
  }
  std::ifstream csv(dir / "sweep.csv");
  std::string header;
  std::getline(csv, header);
  std::vector<std::string> kpis;
  std::stringstream cells(header);
  for (std::string cell; std::getline(cells, cell, ',');) {
    if (cell.size() > 5 && cell.compare(cell.size() - 5, 5, "_mean") == 0) {
      kpis.push_back(cell.substr(0, cell.size() - 5));
    }
  }
  for (size_t i = 0; i < targets.size(); ++i) {
    if (std::find(kpis.begin(), kpis.end(), targets[i].kpi) != kpis.end()) {
      continue;
    }
    const std::optional<std::string> near = nearest_name(targets[i].kpi, kpis);
    const std::string hint = near ? " (did you mean " + *near + "?)" : "";
    errors.push_back(Error{"--target " + typed[i], "no KPI " + targets[i].kpi + " in " +
                                                       (dir / "sweep.csv").string() + hint});
  }
  return errors;
}

} // namespace

int run_report(const ReportOptions& options, std::ostream& out, std::ostream& err) {
  ReportSettings settings;
  settings.assets =
      options.assets.empty() ? default_report_assets() : std::filesystem::path(options.assets);
  Errors errors;
  for (const std::string& t : options.targets) {
    Result<ReportTarget> target = parse_report_target(t);
    if (target.ok()) {
      settings.targets.push_back(std::move(target).value());
    } else {
      errors.push_back(target.error());
    }
  }
  if (const Result<std::string> kind = results_kind(options.dir); !kind.ok()) {
    errors.push_back(kind.error());
  } else {
    Errors inputs = check_report_inputs(options.dir, *kind);
    if (inputs.empty() && errors.empty()) { // every target parsed: typed[i] is targets[i]
      for (Error& e : check_targets(options.dir, *kind, options.targets, settings.targets)) {
        errors.push_back(std::move(e));
      }
    }
    for (Error& e : inputs) {
      errors.push_back(std::move(e));
    }
  }
  if (!errors.empty()) {
    report_errors(err, errors);
    return kBadInput;
  }
  // A missing chart library is this machine's setup, not the user's input.
  if (const Result<void> ok = check_report_assets(settings.assets); !ok.ok()) {
    report_errors(err, {ok.error()});
    return kInternalFailure;
  }
  const auto written = write_report(options.dir, settings);
  if (!written.ok()) {
    report_errors(err, {written.error()});
    return kInternalFailure;
  }
  out << "report: " << written->string() << '\n';
  return kOk;
}

} // namespace hcesim::cli
