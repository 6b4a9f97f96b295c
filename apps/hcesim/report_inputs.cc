#include "hcesim/report_inputs.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

namespace hcesim::cli {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::optional<Error> json_error(const fs::path& p, const std::string& text) {
  google::protobuf::Struct parsed;
  const auto status = google::protobuf::util::JsonStringToMessage(text, &parsed);
  if (status.ok()) {
    return std::nullopt;
  }
  // The parser's message goes on to quote the text with a caret under it: keep its first line.
  const std::string message(status.message());
  return Error{p.string(),
               "not valid JSON (cut off or damaged): " + message.substr(0, message.find('\n'))};
}

size_t cells(const std::string& line) {
  size_t n = 1;
  bool quoted = false;
  for (const char c : line) {
    if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      ++n;
    }
  }
  return n;
}

std::optional<Error> csv_error(const fs::path& p, const std::string& text) {
  if (text.empty()) {
    return Error{p.string(), "empty: expected a header line"};
  }
  if (text.back() != '\n') {
    return Error{p.string(), "no final newline: the file was cut off"};
  }
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  const size_t header = cells(line);
  for (size_t row = 2; std::getline(in, line); ++row) {
    if (cells(line) != header) {
      return Error{p.string() + ":" + std::to_string(row), std::to_string(cells(line)) +
                                                               " cells, the header has " +
                                                               std::to_string(header)};
    }
  }
  return std::nullopt;
}

} // namespace

Errors check_report_inputs(const fs::path& dir, const std::string& kind) {
  std::vector<std::string> needed = {"manifest.json"};
  std::vector<std::string> optional;
  if (kind == "sweep") {
    needed.push_back("sweep.csv");
    optional = {"metamodel.csv"};
  } else if (kind == "comparison") {
    needed.push_back("comparison.csv");
  } else {
    needed.insert(needed.end(), {"summary.json", "kpis.csv"});
    optional = {"timeseries.csv"};
  }
  Errors errors;
  auto check = [&](const std::string& name, bool required) {
    const fs::path p = dir / name;
    const std::optional<std::string> text = slurp(p);
    if (!text) {
      if (required) {
        errors.push_back(Error{p.string(), "missing: a " + kind + " folder has it"});
      }
      return;
    }
    const bool json = p.extension() == ".json";
    if (auto e = json ? json_error(p, *text) : csv_error(p, *text)) {
      errors.push_back(*e);
    }
  };
  for (const std::string& f : needed) {
    check(f, true);
  }
  for (const std::string& f : optional) {
    check(f, false);
  }
  return errors;
}

} // namespace hcesim::cli
