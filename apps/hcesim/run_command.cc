#include "hcesim/run_command.h"

#include "hce/fare/fare_engine.h"
#include "hcesim/exit_code.h"
#include "hcesim/report_errors.h"
#include "hcesim/report_page.h"
#include "hcesim/results_folder.h"
#include "hcesim/version.h"
#include "models/world/world.h"
#include "study/expectations.h"
#include "study/kpi_estimate.h"
#include "study/mpi_session.h"
#include "study/study_plan.h"
#include "study/study_runner.h"
#include "study/study_writer.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <thread>

namespace hcesim::cli {
namespace {

// Replications of one point: the headline KPIs as a mean with its 95 % interval (summary.json
// holds every KPI so).
void print_headline_estimates(std::ostream& out,
                              const std::vector<study::ReplicationResult>& replications) {
  std::vector<std::vector<models::KpiRow>> rows;
  for (const study::ReplicationResult& r : replications) {
    rows.push_back(r.rows);
  }
  const std::vector<std::string> headline = {
      "taps_accepted",   "refusal_rate",         "riders_refused",     "fares_settled",
      "revenue_at_risk", "peak_credit_exposure", "token_requests_sent"};
  const auto short_number = [](double v) { // four significant digits: a headline
    std::ostringstream t;
    t << std::setprecision(4) << v;
    return t.str();
  };
  for (const study::KpiEstimate& e : study::estimate_kpis(rows)) {
    if (e.segment != "all" ||
        std::find(headline.begin(), headline.end(), e.kpi) == headline.end()) {
      continue;
    }
    out << "  " << e.kpi << ' ' << short_number(e.mean);
    if (std::isfinite(e.half_width)) {
      out << " +- " << short_number(e.half_width) << " (95 % CI, n=" << e.n << ')';
    }
    out << (e.unit == "count" || e.unit == "share" ? "" : " " + e.unit) << '\n';
  }
}

} // namespace

int run_run(const RunOptions& options) {
  // Before anything else: under mpirun every rank takes part; only rank 0 speaks and writes.
  const study::MpiSession mpi;
  const bool speaker = mpi.rank() == 0;
  study::StudyRequest request;
  request.scenario = options.scenario;
  std::error_code ec;
  if (options.scenario.empty()) {
    // None given: the default scenario here, or, run from outside the checkout, the one of the
    // checkout hcesim was built from. (A path typed is read as typed.)
    request.scenario = std::filesystem::exists(kDefaultScenario, ec) ? kDefaultScenario
                                                                     : HCESIM_SHIPPED_SCENARIOS_DIR
                           "/default.txtpb";
  }
  request.overrides = options.overrides;
  if (options.seed) {
    request.overrides.push_back("seed=" + std::to_string(*options.seed));
  }
  request.replications = options.replications;
  request.sweep = options.sweep;
  request.zip = options.zip;
  const study::PlannedStudy planned = study::plan_study(request);
  if (!planned.errors.empty()) {
    if (speaker) {
      report_errors(std::cerr, planned.errors);
    }
    return kBadInput;
  }
  const study::StudyPlan& plan = planned.plan;
  const models::ScenarioConfig& cfg = plan.points.front().config;
  // The name is a label, any text: made one folder name so the default stays in results/runs/.
  const std::filesystem::path dir =
      options.out.empty() ? default_run_folder(cfg.name, cfg.seed, options.overrides, options.sweep,
                                               options.zip, options.replications)
                          : std::filesystem::path(options.out);
  // Said at the end: a run replacing another's results should not do it silently.
  const bool replaces = results_kind(dir).ok();
  // Refused before the run, not after it; every rank sees the same folder and returns alike.
  if (const Result<void> usable = check_results_folder(dir); !usable.ok()) {
    if (speaker) {
      report_errors(std::cerr, {usable.error()});
    }
    return kBadInput;
  }

  study::RunnerOptions ro;
  ro.jobs = options.jobs == 0 ? std::max(1U, std::thread::hardware_concurrency()) : options.jobs;
  ro.context = {request.scenario, options.command_line, git_version(), !options.quiet && speaker};
  ro.quiet = options.quiet || !speaker;
  const auto outcome = study::run_study(plan, ro, mpi);
  if (!outcome) {
    return kOk; // a worker rank: rank 0 writes the results
  }
  if (outcome->failure) {
    report_errors(std::cerr, {*outcome->failure});
    // A run that broke an end-of-run invariant is the model's failure, not the input's.
    return outcome->failure->where == "invariant violated" ||
                   outcome->failure->where == "internal error"
               ? kInternalFailure
               : kBadInput;
  }
  // An earlier run's files go (they would otherwise sit beside this one's: rep-<k>/ after a
  // single run), but only once this run's are all written.
  if (const Result<void> written =
          replace_results(dir,
                          [&](const std::string& folder, std::string& error) {
                            return study::write_study(folder, plan, *outcome, ro.context, error);
                          });
      !written.ok()) {
    report_errors(std::cerr, {written.error()});
    return kBadInput;
  }
  if (cfg.city.source == models::CitySource::kGtfs) {
    // The fares of rows with an unknown reference are not used: say so, as validate and fare do
    // (reading the feed's fares again costs little next to the run).
    Errors warnings;
    if (fare::FareEngine::from_gtfs(cfg.city.gtfs_folder, {}, &warnings).ok()) {
      for (Error& w : warnings) {
        w = models::with_feed_folder(cfg, std::move(w));
      }
      report_rows_set_aside(std::cerr, warnings, "their fares are not used");
    }
  }
  if (!plan.sweep() && !plan.replicated()) {
    std::cout << outcome->points.front().front().report;
  } else {
    size_t runs = 0;
    for (const auto& p : outcome->points) {
      runs += p.size();
    }
    std::cout << (plan.sweep() ? "sweep " : "replications ") << cfg.name << ": "
              << plan.points.size() << " point(s), " << runs << " run(s) on " << outcome->ranks
              << " rank(s) x " << outcome->jobs << " job(s) in " << std::fixed
              << std::setprecision(1) << outcome->wall_s << std::defaultfloat << " s\n"
              << "  fingerprint " << study::fingerprint_text(study::study_fingerprint(*outcome))
              << '\n';
    if (!plan.sweep()) {
      print_headline_estimates(std::cout, outcome->points.front());
    }
    if (plan.study.precision) {
      for (size_t i = 0; i < outcome->points.size(); ++i) {
        std::cout << "  point " << i << ": " << outcome->points[i].size() << " replications, "
                  << (outcome->target_met[i] ? "precision target met"
                                             : "precision target NOT met (max_replications)")
                  << '\n';
      }
    }
  }
  std::cout << "results: " << dir.string()
            << (plan.sweep() || plan.replicated()
                    ? "\n"
                    : " (manifest.json, summary.json, kpis.csv: every KPI by segment, "
                      "timeseries.csv)\n");
  if (replaces) {
    std::cout << "  (the earlier results in that folder were replaced)\n";
  }
  std::cout << report_after_run(dir, options.no_report, std::cerr);
  return kOk;
}

} // namespace hcesim::cli
