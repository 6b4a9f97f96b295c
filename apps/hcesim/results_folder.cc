#include "hcesim/results_folder.h"

#include "hcesim/report_page.h"
#include "study/expectations.h"

#include <unistd.h>

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
constexpr std::array<std::string_view, 12> kResultsFiles = {"manifest.json",
                                                            "summary.json",
                                                            "kpis.csv",
                                                            "timeseries.csv",
                                                            "report.html",
                                                            "report.html.tmp",
                                                            "replications.csv",
                                                            "sweep.csv",
                                                            "sweep_replications.csv",
                                                            "metamodel.csv",
                                                            "sweep_differences.csv",
                                                            "comparison.csv"};

// The folder replace_results writes in first, inside the results folder.
constexpr std::string_view kStagingPrefix = ".hcesim-writing-";

bool staging_folder(const fs::path& p) {
  return p.filename().string().rfind(kStagingPrefix, 0) == 0;
}

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

// The folder's entries, listed before any is removed or moved (changing a folder while iterating
// it is unspecified).
Result<std::vector<fs::path>> entries_of(const fs::path& dir) {
  std::error_code ec;
  std::vector<fs::path> entries;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    entries.push_back(e.path());
  }
  if (ec) {
    return Error{dir.string(), "cannot read the folder: " + ec.message()};
  }
  return entries;
}

Result<void> clear_in(const fs::path& dir) {
  const Result<std::vector<fs::path>> entries = entries_of(dir);
  if (!entries.ok()) {
    return entries.error();
  }
  std::error_code ec;
  for (const fs::path& p : *entries) {
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

// Moves every entry of `from` into `to` (same file system: renames), merging into a folder that
// is there already (a rep-<k>/ kept for a file hcesim did not write).
Result<void> move_into(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::create_directories(to, ec);
  if (ec) {
    return Error{to.string(), "cannot create the folder: " + ec.message()};
  }
  const Result<std::vector<fs::path>> entries = entries_of(from);
  if (!entries.ok()) {
    return entries.error();
  }
  for (const fs::path& p : *entries) {
    const fs::path target = to / p.filename();
    if (fs::is_directory(p, ec) && fs::is_directory(target, ec)) {
      if (Result<void> r = move_into(p, target); !r.ok()) {
        return r;
      }
      fs::remove(p, ec);
      continue;
    }
    fs::rename(p, target, ec);
    if (ec) {
      return Error{target.string(), "cannot move the new result into place: " + ec.message()};
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

namespace {

// FNV-1a of `text` as 16 hex digits: short, stable names for what is too long to spell out.
std::string digest_hex(const std::string& text) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : text) {
    h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  }
  return study::fingerprint_text(h);
}

} // namespace

fs::path default_run_folder(const std::string& name, uint64_t seed,
                            const std::vector<std::string>& overrides,
                            const std::vector<std::string>& sweep, bool zip,
                            std::optional<uint32_t> replications) {
  std::vector<std::string> parts;
  for (const std::string& o : overrides) {
    const std::string field = o.substr(0, o.find('='));
    if (field != "name" && field != "seed") { // already in the folder's name
      parts.push_back(o);
    }
  }
  for (const std::string& axis : sweep) {
    parts.push_back("sweep-" + axis);
  }
  if (zip) {
    parts.push_back("zip");
  }
  if (replications) {
    parts.push_back("rep" + std::to_string(*replications));
  }
  std::string suffix;
  std::string joined; // each part and a newline: what the digest is of
  for (const std::string& p : parts) {
    suffix += "-" + p;
    joined += p + '\n';
  }
  if (suffix.size() > 60) {
    suffix = "-set-" + digest_hex(joined);
  }
  // A name past what a file system takes in one component (255 bytes) is cut, with its digest.
  const std::string label = name.size() > 100 ? name.substr(0, 80) + "-" + digest_hex(name) : name;
  return fs::path("results/runs") / folder_name(label + "-seed" + std::to_string(seed) + suffix);
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
  // Empty but for what a run stopped while writing left (a crash, a kill): usable.
  bool empty = true;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    empty = empty && staging_folder(e.path());
  }
  if (!ec && empty) {
    return {};
  }
  if (results_kind(dir).ok()) {
    return {};
  }
  return Error{dir.string(), "not empty and not an hcesim results folder (no manifest.json with a "
                             "kind): give --out a new or empty folder"};
}

Result<void>
replace_results(const fs::path& dir,
                const std::function<bool(const std::string& folder, std::string& error)>& write) {
  fs::path target = dir.lexically_normal();
  if (target.filename().empty()) {
    target = target.parent_path(); // "out/" names "out"
  }
  std::error_code ec;
  const bool existed = fs::exists(target, ec);
  fs::create_directories(target, ec);
  if (ec) {
    return Error{target.string(), "cannot create the results folder: " + ec.message()};
  }
  // Inside the target, so on its file system whatever it is mounted on or linked to (moving in is
  // renaming), and needing no more than the target's own permissions.
  fs::path staging;
  for (int attempt = 0;; ++attempt) {
    staging = target / (std::string(kStagingPrefix) + std::to_string(::getpid()) + "-" +
                        std::to_string(attempt));
    if (fs::create_directory(staging, ec)) {
      break;
    }
    if (ec || attempt == 100) {
      return Error{staging.string(), "cannot create the folder the results are written in first" +
                                         (ec ? ": " + ec.message() : std::string())};
    }
  }
  if (std::string error; !write(staging.string(), error)) {
    if (error.empty()) {
      error = "cannot write the results";
    }
    fs::remove_all(staging, ec);
    if (!existed) {
      fs::remove(target, ec); // leave no empty folder behind
    }
    // The writer names files in the staging folder, gone now: name them where they were going.
    for (size_t at = error.find(staging.string()); at != std::string::npos;
         at = error.find(staging.string(), at)) {
      error.replace(at, staging.string().size(), target.string());
    }
    return Error{"", existed ? error + " (nothing replaced: the earlier results are as they were)"
                             : error};
  }
  if (Result<void> cleared = clear_earlier_results(target); !cleared.ok()) {
    return Error{cleared.error().where,
                 cleared.error().what + " (the new results are in " + staging.string() + ")"};
  }
  if (Result<void> moved = move_into(staging, target); !moved.ok()) {
    return Error{moved.error().where, moved.error().what + " (the rest of the new results are in " +
                                          staging.string() + ")"};
  }
  fs::remove(staging, ec);
  return {};
}

Result<void> clear_earlier_results(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    return {};
  }
  return clear_in(dir);
}

} // namespace hcesim::cli
