#include "study/replication.h"

#include "models/run/city_run.h"
#include "models/run/timeseries_writer.h"
#include "models/scenario/scenario_loader.h"
#include "sim/progress.h"
#include "study/kpi_estimate.h"

#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

namespace hcesim::study {
namespace {

long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// 16 digits, as `hcesim check` and the pins write a fingerprint: no dropped leading zeros.
std::string hex(uint64_t v) {
  std::ostringstream o;
  o << std::hex << std::setw(16) << std::setfill('0') << v;
  return o.str();
}

} // namespace

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

ReplicationResult run_replication(const models::ScenarioConfig& cfg,
                                  const proto::Scenario& resolved, const models::World& world,
                                  const RunContext& context) {
  ReplicationResult r;
  r.seed = cfg.seed;
  const auto wall_start = std::chrono::steady_clock::now();
  std::ostringstream series_text;
  models::TimeseriesWriter series(series_text, cfg);
  models::CityRun run(cfg, world);
  run.set_timeseries(&series);
  sim::Progress::Options po;
  po.quiet = !context.progress;
  sim::Progress progress(Time::epoch(), run.planned_end(), po);
  run.set_progress(&progress);
  run.run();
  if (const auto& broken =
          run.invariant_violation()) { // issue 16: a broken invariant fails the run
    r.error = Error{"invariant violated", broken->to_string()};
  }
  r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  r.fingerprint = run.fingerprint();
  r.events = run.events();
  r.rows = models::kpi_rows(run.kpis(), cfg.city.currency);
  const std::string currency(cfg.city.currency.code());

  std::ostringstream m;
  m << "{\n  \"scenario_file\": " << json_string(context.scenario_file)
    << ",\n  \"scenario\": " << json_string(models::scenario_to_text(resolved))
    << ",\n  \"seed\": " << cfg.seed
    << ",\n  \"command_line\": " << json_string(context.command_line)
    << ",\n  \"version\": " << json_string(context.version) << ",\n  \"fingerprint\": \""
    << hex(r.fingerprint) << "\",\n  \"events\": " << r.events
    << ",\n  \"wall_time_s\": " << number_text(r.wall_s)
    << ",\n  \"peak_memory_kib\": " << peak_rss_kib() << ",\n  \"currency\": \"" << currency
    << "\",\n  \"kind\": \"run\",\n  \"replications\": 1\n}\n";
  r.files.push_back({"manifest.json", m.str()});

  const std::vector<models::KpiRow>& kpis = r.rows;
  std::ostringstream j;
  j << "{\n  \"name\": " << json_string(cfg.name) << ",\n  \"currency\": \"" << currency
    << "\",\n  \"replications\": 1,\n  \"confidence_intervals\": \"none: a single run\",\n"
    << "  \"kpis\": {\n";
  std::vector<const models::KpiRow*> all;
  for (const models::KpiRow& k : kpis) {
    if (k.segment == "all") {
      all.push_back(&k);
    }
  }
  for (size_t i = 0; i < all.size(); ++i) {
    j << "    " << json_string(all[i]->kpi) << ": " << all[i]->text
      << (i + 1 < all.size() ? ",\n" : "\n");
  }
  j << "  },\n  \"units\": {\n";
  for (size_t i = 0; i < all.size(); ++i) {
    j << "    " << json_string(all[i]->kpi) << ": " << json_string(all[i]->unit)
      << (i + 1 < all.size() ? ",\n" : "\n");
  }
  j << "  },\n  \"segments\": {";
  // Each other segment's KPIs, {segment: {name: value}}, in kpis.csv's order.
  std::string open;
  for (const models::KpiRow& k : kpis) {
    if (k.segment == "all") {
      continue;
    }
    if (k.segment != open) {
      j << (open.empty() ? "\n    " : "\n    },\n    ") << json_string(k.segment) << ": {";
      open = k.segment;
    } else {
      j << ',';
    }
    j << "\n      " << json_string(k.kpi) << ": " << k.text;
  }
  j << (open.empty() ? "}\n}\n" : "\n    }\n  }\n}\n");
  r.files.push_back({"summary.json", j.str()});

  std::ostringstream c;
  c << "kpi,segment,value,unit\n";
  for (const models::KpiRow& k : kpis) {
    c << k.kpi << ',' << k.segment << ',' << (k.text == "null" ? "" : k.text) << ',' << k.unit
      << '\n';
  }
  r.files.push_back({"kpis.csv", c.str()});
  r.files.push_back({"timeseries.csv", series_text.str()});

  const models::RunKpis& k = run.kpis();
  int64_t refused = 0;
  for (const auto& x : k.taps_refused) {
    refused += x.value();
  }
  std::ostringstream p;
  p << "run " << cfg.name << ": " << cfg.population.riders << " riders, seed " << cfg.seed << ", "
    << run.events() << " events in " << std::fixed << std::setprecision(1) << r.wall_s
    << std::defaultfloat << " s\n"
    << "  taps accepted " << k.taps_accepted.value() << ", refused " << refused << " ("
    << std::fixed << std::setprecision(2)
    << 100.0 * static_cast<double>(refused) /
           static_cast<double>(std::max<int64_t>(1, refused + k.taps_accepted.value()))
    << std::defaultfloat << " %), riders who met a refusal " << k.riders_refused << '\n'
    << "  fares settled " << k.fares_settled.to_string();
  if (k.journeys_unfinished.value() > 0) {
    p << " (" << k.fares_unfinished.to_string() << " of it for " << k.journeys_unfinished.value()
      << " unfinished journeys)";
  }
  p << ", revenue at risk " << k.revenue_at_risk.to_string() << ", peak credit exposure "
    << k.peak_credit_exposure.to_string() << '\n'
    << "  token requests " << k.token_requests.sent.value() << " (peak " << std::setprecision(4)
    << k.token_requests.peak_per_second() << std::setprecision(6) << "/s), uploads "
    << k.uploads.sent.value() << ", top-ups " << k.top_ups.sent.value() << '\n'
    << "  fingerprint " << hex(r.fingerprint) << '\n';
  r.report = p.str();
  return r;
}

bool write_files(const std::string& dir, const std::vector<ResultFile>& files, std::string& error) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    error = dir + ": cannot create the results folder: " + ec.message();
    return false;
  }
  for (const ResultFile& f : files) {
    const std::filesystem::path path = std::filesystem::path(dir) / f.name;
    errno = 0;
    std::ofstream out(path, std::ios::binary);
    out << f.text;
    // Closed here, not by the destructor: a full disk often shows only when the buffer goes out.
    out.close();
    if (!out) {
      error = path.string() + ": cannot write" +
              (errno != 0 ? ": " + std::string(std::strerror(errno)) : "");
      return false;
    }
  }
  return true;
}

} // namespace hcesim::study
