#include "hcesim/run_command.h"

#include "hcesim/exit_code.h"
#include "hcesim/report_errors.h"
#include "hcesim/version.h"
#include "models/run/city_run.h"
#include "models/run/kpi_rows.h"
#include "models/run/timeseries_writer.h"
#include "models/scenario/scenario_loader.h"
#include "sim/progress.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <iterator>
#include <sstream>

namespace hcesim::cli {
namespace {

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (static_cast<unsigned char>(c) < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else {
        out += c;
      }
    }
  }
  return out + "\"";
}

std::string number(double v) {
  if (!std::isfinite(v)) {
    return "null";
  }
  std::ostringstream o;
  o.precision(10);
  o << v;
  return o.str();
}

long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

} // namespace

int run_run(const RunOptions& options) {
  std::vector<std::string> overrides = options.overrides;
  if (options.seed) {
    overrides.push_back("seed=" + std::to_string(*options.seed));
  }
  const models::LoadedScenario s = models::load_scenario(options.scenario, overrides);
  if (!s.ok()) {
    report_errors(std::cerr, s.errors);
    return kBadInput;
  }
  const models::ScenarioConfig& cfg = s.config;
  const auto wall_start = std::chrono::steady_clock::now();
  auto world = models::build_world(cfg);
  if (!world.ok()) {
    report_errors(std::cerr, {world.error()});
    return kBadInput;
  }
  const std::filesystem::path dir =
      options.out.empty()
          ? std::filesystem::path("results/runs") / (cfg.name + "-seed" + std::to_string(cfg.seed))
          : std::filesystem::path(options.out);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    std::cerr << "error: " << dir.string() << ": cannot create the results folder: " << ec.message()
              << '\n';
    return kBadInput;
  }
  std::ofstream series_file(dir / "timeseries.csv");
  models::TimeseriesWriter series(series_file, cfg);
  models::CityRun run(cfg, *world);
  run.set_timeseries(&series);
  sim::Progress::Options po;
  po.quiet = options.quiet;
  sim::Progress progress(Time::epoch(), run.planned_end(), po);
  run.set_progress(&progress);
  run.run();
  series_file.close();
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();

  const std::vector<models::KpiRow> rows = models::kpi_rows(run.kpis(), cfg.city.currency);
  std::vector<models::KpiRow> kpis; // the `all` segment
  std::copy_if(rows.begin(), rows.end(), std::back_inserter(kpis),
               [](const models::KpiRow& r) { return r.segment == "all"; });
  const std::string currency(cfg.city.currency.code());
  {
    std::ofstream m(dir / "manifest.json");
    m << "{\n  \"scenario_file\": " << json_string(options.scenario)
      << ",\n  \"scenario\": " << json_string(models::scenario_to_text(s.resolved))
      << ",\n  \"seed\": " << cfg.seed
      << ",\n  \"command_line\": " << json_string(options.command_line)
      << ",\n  \"version\": " << json_string(git_version()) << ",\n  \"fingerprint\": \""
      << std::hex << run.fingerprint() << std::dec << "\",\n  \"events\": " << run.events()
      << ",\n  \"wall_time_s\": " << number(wall_s)
      << ",\n  \"peak_memory_kib\": " << peak_rss_kib() << ",\n  \"currency\": \"" << currency
      << "\",\n  \"kind\": \"run\",\n  \"replications\": 1\n}\n";
  }
  {
    std::ofstream j(dir / "summary.json");
    j << "{\n  \"name\": " << json_string(cfg.name) << ",\n  \"currency\": \"" << currency
      << "\",\n  \"replications\": 1,\n  \"confidence_intervals\": \"none: a single run\",\n"
      << "  \"kpis\": {\n";
    for (size_t i = 0; i < kpis.size(); ++i) {
      j << "    " << json_string(kpis[i].kpi) << ": " << kpis[i].text
        << (i + 1 < kpis.size() ? ",\n" : "\n");
    }
    j << "  },\n  \"units\": {\n";
    for (size_t i = 0; i < kpis.size(); ++i) {
      j << "    " << json_string(kpis[i].kpi) << ": " << json_string(kpis[i].unit)
        << (i + 1 < kpis.size() ? ",\n" : "\n");
    }
    j << "  },\n  \"segments\": {";
    // Each other segment's KPIs, {segment: {name: value}}, in kpis.csv's order.
    std::string open;
    for (const models::KpiRow& r : rows) {
      if (r.segment == "all") {
        continue;
      }
      if (r.segment != open) {
        j << (open.empty() ? "\n    " : "\n    },\n    ") << json_string(r.segment) << ": {";
        open = r.segment;
      } else {
        j << ',';
      }
      j << "\n      " << json_string(r.kpi) << ": " << r.text;
    }
    j << (open.empty() ? "}\n}\n" : "\n    }\n  }\n}\n");
  }
  {
    std::ofstream c(dir / "kpis.csv");
    c << "kpi,segment,value,unit\n";
    for (const models::KpiRow& k : rows) {
      c << k.kpi << ',' << k.segment << ',' << (k.text == "null" ? "" : k.text) << ',' << k.unit
        << '\n';
    }
  }
  if (!std::filesystem::exists(dir / "kpis.csv") || !series_file) {
    std::cerr << "error: " << dir.string() << ": cannot write the results\n";
    return kBadInput;
  }
  const models::RunKpis& k = run.kpis();
  int64_t refused = 0;
  for (const auto& r : k.taps_refused) {
    refused += r.value();
  }
  std::cout << "run " << cfg.name << ": " << cfg.population.riders << " riders, seed " << cfg.seed
            << ", " << run.events() << " events in " << std::fixed << std::setprecision(1) << wall_s
            << std::defaultfloat << " s\n"
            << "  taps accepted " << k.taps_accepted.value() << ", refused " << refused << " ("
            << std::fixed << std::setprecision(2)
            << 100.0 * static_cast<double>(refused) /
                   static_cast<double>(std::max<int64_t>(1, refused + k.taps_accepted.value()))
            << std::defaultfloat << " %), riders who met a refusal " << k.riders_refused << '\n'
            << "  fares settled " << k.fares_settled.to_string() << ", revenue at risk "
            << k.cloud.revenue_at_risk.to_string() << ", peak credit exposure "
            << k.peak_credit_exposure.to_string() << '\n'
            << "  token requests " << k.token_requests.sent.value() << " (peak "
            << number(k.token_requests.peak_per_second()) << "/s), uploads "
            << k.uploads.sent.value() << ", top-ups " << k.top_ups.sent.value() << '\n'
            << "  fingerprint " << std::hex << run.fingerprint() << std::dec << '\n'
            << "results: " << dir.string()
            << " (manifest.json, summary.json, kpis.csv: every KPI by segment, timeseries.csv)\n";
  return kOk;
}

} // namespace hcesim::cli
