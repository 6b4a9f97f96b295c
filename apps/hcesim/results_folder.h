#pragma once
// Where a command's results go (docs/results.md "Results folders"): a scenario name made into one
// safe folder name, and the rule for an --out folder that already exists: an earlier hcesim
// results folder has its results files replaced, any other non-empty folder is refused.
#include "base/error.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace hcesim::cli {

//! `name` as one path component: '/', '\\' and control characters become '_', and so does a
//! leading '.', so no name can climb out of results/runs/ or hide its folder.
std::string folder_name(const std::string& name);

//! `run`'s default results folder: results/runs/<name>-seed<N>, then "-<path>=<value>" for each
//! --set but name= and seed=, "-sweep-<path>=<values>" for each --sweep, "-zip" and "-rep<N>"
//! (`policy-seed1-token_policy.offline_limit=10`), so a run with other values does not replace
//! the first one's results; past 60 characters those become "-set-<16 hex digits>" of them. All
//! made one folder name (folder_name).
std::filesystem::path default_run_folder(const std::string& name, uint64_t seed,
                                         const std::vector<std::string>& overrides,
                                         const std::vector<std::string>& sweep = {},
                                         bool zip = false,
                                         std::optional<uint32_t> replications = std::nullopt);

//! Whether `path` is `dir` or lies inside it (symbolic links and `..` resolved as far as they
//! exist).
bool within(const std::filesystem::path& path, const std::filesystem::path& dir);

//! Ok when `dir` is absent, an empty folder (or one holding only what an interrupted write left),
//! or an earlier results folder (its manifest.json has a kind hcesim writes); otherwise an error
//! naming `dir`. Reads only.
Result<void> check_results_folder(const std::filesystem::path& dir);

//! Removes the results files hcesim writes (manifest.json, summary.json, kpis.csv, timeseries.csv,
//! report.html, replications.csv, sweep.csv, sweep_replications.csv, sweep_differences.csv,
//! metamodel.csv, comparison.csv, and those files inside rep-<k>/ and point-<i>/, dropping those
//! folders when they are left empty) from a folder check_results_folder accepted; nothing else.
Result<void> clear_earlier_results(const std::filesystem::path& dir);

//! Writes a command's results into `dir` (one check_results_folder accepted) so that a write that
//! fails (a full disk, say) leaves the earlier results as they were: `write` writes into a hidden
//! folder inside `dir` (.hcesim-writing-<pid>-<n>) and returns false, saying why in its second
//! argument, when it could not (the shape of study::write_study and write_files); only once it
//! has written everything are the earlier results cleared (clear_earlier_results) and the new
//! ones moved in (renamed: the same file system). A failure while clearing or moving says where
//! the new results are.
Result<void>
replace_results(const std::filesystem::path& dir,
                const std::function<bool(const std::string& folder, std::string& error)>& write);

} // namespace hcesim::cli
