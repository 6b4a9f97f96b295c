#include "hcesim/run_command.h"

#include "hcesim/exit_code.h"
#include "hcesim/report_errors.h"
#include "hcesim/version.h"
#include "models/run/city_run.h"
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

std::string yuan(Money m) {
  const int64_t v = m.minor();
  const uint64_t a = v < 0 ? uint64_t{0} - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  return (v < 0 ? "-" : "") + std::to_string(a / 100) + (a % 100 < 10 ? ".0" : ".") +
         std::to_string(a % 100);
}

struct Kpi {
  std::string name;
  std::string value; //!< JSON number text
};

void add_requests(std::vector<Kpi>& k, const std::string& name, const models::RequestFigures& f) {
  k.push_back({name + "_sent", std::to_string(f.sent.value())});
  k.push_back({name + "_queue_refused", std::to_string(f.queue_refused.value())});
  k.push_back({name + "_timed_out", std::to_string(f.timed_out.value())});
  k.push_back({name + "_peak_per_second", number(f.peak_per_second())});
  k.push_back({name + "_latency_p50_s", number(f.latency_s.quantile(0.5))});
  k.push_back({name + "_latency_p95_s", number(f.latency_s.quantile(0.95))});
  k.push_back({name + "_latency_p99_s", number(f.latency_s.quantile(0.99))});
}

std::vector<Kpi> kpis_of(const models::RunKpis& k) {
  std::vector<Kpi> out;
  int64_t refused = 0;
  for (const auto& c : k.taps_refused) {
    refused += c.value();
  }
  out.push_back({"trips", std::to_string(k.trips.value())});
  out.push_back({"taps_accepted", std::to_string(k.taps_accepted.value())});
  out.push_back({"taps_refused", std::to_string(refused)});
  for (int r = 1; r < models::kTapFailureCount; ++r) {
    std::string reason = models::tap_failure_name(r);
    std::replace(reason.begin(), reason.end(), ' ', '_');
    out.push_back(
        {"taps_refused_" + reason, std::to_string(k.taps_refused[static_cast<size_t>(r)].value())});
  }
  out.push_back({"card_taps", std::to_string(k.card_taps.value())});
  out.push_back({"fallback_taps", std::to_string(k.fallback_taps.value())});
  out.push_back({"retries", std::to_string(k.retries.value())});
  out.push_back({"fallbacks", std::to_string(k.fallbacks.value())});
  out.push_back({"trips_given_up", std::to_string(k.gave_up.value())});
  out.push_back({"riders_refused", std::to_string(k.riders_refused)});
  out.push_back({"fares_settled_yuan", yuan(k.fares_settled)});
  out.push_back({"unpaid_debt_yuan", yuan(k.cloud.unpaid_debt)});
  out.push_back({"pending_fares_yuan", yuan(k.cloud.pending_fares)});
  out.push_back({"fraud_loss_yuan", yuan(k.cloud.fraud_loss)});
  out.push_back({"revenue_at_risk_yuan", yuan(k.cloud.revenue_at_risk)});
  out.push_back({"peak_unpaid_debt_yuan", yuan(k.peak_unpaid_debt)});
  out.push_back({"records_unsettled", std::to_string(k.records_unsettled)});
  out.push_back({"settlement_lag_mean_s", number(k.cloud.mean_lag.to_seconds())});
  out.push_back({"settlement_lag_max_s", number(k.cloud.max_lag.to_seconds())});
  add_requests(out, "token_requests", k.token_requests);
  out.push_back({"grants", std::to_string(k.grants.value())});
  out.push_back({"grants_undelivered", std::to_string(k.grants_undelivered.value())});
  out.push_back({"tokens_expired_unused", std::to_string(k.tokens_expired_unused.value())});
  out.push_back({"taps_expired_unused", std::to_string(k.taps_expired_unused.value())});
  add_requests(out, "uploads", k.uploads);
  out.push_back({"records_settled", std::to_string(k.records_settled.value())});
  out.push_back({"records_duplicate", std::to_string(k.records_duplicate.value())});
  out.push_back({"records_flagged", std::to_string(k.records_flagged.value())});
  add_requests(out, "top_ups", k.top_ups);
  out.push_back({"top_ups_approved", std::to_string(k.top_ups_approved.value())});
  out.push_back({"top_ups_declined", std::to_string(k.top_ups_declined.value())});
  return out;
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
  models::CityRun run(cfg, *world);
  sim::Progress::Options po;
  po.quiet = options.quiet;
  sim::Progress progress(Time::epoch(), run.planned_end(), po);
  run.set_progress(&progress);
  run.run();
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();

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
  const std::vector<Kpi> kpis = kpis_of(run.kpis());
  {
    std::ofstream m(dir / "manifest.json");
    m << "{\n  \"scenario_file\": " << json_string(options.scenario)
      << ",\n  \"scenario\": " << json_string(models::scenario_to_text(s.resolved))
      << ",\n  \"seed\": " << cfg.seed
      << ",\n  \"command_line\": " << json_string(options.command_line)
      << ",\n  \"version\": " << json_string(git_version()) << ",\n  \"fingerprint\": \""
      << std::hex << run.fingerprint() << std::dec << "\",\n  \"events\": " << run.events()
      << ",\n  \"wall_time_s\": " << number(wall_s)
      << ",\n  \"peak_memory_kib\": " << peak_rss_kib() << ",\n  \"replications\": 1\n}\n";
  }
  {
    std::ofstream j(dir / "summary.json");
    j << "{\n  \"name\": " << json_string(cfg.name)
      << ",\n  \"confidence_intervals\": \"none: a single run\",\n  \"kpis\": {\n";
    for (size_t i = 0; i < kpis.size(); ++i) {
      j << "    " << json_string(kpis[i].name) << ": " << kpis[i].value
        << (i + 1 < kpis.size() ? ",\n" : "\n");
    }
    j << "  }\n}\n";
  }
  {
    std::ofstream c(dir / "kpis.csv");
    c << "kpi,segment,value\n";
    for (const Kpi& k : kpis) {
      c << k.name << ",all," << (k.value == "null" ? "" : k.value) << '\n';
    }
  }
  if (!std::filesystem::exists(dir / "kpis.csv")) {
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
            << "  taps accepted " << k.taps_accepted.value() << ", refused " << refused
            << ", riders who met a refusal " << k.riders_refused << '\n'
            << "  fares settled " << yuan(k.fares_settled) << ", revenue at risk "
            << yuan(k.cloud.revenue_at_risk) << '\n'
            << "  token requests " << k.token_requests.sent.value() << " (peak "
            << number(k.token_requests.peak_per_second()) << "/s), uploads "
            << k.uploads.sent.value() << ", top-ups " << k.top_ups.sent.value() << '\n'
            << "  fingerprint " << std::hex << run.fingerprint() << std::dec << '\n'
            << "results: " << dir.string() << '\n';
  return kOk;
}

} // namespace hcesim::cli
