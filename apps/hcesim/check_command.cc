#include "hcesim/check_command.h"

#include "hcesim/exit_code.h"
#include "hcesim/report_errors.h"
#include "hcesim/results_folder.h"
#include "hcesim/version.h"
#include "study/expectations.h"
#include "study/mpi_session.h"
#include "study/study_plan.h"
#include "study/study_runner.h"
#include "study/study_writer.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <thread>

namespace hcesim::cli {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> scenario_files(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const std::string& p : paths) {
    if (!fs::is_directory(p)) {
      files.push_back(p);
      continue;
    }
    std::vector<std::string> in_dir;
    for (const auto& e : fs::directory_iterator(p)) {
      const std::string ext = e.path().extension().string();
      if (e.is_regular_file() && (ext == ".txtpb" || ext == ".json")) {
        in_dir.push_back(e.path().string());
      }
    }
    std::sort(in_dir.begin(), in_dir.end());
    files.insert(files.end(), in_dir.begin(), in_dir.end());
  }
  // A file named twice (a folder and a file in it, or typed twice) is checked once.
  std::vector<std::string> once;
  std::set<fs::path> seen;
  for (const std::string& f : files) {
    std::error_code ec;
    const fs::path key = fs::weakly_canonical(fs::path(f), ec);
    if (seen.insert(ec ? fs::path(f) : key).second) {
      once.push_back(f);
    }
  }
  files = std::move(once);
  return files;
}

} // namespace

int run_check(const CheckOptions& options, std::ostream& out, std::ostream& err) {
  const study::MpiSession mpi;
  const bool speaker = mpi.rank() == 0;
  const std::vector<std::string> files = scenario_files(options.paths);
  if (files.empty()) {
    if (speaker) {
      err << "error: no scenario files (.txtpb, .json) in the paths given\n";
    }
    return kBadInput;
  }
  study::RunnerOptions ro;
  ro.jobs = options.jobs == 0 ? std::max(1U, std::thread::hardware_concurrency()) : options.jobs;
  ro.context = {"", options.command_line, git_version(), false};
  int failed = 0;
  int checked = 0;
  int invalid = 0;
  bool bad_input = false;
  std::map<fs::path, std::string> folder_of; // results folder -> the scenario file writing it
  for (const std::string& file : files) {
    study::StudyRequest request;
    request.scenario = file;
    const study::PlannedStudy planned = study::plan_study(request);
    if (!planned.errors.empty()) {
      if (speaker) {
        report_errors(err, planned.errors);
      }
      bad_input = true;
      ++invalid;
      continue;
    }
    const study::StudyPlan& plan = planned.plan;
    const fs::path dir = fs::path(options.out.empty() ? "results/runs/check" : options.out) /
                         folder_name(plan.points.front().config.name);
    // Two scenarios of one name would write one folder: the second's results replaced the first's.
    if (const auto [it, fresh] = folder_of.emplace(dir, file); !fresh) {
      if (speaker) {
        report_errors(err, {Error{file, "its name \"" + plan.points.front().config.name +
                                            "\" makes the same results folder as " + it->second +
                                            "'s: both would write " + dir.string() +
                                            " (give each scenario its own name)"}});
      }
      bad_input = true;
      ++invalid;
      continue;
    }
    if (const Result<void> usable = check_results_folder(dir); !usable.ok()) {
      if (speaker) {
        report_errors(err, {usable.error()});
      }
      bad_input = true;
      ++invalid;
      continue;
    }
    ro.context.scenario_file = file;
    const auto outcome = study::run_study(plan, ro, mpi);
    if (!outcome) {
      continue; // a worker rank
    }
    if (outcome->failure) {
      report_errors(err, {*outcome->failure});
      bad_input = true;
      ++invalid;
      continue;
    }
    if (const Result<void> written =
            replace_results(dir,
                            [&](const std::string& folder, std::string& error) {
                              return study::write_study(folder, plan, *outcome, ro.context, error);
                            });
        !written.ok()) {
      report_errors(err, {written.error()});
      bad_input = true;
      ++invalid;
      continue;
    }
    const auto verdicts = study::check_expectations(plan, *outcome);
    if (verdicts.empty()) {
      out << file << ": no expectations\n";
    }
    for (const auto& v : verdicts) {
      ++checked;
      failed += v.pass ? 0 : 1;
      out << (v.pass ? "ok   " : "FAIL ") << file << ": " << v.line << '\n';
    }
    if (options.update) {
      const std::string pin = study::fingerprint_text(study::study_fingerprint(*outcome));
      std::string before;
      std::string error;
      if (!study::rewrite_fingerprint(file, pin, before, error)) {
        err << "error: " << error << '\n';
        bad_input = true;
      } else if (before != pin) {
        out << "updated " << file << ": fingerprint \"" << before << "\" -> \"" << pin << "\"\n";
      }
    }
  }
  if (!speaker) {
    return kOk;
  }
  out << "check: " << files.size() << " scenario(s), " << checked << " expectation(s), " << failed
      << " failed";
  if (invalid > 0) {
    out << ", " << invalid << " scenario(s) not checked (errors above)";
  }
  out << (options.update ? " (fingerprints updated: review the diff)" : "") << '\n';
  if (bad_input) {
    return kBadInput;
  }
  return failed > 0 ? kCheckFailed : kOk;
}

} // namespace hcesim::cli
