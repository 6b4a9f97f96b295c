#include "hcesim/results_folder.h"

#include "hcesim/report_page.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string_view>
#include <system_error>
#include <vector>

namespace hcesim::cli {
namespace {

namespace fs = std::filesystem;

// Every file name a results folder of any kind holds (study_writer, replication, report_page,
// compare_command).
constexpr std::array<std::string_view, 11> kResultsFiles = {
    "manifest.json",   "summary.json",     "kpis.csv",  "timeseries.csv",         "report.html",
    "report.html.tmp", "replications.csv", "sweep.csv", "sweep_replications.csv", "metamodel.csv",
    "comparison.csv"};

// rep-<k> or point-<i>: the sub-folders of replications and sweeps.
bool results_subfolder(const std::string& name) {
  for (const std::string_view prefix : {std::string_view("rep-"), std::string_view("point-")}) {
    if (name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0 &&
        std::all_of(name.begin() + static_cast<std::ptrdiff_t>(prefix.size()), name.end(),
                    [](char c) { return c >= '0' && c <= '9'; })) {
      return true;
    }
  }
  return false;
}

Result<void> clear_in(const fs::path& dir) {
  std::error_code ec;
  std::vector<fs::path> entries;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    entries.push_back(e.path());
  }
  if (ec) {
    return Error{dir.string(), "cannot read the folder: " + ec.message()};
  }
  for (const fs::path& p : entries) {
    const std::string name = p.filename().string();
    const fs::file_status st = fs::symlink_status(p, ec);
    if (ec) {
      return Error{p.string(), "cannot read: " + ec.message()};
    }
    if (fs::is_directory(st) && results_subfolder(name)) {
      if (Result<void> r = clear_in(p); !r.ok()) {
        return r;
      }
      if (fs::is_empty(p, ec) && !ec) {
        fs::remove(p, ec);
      }
    } else if (!fs::is_directory(st) &&
               std::find(kResultsFiles.begin(), kResultsFiles.end(), name) != kResultsFiles.end()) {
      fs::remove(p, ec);
    }
    if (ec) {
      return Error{p.string(), "cannot remove the earlier result: " + ec.message()};
    }
  }
  return {};
}

} // namespace

std::string folder_name(const std::string& name) {
  std::string out = name;
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '/' || c == '\\' || u < 0x20 || u == 0x7f) {
      c = '_';
    }
  }
  if (out.empty() || out.front() == '.') {
    out.insert(out.begin(), '_');
  }
  return out;
}

bool within(const fs::path& path, const fs::path& dir) {
  std::error_code ec;
  const fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
  const fs::path d = fs::weakly_canonical(fs::absolute(dir, ec), ec);
  auto pi = p.begin();
  for (auto di = d.begin(); di != d.end(); ++di, ++pi) {
    if (di->empty()) {
      continue; // a trailing separator's empty last element
    }
    if (pi == p.end() || *pi != *di) {
      return false;
    }
  }
  return true;
}

Result<void> check_results_folder(const fs::path& dir) {
  std::error_code ec;
  const fs::file_status st = fs::status(dir, ec);
  if (ec && ec != std::errc::no_such_file_or_directory) {
    // A name too long for the file system, say: better now than after the whole run.
    return Error{dir.string(), "cannot be used as the results folder: " + ec.message()};
  }
  if (!fs::exists(st)) {
    return {};
  }
  if (!fs::is_directory(st)) {
    return Error{dir.string(), "exists and is not a folder: give --out a new or empty folder"};
  }
  if (fs::is_empty(dir, ec) && !ec) {
    return {};
  }
  if (results_kind(dir).ok()) {
    return {};
  }
  return Error{dir.string(), "not empty and not an hcesim results folder (no manifest.json with a "
                             "kind): give --out a new or empty folder"};
}

Result<void> clear_earlier_results(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    return {};
  }
  return clear_in(dir);
}

} // namespace hcesim::cli
