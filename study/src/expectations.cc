#include "study/expectations.h"

#include "study/kpi_estimate.h"
#include "study/study_writer.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>

namespace hcesim::study {
namespace {

std::string bound_text(const models::KpiBoundConfig& b) {
  std::string s = b.kpi + (b.segment == "all" ? "" : "[" + b.segment + "]");
  if (b.min && b.max) {
    return number_text(*b.min) + " <= " + s + " <= " + number_text(*b.max);
  }
  return b.min ? s + " >= " + number_text(*b.min) : s + " <= " + number_text(*b.max);
}

ExpectationVerdict judge(const models::KpiBoundConfig& b, const std::vector<KpiEstimate>& est,
                         const std::string& where) {
  ExpectationVerdict v;
  const KpiEstimate* e = nullptr;
  for (const KpiEstimate& k : est) {
    if (k.kpi == b.kpi && k.segment == b.segment) {
      e = &k;
      break;
    }
  }
  std::string measured;
  if (e == nullptr || !std::isfinite(e->mean)) {
    v.line = where + bound_text(b) + ": no value measured";
    return v;
  }
  double lo = e->mean;
  double hi = e->mean;
  if (std::isfinite(e->half_width)) {
    measured = "mean " + number_text(e->mean) + " [95% CI " + number_text(e->ci_low()) + ", " +
               number_text(e->ci_high()) + "] n=" + std::to_string(e->n);
    // Whole interval: all of it within the bound. Significant violation: fails only when all of
    // it is beyond. Mean: the mean itself.
    using Rule = models::KpiBoundConfig::Rule;
    if (b.rule == Rule::kWholeInterval) {
      lo = e->ci_low();
      hi = e->ci_high();
    } else if (b.rule == Rule::kSignificantViolation) {
      lo = e->ci_high();
      hi = e->ci_low();
    }
  } else {
    measured = number_text(e->mean);
  }
  v.pass = (!b.min || lo >= *b.min) && (!b.max || hi <= *b.max);
  v.line = where + bound_text(b) + ": measured " + measured;
  return v;
}

} // namespace

std::string fingerprint_text(uint64_t fingerprint) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(fingerprint));
  return buf;
}

std::vector<ExpectationVerdict> check_expectations(const StudyPlan& plan,
                                                   const StudyOutcome& outcome) {
  std::vector<ExpectationVerdict> out;
  for (size_t i = 0; i < outcome.points.size(); ++i) {
    std::vector<std::vector<models::KpiRow>> rows;
    for (const ReplicationResult& r : outcome.points[i]) {
      rows.push_back(r.rows);
    }
    const std::vector<KpiEstimate> est = estimate_kpis(rows);
    const std::string where = plan.sweep() ? "point " + std::to_string(i) + ": " : "";
    for (const models::KpiBoundConfig& b : plan.study.bounds) {
      out.push_back(judge(b, est, where));
    }
  }
  if (!plan.study.fingerprint.empty()) {
    const std::string got = fingerprint_text(study_fingerprint(outcome));
    // A pin written with fewer digits means the same number.
    const bool pass =
        std::stoull(plan.study.fingerprint, nullptr, 16) == std::stoull(got, nullptr, 16);
    out.push_back({"fingerprint " + plan.study.fingerprint + ": measured " + got, pass});
  }
  return out;
}

bool rewrite_fingerprint(const std::string& file, const std::string& pin, std::string& before,
                         std::string& error) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    error = file + ": cannot read";
    return false;
  }
  std::stringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();
  const std::regex pinned(R"((\"?fingerprint\"?\s*:\s*\")([0-9a-fA-F]*)(\"))");
  std::smatch m;
  if (std::regex_search(text, m, pinned)) {
    before = m[2].str();
    text = m.prefix().str() + m[1].str() + pin + m[3].str() + m.suffix().str();
  } else {
    before.clear();
    const std::regex block(R"((\"?expectations\"?\s*:?\s*\{))");
    if (!std::regex_search(text, m, block)) {
      error = file + ": no expectations block to pin the fingerprint in";
      return false;
    }
    const bool json = m[1].str().front() == '"';
    const std::string rest = m.suffix().str();
    const size_t next = rest.find_first_not_of(" \t\r\n");
    const bool empty_block = next != std::string::npos && rest[next] == '}';
    text = m.prefix().str() + m[1].str() +
           (json ? " \"fingerprint\": \"" + pin + "\"" + (empty_block ? "" : ",")
                 : " fingerprint: \"" + pin + "\"") +
           rest;
  }
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) {
    error = file + ": cannot write";
    return false;
  }
  return true;
}

} // namespace hcesim::study
