#include "hcesim/compare_command.h"

#include "hcesim/exit_code.h"
#include "hcesim/report_errors.h"
#include "hcesim/report_page.h"
#include "hcesim/results_folder.h"
#include "study/comparison.h"
#include "study/kpi_estimate.h"
#include "study/replication.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <optional>

namespace hcesim::cli {
namespace {

// The manifest's top-level "currency" (every results manifest has it at the start of a line; the
// scenario text it also holds is one escaped line). Empty when absent (folders from before it).
std::string manifest_currency(const std::string& dir) {
  std::ifstream in(std::filesystem::path(dir) / "manifest.json");
  const std::string key = "\"currency\":";
  std::string line;
  while (std::getline(in, line)) {
    const size_t at = line.find_first_not_of(" \t");
    if (at == std::string::npos || line.compare(at, key.size(), key) != 0) {
      continue;
    }
    const size_t open = line.find('"', at + key.size());
    const size_t close = open == std::string::npos ? open : line.find('"', open + 1);
    if (close != std::string::npos) {
      return line.substr(open + 1, close - open - 1);
    }
  }
  return "";
}

// How the table's intervals were drawn, for its heading.
std::string pairing(const study::FolderKpis& a, const study::FolderKpis& b, bool paired) {
  if (paired) {
    return "paired: same seeds";
  }
  if (a.seeds.size() <= 1 && b.seeds.size() <= 1) {
    return "single runs: no interval";
  }
  if (a.seeds.size() <= 1 || b.seeds.size() <= 1) {
    return "a single run on one side: no interval"; // Welch's needs two or more on each
  }
  return "unpaired: different seeds";
}

} // namespace

int run_compare(const CompareOptions& options, std::ostream& out, std::ostream& err) {
  const auto a = study::read_folder_kpis(options.a);
  const auto b = study::read_folder_kpis(options.b);
  if (!a.ok() || !b.ok()) {
    Errors errors;
    for (const auto* r : {&a, &b}) {
      if (!r->ok()) {
        errors.push_back(r->error());
      }
    }
    report_errors(err, errors);
    return kBadInput;
  }
  // Money KPIs in two currencies cannot be subtracted (fares_settled CNY − INR is no number).
  const std::string currency_a = manifest_currency(options.a);
  const std::string currency_b = manifest_currency(options.b);
  if (!currency_a.empty() && !currency_b.empty() && currency_a != currency_b) {
    err << "error: " << options.b << " is in " << currency_b << " and " << options.a << " in "
        << currency_a << ": compare results folders of the same currency\n";
    return kBadInput;
  }
  const auto rows = study::compare_folders(*a, *b);
  namespace fs = std::filesystem;
  auto leaf = [](const std::string& p) {
    return fs::path(p).lexically_normal().filename().empty()
               ? fs::path(p).lexically_normal().parent_path().filename().string()
               : fs::path(p).lexically_normal().filename().string();
  };
  const fs::path dir =
      options.out.empty()
          ? fs::path("results/runs") / ("compare-" + leaf(options.a) + "-vs-" + leaf(options.b))
          : fs::path(options.out);
  const std::string manifest =
      "{\n  \"kind\": \"comparison\",\n  \"a\": " + study::json_string(options.a) +
      ",\n  \"b\": " + study::json_string(options.b) +
      ",\n  \"paired\": " + (!rows.empty() && rows.front().paired ? "true" : "false") + "\n}\n";
  Result<void> usable = check_results_folder(dir);
  for (const std::string& input : {options.a, options.b}) {
    // Clearing --out would delete an input in it (`compare sw/point-0 sw/point-1 --out sw` would
    // take the whole sweep's point-<i>/ folders with it).
    if (usable.ok() && within(input, dir)) {
      usable = Error{dir.string(),
                     "holds a folder being compared (" + input + "): give --out another folder"};
    }
  }
  if (usable.ok()) {
    usable = replace_results(dir, [&](const std::string& folder, std::string& error) {
      return study::write_files(
          folder, {{"comparison.csv", study::comparison_csv(rows)}, {"manifest.json", manifest}},
          error);
    });
  }
  if (!usable.ok()) {
    report_errors(err, {usable.error()});
    return kBadInput;
  }
  out << "B " << options.b << " against A " << options.a << " ("
      << pairing(*a, *b, !rows.empty() && rows.front().paired) << ")\n";
  for (const auto& r : rows) {
    out << "  " << std::left << std::setw(40) << r.kpi << " " << study::number_text(r.a_mean)
        << " -> " << study::number_text(r.b_mean) << "  diff " << study::number_text(r.difference);
    if (std::isfinite(r.ci_low)) { // the verdict says "no interval" otherwise; no [null, null]
      out << " [" << study::number_text(r.ci_low) << ", " << study::number_text(r.ci_high) << "]";
    }
    out << "  " << r.verdict << '\n';
  }
  // A KPI the same in every pair (trips, under common random numbers) cannot differ by chance.
  const auto tested = std::count_if(rows.begin(), rows.end(), [](const study::KpiComparison& r) {
    return std::isfinite(r.ci_low) && r.ci_low != r.ci_high;
  });
  if (tested > 1) {
    // Many KPIs at 5 % each, no correction: a few verdicts are expected by chance alone.
    out << "(each KPI tested alone at 5 %: of " << tested << ", about " << (tested + 10) / 20
        << " may differ by chance; confirm a verdict that matters with more "
        << "replications)\n";
  }
  out << "results: " << dir.string() << '\n';
  if (options.report) {
    const auto page = write_comparison_report(dir);
    if (!page.ok()) {
      err << "error: " << page.error().to_string() << '\n';
      return kInternalFailure;
    }
    out << "report: " << page->string() << '\n';
  }
  return kOk;
}

} // namespace hcesim::cli
