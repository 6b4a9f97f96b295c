#include "study/comparison.h"

#include "sim/special_functions.h"
#include "study/kpi_estimate.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string_view>

namespace hcesim::study {
namespace {

namespace fs = std::filesystem;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  bool quoted = false;
  for (const char c : line) {
    if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      cells.push_back(cell);
      cell.clear();
    } else {
      cell += c;
    }
  }
  cells.push_back(cell);
  return cells;
}

double to_number(const std::string& s) {
  if (s.empty()) {
    return kNaN;
  }
  try {
    return std::stod(s);
  } catch (const std::exception&) {
    return kNaN;
  }
}

bool starts_with_any(std::string_view s, std::initializer_list<std::string_view> parts) {
  return std::any_of(parts.begin(), parts.end(),
                     [s](std::string_view p) { return s.starts_with(p); });
}

bool ends_with_any(std::string_view s, std::initializer_list<std::string_view> parts) {
  return std::any_of(parts.begin(), parts.end(),
                     [s](std::string_view p) { return s.ends_with(p); });
}

} // namespace

int better_direction(const std::string& kpi) {
  // By name, from docs/results.md's meanings, not from words in the names: "flood_refused_share"
  // (attackers' floods refused) is better higher, "fares_unsent" (money at risk) lower. Counts
  // that describe the load or the faults put in (trips, requests sent, outages, wallets lost)
  // and figures with no better side (top-ups approved, records flagged) have none. Only the
  // `all` segment is compared: the attacker:<kind> segments' own names are not listed.
  static const std::set<std::string_view> kLower = {"refusal_rate",
                                                    "taps_refused",
                                                    "riders_refused",
                                                    "riders_refused_share",
                                                    "trips_given_up",
                                                    "fallbacks",
                                                    "fallback_taps",
                                                    "retries",
                                                    "revenue_at_risk",
                                                    "unpaid_debt",
                                                    "peak_unpaid_debt",
                                                    "peak_credit_exposure",
                                                    "pending_fares",
                                                    "fares_unsent",
                                                    "fares_unfinished",
                                                    "journeys_unfinished",
                                                    "fraud_loss",
                                                    "attack_loss",
                                                    "settlement_lag_mean_s",
                                                    "settlement_lag_max_s",
                                                    "records_unsettled",
                                                    "honest_false_flags",
                                                    "honest_false_flag_rate",
                                                    "tokens_expired_unused",
                                                    "taps_expired_unused",
                                                    "grants_undelivered",
                                                    "top_ups_declined",
                                                    "fraudulent_taps_accepted",
                                                    "fraudulent_taps_before_detection",
                                                    "broke_riders_over_bound",
                                                    "taps_after_close"};
  static const std::set<std::string_view> kHigher = {"taps_accepted", "records_settled",
                                                     "honest_taps_settled", "fares_settled",
                                                     "flood_refused_share"};
  if (kLower.contains(kpi) ||
      starts_with_any(kpi, {"taps_refused_", "token_requests_refused_", "detection_delay_"}) ||
      ends_with_any(kpi, {"_queue_refused", "_timed_out", "_latency_p50_s", "_latency_p95_s",
                          "_latency_p99_s"})) {
    return -1;
  }
  return kHigher.contains(kpi) ? 1 : 0;
}

Result<FolderKpis> read_folder_kpis(const std::string& dir) {
  FolderKpis out;
  out.dir = dir;
  if (fs::exists(fs::path(dir) / "sweep.csv")) {
    return Error{dir, "is a sweep; compare two of its point-<i> folders"};
  }
  std::map<std::string, size_t> index;
  auto kpi_slot = [&](const std::string& name, const std::string& unit) {
    auto [it, fresh] = index.try_emplace(name, out.names.size());
    if (fresh) {
      out.names.push_back(name);
      out.units.push_back(unit);
      out.values.emplace_back();
    }
    return it->second;
  };
  std::string line;
  if (std::ifstream reps(fs::path(dir) / "replications.csv"); reps) {
    std::getline(reps, line); // replication,seed,kpi,segment,value,unit
    while (std::getline(reps, line)) {
      const auto c = split(line);
      if (c.size() < 6 || c[3] != "all") {
        continue;
      }
      const size_t k = std::stoul(c[0]);
      if (out.seeds.size() <= k) {
        out.seeds.resize(k + 1);
      }
      out.seeds[k] = std::stoull(c[1]);
      auto& v = out.values[kpi_slot(c[2], c[5])];
      v.resize(std::max(v.size(), k + 1), kNaN);
      v[k] = to_number(c[4]);
    }
  } else if (std::ifstream kpis(fs::path(dir) / "kpis.csv"); kpis) {
    std::getline(kpis, line); // kpi,segment,value,unit
    while (std::getline(kpis, line)) {
      const auto c = split(line);
      if (c.size() >= 4 && c[1] == "all") {
        out.values[kpi_slot(c[0], c[3])] = {to_number(c[2])};
      }
    }
    std::ifstream manifest(fs::path(dir) / "manifest.json");
    std::stringstream m;
    m << manifest.rdbuf();
    const std::string text = m.str();
    std::smatch seed;
    if (std::regex_search(text, seed, std::regex(R"("seed":\s*([0-9]+))"))) {
      out.seeds = {std::stoull(seed[1].str())};
    }
  } else {
    return Error{dir, "not a results folder (no replications.csv or kpis.csv)"};
  }
  if (out.names.empty()) {
    return Error{dir, "holds no KPIs of the all segment"};
  }
  return out;
}

FolderKpis folder_kpis_of(const std::vector<ReplicationResult>& replications) {
  FolderKpis out;
  std::map<std::string, size_t> index;
  for (size_t k = 0; k < replications.size(); ++k) {
    out.seeds.push_back(replications[k].seed);
    for (const models::KpiRow& r : replications[k].rows) {
      if (r.segment != "all") {
        continue;
      }
      auto [it, fresh] = index.try_emplace(r.kpi, out.names.size());
      if (fresh) {
        out.names.push_back(r.kpi);
        out.units.push_back(r.unit);
        out.values.emplace_back(replications.size(), kNaN);
      }
      out.values[it->second][k] = r.value; // NaN for a null
    }
  }
  return out;
}

std::vector<KpiComparison> compare_folders(const FolderKpis& a, const FolderKpis& b) {
  std::vector<KpiComparison> out;
  const bool same_seeds = a.seeds.size() >= 2 && a.seeds == b.seeds;
  for (size_t i = 0; i < a.names.size(); ++i) {
    size_t j = 0;
    while (j < b.names.size() && b.names[j] != a.names[i]) {
      ++j;
    }
    if (j == b.names.size()) {
      continue;
    }
    const auto& va = a.values[i];
    const auto& vb = b.values[j];
    KpiComparison c;
    c.kpi = a.names[i];
    c.unit = a.units[i];
    const KpiEstimate ea = estimate_values(va);
    const KpiEstimate eb = estimate_values(vb);
    c.a_mean = ea.mean;
    c.b_mean = eb.mean;
    c.difference = eb.mean - ea.mean;
    c.ci_low = c.ci_high = kNaN;
    if (same_seeds && va.size() == vb.size()) {
      // Common random numbers: the pairs' differences have far less variance than either.
      std::vector<double> d;
      for (size_t k = 0; k < va.size(); ++k) {
        d.push_back(vb[k] - va[k]);
      }
      const KpiEstimate ed = estimate_values(d);
      c.paired = true;
      c.difference = ed.mean;
      c.ci_low = ed.ci_low();
      c.ci_high = ed.ci_high();
    } else if (ea.n >= 2 && eb.n >= 2) {
      // Welch's interval for independent samples.
      auto var = [](const std::vector<double>& v, double mean, int64_t n) {
        double s = 0;
        for (const double x : v) {
          if (std::isfinite(x)) {
            s += (x - mean) * (x - mean);
          }
        }
        return s / static_cast<double>(n - 1) / static_cast<double>(n);
      };
      const double qa = var(va, ea.mean, ea.n);
      const double qb = var(vb, eb.mean, eb.n);
      const double se = std::sqrt(qa + qb);
      if (se > 0) {
        const double dof =
            (qa + qb) * (qa + qb) /
            (qa * qa / static_cast<double>(ea.n - 1) + qb * qb / static_cast<double>(eb.n - 1));
        const double hw = sim::student_t_quantile(0.975, dof) * se;
        c.ci_low = c.difference - hw;
        c.ci_high = c.difference + hw;
      } else {
        c.ci_low = c.ci_high = c.difference;
      }
    }
    const bool significant =
        std::isfinite(c.ci_low) && (c.ci_low > 0 || c.ci_high < 0) && c.difference != 0;
    const int dir = better_direction(c.kpi);
    if (!std::isfinite(c.ci_low)) {
      c.verdict = "no interval"; // single runs: untested, not "no difference"
    } else if (!significant) {
      c.verdict = "no significant difference";
    } else if (dir == 0) {
      c.verdict = c.difference > 0 ? "higher" : "lower";
    } else {
      c.verdict = (c.difference > 0) == (dir > 0) ? "better" : "worse";
    }
    out.push_back(c);
  }
  return out;
}

std::string comparison_csv(const std::vector<KpiComparison>& rows) {
  auto cell = [](double v) {
    const std::string t = number_text(v);
    return t == "null" ? std::string() : t;
  };
  std::ostringstream o;
  o << "kpi,unit,a_mean,b_mean,difference,ci_low,ci_high,paired,verdict\n";
  for (const KpiComparison& c : rows) {
    o << c.kpi << ',' << c.unit << ',' << cell(c.a_mean) << ',' << cell(c.b_mean) << ','
      << cell(c.difference) << ',' << cell(c.ci_low) << ',' << cell(c.ci_high) << ','
      << (c.paired ? "true" : "false") << ',' << c.verdict << '\n';
  }
  return o.str();
}

} // namespace hcesim::study
