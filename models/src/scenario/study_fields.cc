#include "models/scenario/study_fields.h"

#include "models/run/kpi_rows.h"
#include "models/scenario/scenario_override.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace hcesim::models {
namespace {

const std::set<std::string>& kpi_names() {
  static const std::set<std::string> names = [] {
    std::set<std::string> n;
    RunKpis empty(Time::epoch());
    empty.attack = AttackKpis{}; // issue 16: runs with attackers have these KPIs too
    for (const KpiRow& r : kpi_rows(empty, Currency::from_code("CNY").value())) {
      n.insert(r.kpi);
    }
    return n;
  }();
  return names;
}

bool known_segment(const std::string& s, const ScenarioConfig& cfg) {
  if (s == "all") {
    return true;
  }
  auto after = [&](const std::string& prefix) {
    return s.rfind(prefix, 0) == 0 ? s.substr(prefix.size()) : std::string();
  };
  if (const std::string c = after("class:"); !c.empty()) {
    return std::any_of(cfg.population.classes.begin(), cfg.population.classes.end(),
                       [&](const RiderClassConfig& k) { return k.name == c; });
  }
  if (const std::string c = after("coverage:"); !c.empty()) {
    return std::any_of(cfg.network.coverage.begin(), cfg.network.coverage.end(),
                       [&](const CoverageClassConfig& k) { return k.name == c; });
  }
  if (const std::string c = after("attacker:"); !c.empty()) { // issue 16
    for (int i = 0; i < kAttackerKinds; ++i) {
      if (c == attacker_kind_name(static_cast<AttackerKind>(i))) {
        return true;
      }
    }
    return false;
  }
  const std::string h = after("hour:");
  return h.size() == 2 && std::isdigit(static_cast<unsigned char>(h[0])) != 0 &&
         std::isdigit(static_cast<unsigned char>(h[1])) != 0 && std::stoi(h) < 24;
}

// Fields a sweep may not move: the study itself, and the seed (points share their streams).
bool sweepable(const std::string& field) {
  for (const char* f : {"replications", "precision", "sweep", "expectations", "seed", "name"}) {
    const std::string s(f);
    if (field == s || field.rfind(s + ".", 0) == 0) {
      return false;
    }
  }
  return true;
}

void read_precision(ScenarioFields p, const proto::Precision& msg, StudyConfig& out) {
  PrecisionConfig c;
  if (msg.kpis().empty()) {
    p.fail("kpis", "required: at least one KPI name whose interval must be narrow");
  }
  for (const std::string& k : msg.kpis()) {
    if (!known_kpi(k)) {
      p.fail("kpis", "no KPI \"" + k + "\" (docs/results.md lists them)");
    }
    c.kpis.push_back(k);
  }
  c.relative_half_width = p.real("relative_half_width", 0.05, 0, 1, /*lo_open=*/true);
  c.max_replications = p.u32("max_replications", 20, 2, 1000);
  c.min_replications = p.u32("min_replications", 3, 2, 1000);
  if (c.min_replications > c.max_replications) {
    p.fail("min_replications", "must not exceed max_replications (" +
                                   std::to_string(c.max_replications) + "), got " +
                                   std::to_string(c.min_replications));
  }
  out.precision = c;
}

void read_sweep(ScenarioFields s, const proto::Scenario& msg, StudyConfig& out) {
  out.zipped = s.enumeration("design") == proto::ZIPPED;
  const int n = s.count("axes");
  std::set<std::string> fields;
  for (int i = 0; i < n; ++i) {
    ScenarioFields a = s.element("axes", i);
    const proto::SweepAxis& axis = msg.sweep().axes(i);
    SweepAxisConfig c{axis.field(), {axis.values().begin(), axis.values().end()}};
    if (c.field.empty()) {
      a.fail("field", "required: a field path as --set takes it, e.g. token_policy.offline_limit");
    } else if (!sweepable(c.field)) {
      a.fail("field", "\"" + c.field + "\" cannot be swept (study fields and the seed are shared)");
    } else if (!fields.insert(c.field).second) {
      a.fail("field", "\"" + c.field + "\" is swept twice");
    }
    if (c.values.empty()) {
      a.fail("values", "required: at least one value");
    }
    // Each value must be one the field takes: the same type check as `--set`.
    for (const std::string& v : c.values) {
      if (c.field.empty() || !sweepable(c.field)) {
        break;
      }
      ScenarioSource probe;
      probe.message = msg;
      Errors errs;
      if (!apply_override(c.field + "=" + v, probe, errs)) {
        a.fail("values", errs.empty() ? "bad value \"" + v + "\"" : errs.front().what);
        break;
      }
    }
    if (out.zipped && i > 0 && c.values.size() != out.axes.front().values.size()) {
      a.fail("values", "ZIPPED axes need the same number of values (" +
                           std::to_string(out.axes.front().values.size()) + "), got " +
                           std::to_string(c.values.size()));
    }
    out.axes.push_back(std::move(c));
  }
}

void read_expectations(ScenarioFields e, const proto::Expectations& msg, const ScenarioConfig& cfg,
                       StudyConfig& out) {
  for (int i = 0; i < msg.kpis_size(); ++i) {
    ScenarioFields b = e.element("kpis", i);
    const proto::KpiBound& m = msg.kpis(i);
    KpiBoundConfig c;
    c.kpi = m.kpi();
    c.segment = b.text("segment", "all");
    if (!known_kpi(c.kpi)) {
      b.fail("kpi", "no KPI \"" + c.kpi + "\" (docs/results.md lists them)");
    }
    if (!known_segment(c.segment, cfg)) {
      b.fail("segment", "no segment \"" + c.segment +
                            "\"; expected all, class:<name>, coverage:<name> or hour:HH");
    }
    if (m.has_min()) {
      c.min = m.min();
    }
    if (m.has_max()) {
      c.max = m.max();
    }
    if (!c.min && !c.max) {
      b.fail("", "needs min or max");
    } else if (c.min && c.max && *c.min > *c.max) {
      b.fail("max", "must be at least min");
    }
    c.rule = m.interval() == proto::WHOLE_INTERVAL ? KpiBoundConfig::Rule::kWholeInterval
             : m.interval() == proto::SIGNIFICANT_VIOLATION
                 ? KpiBoundConfig::Rule::kSignificantViolation
                 : KpiBoundConfig::Rule::kMean;
    c.where = b.path_of("");
    out.bounds.push_back(c);
  }
  std::string f = msg.fingerprint();
  std::transform(f.begin(), f.end(), f.begin(),
                 [](char ch) { return static_cast<char>(std::tolower(ch)); });
  if (!f.empty() &&
      (f.size() > 16 || f.find_first_not_of("0123456789abcdef") != std::string::npos)) {
    e.fail("fingerprint", "must be up to 16 hex digits, got \"" + msg.fingerprint() + "\"");
  }
  out.fingerprint = f;
}

} // namespace

bool known_kpi(const std::string& name) {
  return kpi_names().count(name) != 0;
}

void read_study(ScenarioFields& root, const proto::Scenario& msg, const ScenarioConfig& cfg,
                StudyConfig& out) {
  out.replications = root.u32("replications", 1, 1, 1000);
  if (msg.has_precision()) {
    read_precision(root.nested("precision"), msg.precision(), out);
  }
  if (msg.has_sweep()) {
    read_sweep(root.nested("sweep"), msg, out);
  }
  if (msg.has_expectations()) {
    read_expectations(root.nested("expectations"), msg.expectations(), cfg, out);
  }
}

} // namespace hcesim::models
