#include "study/study_writer.h"

#include "models/scenario/scenario_loader.h"
#include "sim/fingerprint.h"
#include "study/comparison.h"
#include "study/kpi_estimate.h"
#include "study/metamodel.h"

#include <sys/resource.h>

#include <cmath>
#include <iomanip>
#include <sstream>

namespace hcesim::study {
namespace {

// 16 digits, as `hcesim check` and the pins write a fingerprint: no dropped leading zeros.
std::string hex(uint64_t v) {
  std::ostringstream o;
  o << std::hex << std::setw(16) << std::setfill('0') << v;
  return o.str();
}

long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

std::string csv_number(double v) {
  const std::string t = number_text(v);
  return t == "null" ? "" : t;
}

std::vector<std::vector<models::KpiRow>> rows_of(const std::vector<ReplicationResult>& reps) {
  std::vector<std::vector<models::KpiRow>> rows;
  for (const ReplicationResult& r : reps) {
    rows.push_back(r.rows);
  }
  return rows;
}

uint64_t fold(const std::vector<ReplicationResult>& reps) {
  sim::Fingerprint f;
  for (const ReplicationResult& r : reps) {
    f.add_value(r.fingerprint);
  }
  return f.value();
}

// Common to the replications and sweep manifests.
void manifest_head(std::ostringstream& m, const char* kind, const StudyPlan& plan,
                   const StudyPoint& point, const RunContext& context) {
  m << "{\n  \"kind\": \"" << kind
    << "\",\n  \"scenario_file\": " << json_string(context.scenario_file)
    << ",\n  \"scenario\": " << json_string(models::scenario_to_text(point.resolved))
    << ",\n  \"seed\": " << point.config.seed
    << ",\n  \"command_line\": " << json_string(context.command_line)
    << ",\n  \"version\": " << json_string(context.version) << ",\n  \"currency\": \""
    << point.config.city.currency.code() << "\"";
  if (plan.study.precision) {
    const auto& p = *plan.study.precision;
    m << ",\n  \"precision\": {\"kpis\": [";
    for (size_t i = 0; i < p.kpis.size(); ++i) {
      m << (i == 0 ? "" : ", ") << json_string(p.kpis[i]);
    }
    m << "], \"relative_half_width\": " << number_text(p.relative_half_width)
      << ", \"min_replications\": " << p.min_replications
      << ", \"max_replications\": " << p.max_replications << "}";
  }
}

// A replications folder's own files (its rep-<k>/ folders are written by the caller).
std::vector<ResultFile> replications_files(const StudyPlan& plan, const StudyPoint& point,
                                           const std::vector<ReplicationResult>& reps,
                                           bool target_met, const StudyOutcome& outcome,
                                           const RunContext& context) {
  std::vector<ResultFile> files;
  const std::vector<KpiEstimate> est = estimate_kpis(rows_of(reps));
  std::ostringstream m;
  manifest_head(m, "replications", plan, point, context);
  m << ",\n  \"replications\": " << reps.size() << ",\n  \"seeds\": [";
  for (size_t k = 0; k < reps.size(); ++k) {
    m << (k == 0 ? "" : ", ") << reps[k].seed;
  }
  m << "],\n  \"fingerprints\": [";
  for (size_t k = 0; k < reps.size(); ++k) {
    m << (k == 0 ? "" : ", ") << '"' << hex(reps[k].fingerprint) << '"';
  }
  m << "],\n  \"fingerprint\": \"" << hex(fold(reps)) << '"';
  if (plan.study.precision) {
    m << ",\n  \"precision_target_met\": " << (target_met ? "true" : "false");
  }
  double wall = 0;
  uint64_t events = 0;
  for (const ReplicationResult& r : reps) {
    wall += r.wall_s;
    events += r.events;
  }
  m << ",\n  \"events\": " << events << ",\n  \"run_time_s\": " << number_text(wall)
    << ",\n  \"wall_time_s\": " << number_text(outcome.wall_s) << ",\n  \"jobs\": " << outcome.jobs
    << ",\n  \"ranks\": " << outcome.ranks << ",\n  \"peak_memory_kib\": " << peak_rss_kib()
    << "\n}\n";
  files.push_back({"manifest.json", m.str()});

  std::ostringstream j;
  j << "{\n  \"name\": " << json_string(point.config.name) << ",\n  \"currency\": \""
    << point.config.city.currency.code() << "\",\n  \"replications\": " << reps.size()
    << ",\n  \"confidence_intervals\": \"95% t\",\n  \"kpis\": {\n";
  std::vector<const KpiEstimate*> all;
  for (const KpiEstimate& e : est) {
    if (e.segment == "all") {
      all.push_back(&e);
    }
  }
  for (size_t i = 0; i < all.size(); ++i) {
    const KpiEstimate& e = *all[i];
    j << "    " << json_string(e.kpi) << ": {\"mean\": " << number_text(e.mean)
      << ", \"ci_low\": " << number_text(e.ci_low())
      << ", \"ci_high\": " << number_text(e.ci_high())
      << ", \"half_width\": " << number_text(e.half_width) << ", \"n\": " << e.n
      << ", \"values\": [";
    for (size_t k = 0; k < e.values.size(); ++k) {
      j << (k == 0 ? "" : ", ") << e.values[k];
    }
    j << "]}" << (i + 1 < all.size() ? ",\n" : "\n");
  }
  j << "  },\n  \"units\": {\n";
  for (size_t i = 0; i < all.size(); ++i) {
    j << "    " << json_string(all[i]->kpi) << ": " << json_string(all[i]->unit)
      << (i + 1 < all.size() ? ",\n" : "\n");
  }
  j << "  }\n}\n";
  files.push_back({"summary.json", j.str()});

  std::ostringstream c;
  c << "kpi,segment,mean,ci_low,ci_high,n,unit\n";
  for (const KpiEstimate& e : est) {
    c << e.kpi << ',' << e.segment << ',' << csv_number(e.mean) << ',' << csv_number(e.ci_low())
      << ',' << csv_number(e.ci_high()) << ',' << e.n << ',' << e.unit << '\n';
  }
  files.push_back({"kpis.csv", c.str()});

  std::ostringstream r;
  r << "replication,seed,kpi,segment,value,unit\n";
  for (size_t k = 0; k < reps.size(); ++k) {
    for (const models::KpiRow& row : reps[k].rows) {
      r << k << ',' << reps[k].seed << ',' << row.kpi << ',' << row.segment << ','
        << (row.text == "null" ? "" : row.text) << ',' << row.unit << '\n';
    }
  }
  files.push_back({"replications.csv", r.str()});
  return files;
}

// A point's folder: a single run, or replications with rep-<k>/ folders.
bool write_point(const std::string& dir, const StudyPlan& plan, size_t i,
                 const StudyOutcome& outcome, const RunContext& context, std::string& error) {
  const std::vector<ReplicationResult>& reps = outcome.points[i];
  if (!plan.replicated()) {
    return write_files(dir, reps.front().files, error);
  }
  for (size_t k = 0; k < reps.size(); ++k) {
    if (!write_files(dir + "/rep-" + std::to_string(k), reps[k].files, error)) {
      return false;
    }
  }
  return write_files(
      dir, replications_files(plan, plan.points[i], reps, outcome.target_met[i], outcome, context),
      error);
}

std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) {
    return s;
  }
  std::string q = "\"";
  for (const char c : s) {
    q += c == '"' ? std::string("\"\"") : std::string(1, c);
  }
  return q + "\"";
}

std::vector<ResultFile> sweep_files(const StudyPlan& plan, const StudyOutcome& outcome,
                                    const RunContext& context) {
  const auto& axes = plan.study.axes;
  std::vector<std::vector<KpiEstimate>> est;
  for (const auto& reps : outcome.points) {
    est.push_back(estimate_kpis(rows_of(reps)));
  }
  std::vector<const KpiEstimate*> names; // the all segment of point 0 names the columns
  for (const KpiEstimate& e : est.front()) {
    if (e.segment == "all") {
      names.push_back(&e);
    }
  }
  auto find = [](const std::vector<KpiEstimate>& v, const std::string& kpi) -> const KpiEstimate* {
    for (const KpiEstimate& e : v) {
      if (e.kpi == kpi && e.segment == "all") {
        return &e;
      }
    }
    return nullptr;
  };

  std::vector<ResultFile> files;
  std::ostringstream m;
  manifest_head(m, "sweep", plan, plan.points.front(), context);
  m << ",\n  \"design\": \"" << (plan.study.zipped ? "zipped" : "crossed") << "\",\n  \"axes\": [";
  for (size_t a = 0; a < axes.size(); ++a) {
    m << (a == 0 ? "" : ", ") << "{\"field\": " << json_string(axes[a].field) << ", \"values\": [";
    for (size_t v = 0; v < axes[a].values.size(); ++v) {
      m << (v == 0 ? "" : ", ") << json_string(axes[a].values[v]);
    }
    m << "]}";
  }
  m << "],\n  \"points\": " << plan.points.size()
    << ",\n  \"replications\": " << plan.max_replications()
    << ",\n  \"common_random_numbers\": true"
    << ",\n  \"common_random_numbers_note\": \"replication k of every point runs seed k's random "
       "streams, so points differ only by their policy\""
    << ",\n  \"fingerprint\": \"" << hex(study_fingerprint(outcome))
    << "\",\n  \"wall_time_s\": " << number_text(outcome.wall_s)
    << ",\n  \"jobs\": " << outcome.jobs << ",\n  \"ranks\": " << outcome.ranks
    << ",\n  \"peak_memory_kib\": " << peak_rss_kib() << "\n}\n";
  files.push_back({"manifest.json", m.str()});

  std::ostringstream s;
  s << "point";
  for (const auto& a : axes) {
    s << ',' << csv_cell(a.field);
  }
  for (const KpiEstimate* e : names) {
    s << ',' << e->kpi << "_mean," << e->kpi << "_ci_low," << e->kpi << "_ci_high";
  }
  s << '\n';
  for (size_t i = 0; i < plan.points.size(); ++i) {
    s << i;
    for (const std::string& v : plan.points[i].values) {
      s << ',' << csv_cell(v);
    }
    for (const KpiEstimate* n : names) {
      const KpiEstimate* e = find(est[i], n->kpi);
      if (e == nullptr) {
        s << ",,,";
      } else {
        s << ',' << csv_number(e->mean) << ',' << csv_number(e->ci_low()) << ','
          << csv_number(e->ci_high());
      }
    }
    s << '\n';
  }
  files.push_back({"sweep.csv", s.str()});

  std::ostringstream r;
  r << "point,replication";
  for (const auto& a : axes) {
    r << ',' << csv_cell(a.field);
  }
  r << ",kpi,value\n";
  for (size_t i = 0; i < plan.points.size(); ++i) {
    std::string axis_cells;
    for (const std::string& v : plan.points[i].values) {
      axis_cells += ',' + csv_cell(v);
    }
    for (size_t k = 0; k < outcome.points[i].size(); ++k) {
      for (const models::KpiRow& row : outcome.points[i][k].rows) {
        if (row.segment == "all") {
          r << i << ',' << k << axis_cells << ',' << row.kpi << ','
            << (row.text == "null" ? "" : row.text) << '\n';
        }
      }
    }
  }
  files.push_back({"sweep_replications.csv", r.str()});

  // Each point against point 0, paired over replications: replication k of every point runs seed
  // k (common random numbers), so the difference's interval is far tighter than sweep.csv's two
  // independent intervals side by side suggest.
  std::ostringstream d;
  d << "point";
  for (const auto& a : axes) {
    d << ',' << csv_cell(a.field);
  }
  d << ",kpi,unit,difference,ci_low,ci_high,paired,verdict\n";
  const FolderKpis base = folder_kpis_of(outcome.points.front());
  for (size_t i = 1; i < plan.points.size(); ++i) {
    std::string axis_cells;
    for (const std::string& v : plan.points[i].values) {
      axis_cells += ',' + csv_cell(v);
    }
    for (const KpiComparison& c : compare_folders(base, folder_kpis_of(outcome.points[i]))) {
      d << i << axis_cells << ',' << c.kpi << ',' << c.unit << ',' << csv_number(c.difference)
        << ',' << csv_number(c.ci_low) << ',' << csv_number(c.ci_high) << ','
        << (c.paired ? "true" : "false") << ',' << c.verdict << '\n';
    }
  }
  files.push_back({"sweep_differences.csv", d.str()});

  std::ostringstream mm;
  mm << "kpi,term,coefficient,r2\n";
  std::vector<std::vector<std::string>> values;
  for (const StudyPoint& p : plan.points) {
    values.push_back(p.values);
  }
  for (const KpiEstimate* n : names) {
    std::vector<double> y;
    for (const auto& e : est) {
      const KpiEstimate* k = find(e, n->kpi);
      y.push_back(k == nullptr ? std::nan("") : k->mean);
    }
    if (auto fit = fit_metamodel(axes, values, y)) {
      for (const MetamodelTerm& t : fit->terms) {
        mm << n->kpi << ',' << csv_cell(t.term) << ',' << csv_number(t.coefficient) << ','
           << csv_number(fit->r2) << '\n';
      }
    }
  }
  files.push_back({"metamodel.csv", mm.str()});
  return files;
}

} // namespace

uint64_t study_fingerprint(const StudyOutcome& outcome) {
  if (outcome.points.size() == 1 && outcome.points.front().size() == 1) {
    return outcome.points.front().front().fingerprint;
  }
  sim::Fingerprint f;
  for (const auto& reps : outcome.points) {
    for (const ReplicationResult& r : reps) {
      f.add_value(r.fingerprint);
    }
  }
  return f.value();
}

bool write_study(const std::string& dir, const StudyPlan& plan, const StudyOutcome& outcome,
                 const RunContext& context, std::string& error) {
  if (!plan.sweep()) {
    return write_point(dir, plan, 0, outcome, context, error);
  }
  for (size_t i = 0; i < plan.points.size(); ++i) {
    if (!write_point(dir + "/point-" + std::to_string(i), plan, i, outcome, context, error)) {
      return false;
    }
  }
  return write_files(dir, sweep_files(plan, outcome, context), error);
}

} // namespace hcesim::study
