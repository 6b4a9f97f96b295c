#include "hcesim/report_page.h"

#include "hcesim/version.h"
#include "study/replication.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#ifndef HCESIM_REPORT_ASSETS_DIR
#define HCESIM_REPORT_ASSETS_DIR "report"
#endif

namespace hcesim::cli {
namespace {

namespace fs = std::filesystem;

// The chart library, in the order the page loads it (vega-lite and vega-embed need vega).
constexpr std::array<const char*, 3> kLibraries = {
    "node_modules/vega/build/vega.min.js",
    "node_modules/vega-lite/build/vega-lite.min.js",
    "node_modules/vega-embed/build/vega-embed.min.js",
};

std::optional<std::string> slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A JSON string literal safe inside <script>: '<' is escaped so no "</script" can end the block
// (after study::json_string, a '<' can only stand for itself).
std::string json_string(const std::string& s) {
  std::string out;
  for (const char c : study::json_string(s)) {
    if (c == '<') {
      out += "\\u003c";
    } else {
      out += c;
    }
  }
  return out;
}

// Inline script text: "</script" (any case) would end the block; it can only stand inside a JS
// string or regex there, where "<\/script" means the same.
std::string inline_script(std::string js) {
  for (size_t at = 0; (at = js.find("</", at)) != std::string::npos; at += 2) {
    std::string word = js.substr(at + 2, 6);
    std::transform(word.begin(), word.end(), word.begin(),
                   [](char c) { return static_cast<char>(c | 0x20); });
    if (word == "script") {
      js.replace(at, 2, "<\\/");
    }
  }
  return js;
}

// The string value of a top-level "key": "value" in a small JSON file (the manifest's kind).
std::optional<std::string> json_field(const std::string& json, const std::string& key) {
  const std::string quoted = "\"" + key + "\"";
  for (size_t at = json.find(quoted); at != std::string::npos;
       at = json.find(quoted, at + quoted.size())) {
    size_t i = at + quoted.size();
    while (i < json.size() && (json[i] == ' ' || json[i] == '\t' || json[i] == '\n')) {
      ++i;
    }
    if (i >= json.size() || json[i] != ':') {
      continue;
    }
    ++i;
    while (i < json.size() && (json[i] == ' ' || json[i] == '\t' || json[i] == '\n')) {
      ++i;
    }
    if (i >= json.size() || json[i] != '"') {
      return std::nullopt;
    }
    const size_t end = json.find('"', i + 1);
    if (end == std::string::npos) {
      return std::nullopt;
    }
    return json.substr(i + 1, end - i - 1);
  }
  return std::nullopt;
}

// The lowest-numbered rep-<k>/ sub-folder of a replications folder: its time series stands for
// the run's day.
std::optional<std::string> first_replication(const fs::path& dir) {
  std::optional<std::pair<long, std::string>> best;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (!e.is_directory() || name.rfind("rep-", 0) != 0) {
      continue;
    }
    char* end = nullptr;
    const long k = std::strtol(name.c_str() + 4, &end, 10);
    if (end == name.c_str() + 4 || *end != '\0') {
      continue;
    }
    if (!best || k < best->first) {
      best = std::make_pair(k, name);
    }
  }
  return best ? std::optional<std::string>(best->second) : std::nullopt;
}

// The page script: report/page/*.js in name order, joined into one function so the parts share
// their names and leave the page's globals alone.
std::optional<std::string> page_script(const fs::path& assets) {
  std::vector<fs::path> parts;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(assets / "page", ec)) {
    if (e.is_regular_file() && e.path().extension() == ".js") {
      parts.push_back(e.path());
    }
  }
  if (parts.empty()) {
    return std::nullopt;
  }
  std::sort(parts.begin(), parts.end());
  std::string js = "(function () {\n'use strict';\n";
  for (const fs::path& p : parts) {
    const auto text = slurp(p);
    if (!text) {
      return std::nullopt;
    }
    js += *text + "\n";
  }
  return js + "})();\n";
}

std::vector<std::string> files_of(const std::string& kind, const fs::path& dir) {
  if (kind == "sweep") {
    return {"manifest.json", "summary.json", "sweep.csv", "metamodel.csv"};
  }
  if (kind == "comparison") {
    return {"manifest.json", "comparison.csv"};
  }
  std::vector<std::string> files = {"manifest.json", "summary.json", "kpis.csv", "timeseries.csv"};
  if (kind == "replications") {
    if (const auto rep = first_replication(dir)) {
      files.push_back(*rep + "/timeseries.csv");
      files.push_back(*rep + "/manifest.json");
    }
  }
  return files;
}

// The shortest text that reads back as v.
std::string number_text(double v) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : "null";
}

} // namespace

Result<ReportTarget> parse_report_target(const std::string& text) {
  static constexpr std::array<const char*, 5> kOps = {"<=", ">=", "==", "<", ">"};
  for (const char* op : kOps) {
    const size_t at = text.find(op);
    if (at == std::string::npos) {
      continue;
    }
    // Spaces around the operator are the user's layout, not part of the name or number.
    auto trim = [](std::string v) {
      v.erase(0, v.find_first_not_of(' '));
      v.erase(v.find_last_not_of(' ') + 1);
      return v;
    };
    ReportTarget t{trim(text.substr(0, at)), op, 0};
    const std::string rest = trim(text.substr(at + std::string(op).size()));
    const bool name_ok = !t.kpi.empty() && std::all_of(t.kpi.begin(), t.kpi.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
    if (!name_ok) {
      return Error{"--target " + text, "expected a KPI name (snake_case) before " + t.op};
    }
    char* end = nullptr;
    t.value = std::strtod(rest.c_str(), &end);
    if (rest.empty() || end != rest.c_str() + rest.size() || !std::isfinite(t.value)) {
      return Error{"--target " + text,
                   "expected a number after " + t.op + ", found \"" + rest + "\""};
    }
    return t;
  }
  return Error{"--target " + text,
               "expected KPI<=NUMBER (or >=, <, >, ==), e.g. refusal_rate<=0.001"};
}

fs::path default_report_assets() {
  if (const char* env = std::getenv("HCESIM_REPORT_ASSETS"); env != nullptr && *env != '\0') {
    return env;
  }
  return HCESIM_REPORT_ASSETS_DIR;
}

Result<void> check_report_assets(const fs::path& assets) {
  if (!fs::is_regular_file(assets / "page.css") || !page_script(assets)) {
    return Error{assets.string(), "the report's page script (page/*.js, page.css) is missing: "
                                  "expected the source tree's report/ folder"};
  }
  for (const char* f : kLibraries) {
    if (!fs::is_regular_file(assets / f)) {
      return Error{(assets / f).string(),
                   "the chart library is not installed: run scripts/setup.sh (it runs `npm ci` in "
                   "report/)"};
    }
  }
  return {};
}

Result<std::string> results_kind(const fs::path& dir) {
  const fs::path manifest = dir / "manifest.json";
  const auto text = slurp(manifest);
  if (!text) {
    return Error{manifest.string(), "not found: expected a results folder (docs/results.md)"};
  }
  const auto kind = json_field(*text, "kind");
  if (!kind) {
    return Error{manifest.string(), "no \"kind\" field (run, replications, sweep or comparison)"};
  }
  if (*kind != "run" && *kind != "replications" && *kind != "sweep" && *kind != "comparison") {
    return Error{manifest.string() + ": kind",
                 "expected run, replications, sweep or comparison, found \"" + *kind + "\""};
  }
  return *kind;
}

Result<fs::path> write_report(const fs::path& dir, const ReportSettings& settings) {
  const Result<std::string> kind = results_kind(dir);
  if (!kind.ok()) {
    return kind.error();
  }
  const fs::path assets = settings.assets.empty() ? default_report_assets() : settings.assets;
  if (const Result<void> ok = check_report_assets(assets); !ok.ok()) {
    return ok.error();
  }
  std::string data = "{\"kind\": " + json_string(*kind) +
                     ",\n\"generated_by\": " + json_string(std::string("hcesim ") + git_version()) +
                     ",\n\"targets\": [";
  for (size_t i = 0; i < settings.targets.size(); ++i) {
    const ReportTarget& t = settings.targets[i];
    data += (i == 0 ? "" : ", ") + std::string("{\"kpi\": ") + json_string(t.kpi) +
            ", \"op\": " + json_string(t.op) + ", \"value\": " + number_text(t.value) + "}";
  }
  data += "],\n\"files\": {";
  bool first = true;
  for (const std::string& f : files_of(*kind, dir)) {
    if (const auto text = slurp(dir / f)) {
      data += (first ? "\n" : ",\n") + json_string(f) + ": " + json_string(*text);
      first = false;
    }
  }
  data += "}}";

  std::string html = "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     "<title>hcesim report</title>\n<style>\n" +
                     *slurp(assets / "page.css") + "\n</style>\n";
  for (const char* f : kLibraries) {
    html += "<script>\n" + inline_script(*slurp(assets / f)) + "\n</script>\n";
  }
  html +=
      "</head>\n<body>\n<main id=\"report\"><p class=\"loading\">Drawing the report…</p></main>\n"
      "<script type=\"application/json\" id=\"hcesim-data\">\n" +
      data + "\n</script>\n<script>\n" + inline_script(*page_script(assets)) +
      "\n</script>\n</body>\n</html>\n";

  const fs::path out = dir / "report.html";
  const fs::path tmp = dir / "report.html.tmp";
  {
    std::ofstream o(tmp, std::ios::binary | std::ios::trunc);
    o << html;
    if (!o.flush()) {
      return Error{tmp.string(), "cannot write the report"};
    }
  }
  std::error_code ec;
  fs::rename(tmp, out, ec);
  if (ec) {
    return Error{out.string(), "cannot write the report: " + ec.message()};
  }
  return out;
}

std::string report_after_run(const fs::path& dir, bool no_report, std::ostream& err) {
  if (no_report) {
    return "";
  }
  const Result<fs::path> report = write_report(dir);
  if (!report.ok()) {
    err << "warning: report.html not written: " << report.error().to_string() << '\n';
    return "";
  }
  return "report: " + report->string() + "\n";
}

Result<fs::path> write_comparison_report(const fs::path& dir) {
  const Result<std::string> kind = results_kind(dir);
  if (!kind.ok()) {
    return kind.error();
  }
  if (*kind != "comparison") {
    return Error{(dir / "manifest.json").string() + ": kind",
                 "expected \"comparison\", found \"" + *kind + "\""};
  }
  return write_report(dir);
}

} // namespace hcesim::cli
