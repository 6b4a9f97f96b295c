// `hcesim compare` on hand-made results folders: two currencies are refused (their amounts cannot
// be subtracted), two single runs say they have no interval (paired or not), and --out follows the
// results-folder rule.
#include "support/files.h"
#include "support/run_command.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using hcesim::testing::run_command;
namespace fs = std::filesystem;

using hcesim::testing::slurp;
using hcesim::testing::write_file;

namespace {

const std::string kBin = HCESIM_BIN;

// A single run's folder as `hcesim run` writes it (the parts compare reads).
void single_run(const fs::path& dir, const std::string& currency, uint64_t seed, int fares) {
  write_file(dir / "manifest.json",
             "{\n  \"scenario_file\": \"s.txtpb\",\n  \"scenario\": \"city {\\n  "
             "currency: \\\"XXX\\\"\\n}\","
             "\n  \"seed\": " +
                 std::to_string(seed) + ",\n  \"currency\": \"" + currency +
                 "\",\n  \"kind\": \"run\",\n  \"replications\": 1\n}\n");
  write_file(dir / "kpis.csv", "kpi,segment,value,unit\nfares_settled,all," +
                                   std::to_string(fares) + "," + currency +
                                   "\nrefusal_rate,all,0.01,share\n");
}

struct Folders {
  fs::path base;
  Folders()
      : base(fs::temp_directory_path() / ("hcesim_compare_cli_" + std::to_string(::getpid()))) {
    fs::remove_all(base);
  }
  ~Folders() { fs::remove_all(base); }
};

} // namespace

TEST(CompareCli, FoldersInTwoCurrenciesAreBadInputNamingBoth) {
  const Folders f;
  single_run(f.base / "nanchang", "CNY", 1, 81162);
  single_run(f.base / "hyderabad", "INR", 1, 380625);
  const auto r =
      run_command(kBin + " compare " + (f.base / "nanchang").string() + " " +
                  (f.base / "hyderabad").string() + " --out " + (f.base / "cmp").string());
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_EQ(r.err, "error: " + (f.base / "hyderabad").string() + " is in INR and " +
                       (f.base / "nanchang").string() +
                       " in CNY: compare results folders of the same currency\n");
  EXPECT_FALSE(fs::exists(f.base / "cmp")) << "nothing written";
}

TEST(CompareCli, TwoSingleRunsHaveNoIntervalWhateverTheirSeeds) {
  const Folders f;
  single_run(f.base / "a", "CNY", 7, 100);
  single_run(f.base / "b", "CNY", 7, 120);
  const auto r = run_command(kBin + " compare " + (f.base / "a").string() + " " +
                             (f.base / "b").string() + " --out " + (f.base / "cmp").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Same seed: the one difference is paired in spirit, but one pair gives no interval (docs).
  EXPECT_NE(r.out.find("(single runs: no interval)\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("unpaired"), std::string::npos) << r.out;
  EXPECT_NE(slurp(f.base / "cmp/comparison.csv")
                .find("fares_settled,CNY,100,120,20,,,false,no interval\n"),
            std::string::npos);
  EXPECT_NE(r.out.find("no interval"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("no significant difference"), std::string::npos) << r.out; // untested
  EXPECT_EQ(r.out.find("null"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("tested alone"), std::string::npos) << r.out; // nothing was tested
}

TEST(CompareCli, OutMustBeNewEmptyOrAnEarlierResultsFolder) {
  const Folders f;
  single_run(f.base / "a", "CNY", 7, 100);
  single_run(f.base / "b", "CNY", 8, 120);
  write_file(f.base / "mine/thesis.tex", "mine");
  const std::string cmd =
      kBin + " compare " + (f.base / "a").string() + " " + (f.base / "b").string() + " --out ";
  auto r = run_command(cmd + (f.base / "mine").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not an hcesim results folder"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(f.base / "mine/comparison.csv"));
  // An earlier run's folder becomes the comparison's: the run's files go.
  r = run_command(cmd + (f.base / "a").string());
  EXPECT_EQ(r.exit_code, 2) << "the comparison would clear A, one of its inputs";
  EXPECT_NE(r.err.find("holds a folder being compared"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(f.base / "a/kpis.csv"));
  // Nor may it hold one: two points of a sweep compared into the sweep's folder would clear its
  // point-<i>/ folders.
  single_run(f.base / "sw", "CNY", 3, 1);
  single_run(f.base / "sw/point-0", "CNY", 4, 100);
  single_run(f.base / "sw/point-1", "CNY", 5, 110);
  r = run_command(kBin + " compare " + (f.base / "sw/point-0").string() + " " +
                  (f.base / "sw/point-1/").string() + " --out " + (f.base / "sw").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("holds a folder being compared"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(f.base / "sw/point-0/kpis.csv"));
  EXPECT_TRUE(fs::exists(f.base / "sw/point-1/kpis.csv"));
  r = run_command(cmd + (f.base / "cmp").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  single_run(f.base / "cmp", "CNY", 1, 1);
  r = run_command(cmd + (f.base / "cmp").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(f.base / "cmp/kpis.csv"));
  EXPECT_TRUE(fs::exists(f.base / "cmp/comparison.csv"));
}
