// Where results go: a scenario name as one safe folder name, and the --out rule (an earlier
// results folder has hcesim's files replaced, anything else non-empty is refused).
#include "hcesim/results_folder.h"

#include "support/files.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using hcesim::cli::check_results_folder;
using hcesim::cli::clear_earlier_results;
using hcesim::cli::default_run_folder;
using hcesim::cli::folder_name;

using hcesim::testing::write_file;

namespace {

fs::path fresh(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("hcesim_results_folder_" + name + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

} // namespace

// The policy scenarios say "run it, then run it again with --set ... and compare": both runs
// wrote results/runs/<name>-seed1, the second silently replacing the first.
TEST(ResultsFolder, RunsWithOtherSetValuesGetTheirOwnDefaultFolder) {
  EXPECT_EQ(default_run_folder("policy", 1, {}), fs::path("results/runs/policy-seed1"));
  EXPECT_EQ(default_run_folder("policy", 1, {"token_policy.offline_limit=10"}),
            fs::path("results/runs/policy-seed1-token_policy.offline_limit=10"));
  // Whole paths: two fields of one last name do not share a folder.
  EXPECT_NE(default_run_folder("p", 1, {"cloud.outages[0].duration=6h"}),
            default_run_folder("p", 1, {"faults.windows[0].duration=6h"}));
  // name= and seed= are in the folder's name already; a value with '/' stays one component.
  EXPECT_EQ(default_run_folder("x", 3, {"name=x", "seed=3", "days=2"}),
            fs::path("results/runs/x-seed3-days=2"));
  EXPECT_EQ(default_run_folder("x", 3, {"city.gtfs.folder=/d"}).parent_path(),
            fs::path("results/runs"));
  // A sweep, --zip and --replications are part of what was run.
  EXPECT_EQ(default_run_folder("p", 1, {}, {"days=1,2"}, true, 3),
            fs::path("results/runs/p-seed1-sweep-days=1,2-zip-rep3"));
  EXPECT_NE(default_run_folder("p", 1, {}, {"days=1,2"}),
            default_run_folder("p", 1, {}, {"days=3,4"}));
  // Long lists become a digest: distinct for distinct overrides, the same for the same.
  const std::vector<std::string> many(8, "token_policy.offline_limit=10");
  std::vector<std::string> other = many;
  other.back() = "token_policy.offline_limit=11";
  const std::string a = default_run_folder("p", 1, many).filename().string();
  EXPECT_EQ(a.rfind("p-seed1-set-", 0), 0U) << a;
  EXPECT_EQ(a.size(), std::string("p-seed1-set-").size() + 16);
  EXPECT_EQ(default_run_folder("p", 1, many), default_run_folder("p", 1, many));
  EXPECT_NE(default_run_folder("p", 1, many), default_run_folder("p", 1, other));
  // A name too long for one path component is cut, with a digest of the whole.
  const std::string cut = default_run_folder(std::string(300, 'n'), 1, {}).filename().string();
  EXPECT_EQ(cut.size(), 80 + 1 + 16 + std::string("-seed1").size()) << cut;
  EXPECT_NE(default_run_folder(std::string(300, 'n'), 1, {}),
            default_run_folder(std::string(299, 'n'), 1, {}));
}

TEST(ResultsFolder, ANameBecomesOnePathComponent) {
  EXPECT_EQ(folder_name("default"), "default");
  EXPECT_EQ(folder_name("Nanchang Metro"), "Nanchang Metro");
  EXPECT_EQ(folder_name("../x y/z"), "_.._x y_z");
  EXPECT_EQ(folder_name(".."), "_..");
  EXPECT_EQ(folder_name("."), "_.");
  EXPECT_EQ(folder_name(""), "_");
  EXPECT_EQ(folder_name("a\\b\nc"), "a_b_c");
  for (const char* name : {"../x y/z", "..", "/etc", "a/../../b"}) {
    const fs::path p = fs::path("results/runs") / (folder_name(name) + "-seed1");
    EXPECT_EQ(p.parent_path(), fs::path("results/runs")) << name;
    EXPECT_EQ(p.lexically_normal().parent_path(), fs::path("results/runs")) << name;
  }
}

TEST(ResultsFolder, ANewOrEmptyOrEarlierResultsFolderIsUsable) {
  const fs::path dir = fresh("usable");
  EXPECT_TRUE(check_results_folder(dir).ok());
  fs::create_directories(dir);
  EXPECT_TRUE(check_results_folder(dir).ok());
  write_file(dir / "manifest.json", "{\n  \"kind\": \"replications\"\n}\n");
  EXPECT_TRUE(check_results_folder(dir).ok());
  fs::remove_all(dir);
}

TEST(ResultsFolder, AnyOtherFolderOrAFileIsRefused) {
  const fs::path dir = fresh("refused");
  write_file(dir / "thesis.tex", "mine");
  const auto r = check_results_folder(dir);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().where, dir.string());
  EXPECT_NE(r.error().what.find("not an hcesim results folder"), std::string::npos);
  EXPECT_FALSE(check_results_folder(dir / "thesis.tex").ok());
  write_file(dir / "manifest.json", "{\"kind\": \"thesis\"}");
  EXPECT_FALSE(check_results_folder(dir).ok()) << "a manifest of another kind is not ours";
  EXPECT_FALSE(check_results_folder("/").ok());
  // A folder the file system cannot make (a name past its limit) is refused before any run.
  const auto too_long = check_results_folder(dir / std::string(300, 'n'));
  ASSERT_FALSE(too_long.ok());
  EXPECT_NE(too_long.error().what.find("cannot be used"), std::string::npos);
  fs::remove_all(dir);
}

TEST(ResultsFolder, WithinTellsAFolderInsideAnother) {
  const fs::path dir = fresh("within");
  fs::create_directories(dir / "point-0");
  EXPECT_TRUE(hcesim::cli::within(dir / "point-0", dir));
  EXPECT_TRUE(hcesim::cli::within(dir / "point-0/", dir / ""));
  EXPECT_TRUE(hcesim::cli::within(dir, dir));
  EXPECT_TRUE(hcesim::cli::within(dir / "x/../point-0", dir));
  EXPECT_FALSE(hcesim::cli::within(dir, dir / "point-0"));
  EXPECT_FALSE(hcesim::cli::within(dir.string() + "-other", dir));
  fs::remove_all(dir);
}

TEST(ResultsFolder, ClearingRemovesOnlyTheFilesHcesimWrites) {
  const fs::path dir = fresh("clear");
  for (const char* f :
       {"manifest.json", "summary.json", "kpis.csv", "timeseries.csv", "report.html",
        "replications.csv", "sweep.csv", "sweep_replications.csv", "sweep_differences.csv",
        "metamodel.csv", "comparison.csv", "rep-0/manifest.json", "rep-0/kpis.csv",
        "point-1/rep-12/timeseries.csv", "point-1/summary.json", "rep-1/kpis.csv"}) {
    write_file(dir / f, "x");
  }
  write_file(dir / "notes.txt", "mine");
  write_file(dir / "rep-1/notes.txt", "mine");
  write_file(dir / "rep-x/kpis.csv", "not a rep-<k> folder");
  write_file(dir / "extra/kpis.csv", "not ours");
  ASSERT_TRUE(clear_earlier_results(dir).ok());
  std::vector<std::string> left;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    left.push_back(fs::relative(e.path(), dir).string());
  }
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, (std::vector<std::string>{"extra", "extra/kpis.csv", "notes.txt", "rep-1",
                                            "rep-1/notes.txt", "rep-x", "rep-x/kpis.csv"}));
  fs::remove_all(dir);
}

namespace {

std::vector<std::string> tree(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    out.push_back(fs::relative(e.path(), dir).string() +
                  (fs::is_regular_file(e.path()) ? "=" + hcesim::testing::slurp(e.path()) : ""));
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Nothing left of the folder the results are written in first (inside `dir`).
bool no_staging_in(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename().string().rfind(".hcesim-writing-", 0) == 0) {
      return false;
    }
  }
  return true;
}

} // namespace

TEST(ResultsFolder, AWriteThatFailsLeavesTheEarlierResultsAsTheyWere) {
  const fs::path dir = fresh("failed_write");
  write_file(dir / "manifest.json", "earlier");
  write_file(dir / "rep-0/kpis.csv", "earlier");
  write_file(dir / "notes.txt", "mine");
  const std::vector<std::string> before = tree(dir);
  const hcesim::Result<void> r =
      hcesim::cli::replace_results(dir, [](const std::string& folder, std::string& error) {
        write_file(fs::path(folder) / "manifest.json", "new");
        error = folder + "/kpis.csv: cannot write: No space left on device"; // half written
        return false;
      });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().to_string(), (dir / "kpis.csv").string() +
                                       ": cannot write: No space left on device (nothing "
                                       "replaced: the earlier results are as they were)")
      << "the file named where it was going, not in the folder written first";
  EXPECT_EQ(tree(dir), before);
  EXPECT_TRUE(no_staging_in(dir));
  fs::remove_all(dir);
}

TEST(ResultsFolder, WhatAnInterruptedWriteLeftDoesNotMakeAFolderUnusable) {
  const fs::path dir = fresh("interrupted");
  write_file(dir / ".hcesim-writing-123-0/manifest.json", "half");
  EXPECT_TRUE(check_results_folder(dir).ok());
  write_file(dir / "notes.txt", "mine");
  EXPECT_FALSE(check_results_folder(dir).ok());
  fs::remove_all(dir);
}

TEST(ResultsFolder, AWriteThatSucceedsReplacesHcesimsFilesAndKeepsTheRest) {
  const fs::path dir = fresh("replaced");
  write_file(dir / "manifest.json", "earlier");
  write_file(dir / "rep-0/kpis.csv", "earlier"); // a replicated run's, before a single run
  write_file(dir / "rep-1/kpis.csv", "earlier");
  write_file(dir / "rep-1/notes.txt", "mine");
  write_file(dir / "notes.txt", "mine");
  const hcesim::Result<void> r =
      hcesim::cli::replace_results(dir / "", [](const std::string& folder, std::string&) {
        write_file(fs::path(folder) / "manifest.json", "new");
        write_file(fs::path(folder) / "rep-1/kpis.csv", "new");
        return true;
      });
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(tree(dir), (std::vector<std::string>{"manifest.json=new", "notes.txt=mine", "rep-1",
                                                 "rep-1/kpis.csv=new", "rep-1/notes.txt=mine"}));
  EXPECT_TRUE(no_staging_in(dir));
  // Into a folder that is not there yet.
  const fs::path fresh_dir = fresh("replaced_new") / "deep";
  ASSERT_TRUE(hcesim::cli::replace_results(fresh_dir, [](const std::string& folder, std::string&) {
                write_file(fs::path(folder) / "summary.json", "{}");
                return true;
              }).ok());
  EXPECT_EQ(tree(fresh_dir), (std::vector<std::string>{"summary.json={}"}));
  // A first write that fails leaves no folder behind.
  const fs::path never = fresh("replaced_never");
  // A writer that fails without saying why still fails (and says it could not write).
  const hcesim::Result<void> silent =
      hcesim::cli::replace_results(never, [](const std::string&, std::string&) { return false; });
  ASSERT_FALSE(silent.ok());
  EXPECT_EQ(silent.error().to_string(), "cannot write the results");
  EXPECT_FALSE(fs::exists(never));
  fs::remove_all(dir);
  fs::remove_all(fresh_dir.parent_path());
}
