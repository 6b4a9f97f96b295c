// `hcesim run` studies, `check` and `compare` end to end: --jobs 1 and --jobs 2 write the same
// bytes, a sweep writes the contract's files with common random numbers, check passes a bound
// that holds and fails one that is violated, compare pairs two sweep points.
#include "support/files.h"
#include "support/run_command.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

using hcesim::testing::run_command;

using hcesim::testing::slurp;
using hcesim::testing::write_file;

namespace {

namespace fs = std::filesystem;
const std::string kBin = HCESIM_BIN;
const std::string kScenario = HCESIM_SOURCE_DIR "/scenarios/default.txtpb";
const std::string kSmall =
    " --set population.riders=150 --set city.synthetic.metro_lines=2"
    " --set city.synthetic.stations_per_line=8 --set city.synthetic.bus_routes=10"
    " --set city.synthetic.stops_per_bus_route=8 --set city.synthetic.size_km=6"
    " --set warmup=0s --set drain=6h --no-report"; // report.html embeds the manifest

// Manifests carry wall time, memory, the command line and --jobs: drop those lines.
std::string stable(const fs::path& p) {
  std::string text = slurp(p);
  if (p.filename() == "manifest.json") {
    static const std::regex volatile_lines(
        R"re(\n *"(wall_time_s|run_time_s|peak_memory_kib|command_line|jobs|ranks)": [^\n]*)re");
    text = std::regex_replace(text, volatile_lines, "");
  }
  return text;
}

// Every file under a, byte for byte (manifests without their volatile lines) against b.
void expect_same_tree(const fs::path& a, const fs::path& b) {
  size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(a)) {
    if (!e.is_regular_file()) {
      continue;
    }
    const fs::path rel = fs::relative(e.path(), a);
    ASSERT_TRUE(fs::exists(b / rel)) << rel;
    EXPECT_EQ(stable(a / rel), stable(b / rel)) << rel;
    ++files;
  }
  EXPECT_GT(files, 10U);
}

TEST(StudyCli, JobsOneAndJobsTwoWriteTheSameResults) {
  const fs::path base = fs::temp_directory_path() / "hcesim_study_jobs";
  fs::remove_all(base);
  const std::string cmd = kBin + " run " + kScenario + kSmall +
                          " --replications 2 --sweep token_policy.offline_limit=1,4 --quiet";
  const auto one = run_command(cmd + " --jobs 1 --out " + (base / "j1").string());
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const auto two = run_command(cmd + " --jobs 2 --out " + (base / "j2").string());
  ASSERT_EQ(two.exit_code, 0) << two.err;
  expect_same_tree(base / "j1", base / "j2");

  // The sweep's files as docs/results.md has them.
  const std::string sweep = slurp(base / "j1/sweep.csv");
  EXPECT_EQ(sweep.rfind("point,token_policy.offline_limit,trips_mean,trips_ci_low,", 0), 0U)
      << sweep;
  EXPECT_NE(slurp(base / "j1/manifest.json").find("\"common_random_numbers\": true"),
            std::string::npos);
  EXPECT_EQ(slurp(base / "j1/metamodel.csv").rfind("kpi,term,coefficient,r2\n", 0), 0U);
  EXPECT_NE(slurp(base / "j1/sweep_replications.csv").find("1,1,4,refusal_rate,"),
            std::string::npos);
  // Point 1 against point 0, paired over the replications: the same trips under common random
  // numbers differ by exactly nothing; the refusal rate by a paired interval.
  const std::string diffs = slurp(base / "j1/sweep_differences.csv");
  EXPECT_EQ(diffs.rfind("point,token_policy.offline_limit,kpi,unit,difference,ci_low,ci_high,"
                        "paired,verdict\n",
                        0),
            0U)
      << diffs;
  EXPECT_NE(diffs.find("\n1,4,trips,count,0,0,0,true,no significant difference\n"),
            std::string::npos)
      << diffs;
  EXPECT_NE(diffs.find("\n1,4,refusal_rate,share,"), std::string::npos) << diffs;
  // Two points and one axis: a line through two means says nothing, so no fit is written.
  EXPECT_EQ(slurp(base / "j1/metamodel.csv"), "kpi,term,coefficient,r2\n");
  EXPECT_NE(slurp(base / "j1/point-0/summary.json").find("\"confidence_intervals\": \"95% t\""),
            std::string::npos);
  // Common random numbers: replication k of both points ran the same seed, and the riders' trips
  // (drawn before any policy acts) are the same.
  const std::string reps0 = slurp(base / "j1/point-0/replications.csv");
  const std::string reps1 = slurp(base / "j1/point-1/replications.csv");
  std::smatch t0;
  std::smatch t1;
  const std::regex trips(R"(\n1,([0-9]+),trips,all,([0-9]+),)");
  ASSERT_TRUE(std::regex_search(reps0, t0, trips));
  ASSERT_TRUE(std::regex_search(reps1, t1, trips));
  EXPECT_EQ(t0[1].str(), t1[1].str());
  EXPECT_EQ(t0[2].str(), t1[2].str());

  // compare pairs the two points (they share seeds).
  const auto cmp =
      run_command(kBin + " compare " + (base / "j1/point-0").string() + " " +
                  (base / "j1/point-1").string() + " --out " + (base / "cmp").string());
  ASSERT_EQ(cmp.exit_code, 0) << cmp.err;
  const std::string csv = slurp(base / "cmp/comparison.csv");
  EXPECT_EQ(csv.rfind("kpi,unit,a_mean,b_mean,difference,ci_low,ci_high,paired,verdict\n", 0), 0U);
  EXPECT_NE(csv.find("\ntrips,count,"), std::string::npos);
  EXPECT_NE(csv.find(",true,no significant difference\n"), std::string::npos) << csv;
  // Many KPIs each at 5 %: the output says how many verdicts chance alone would give.
  EXPECT_NE(cmp.out.find("(each KPI tested alone at 5 %: of "), std::string::npos) << cmp.out;

  // --report charts the deltas beside comparison.csv (the chart library comes from setup.sh).
  const auto page =
      run_command(kBin + " compare " + (base / "j1/point-0").string() + " " +
                  (base / "j1/point-1").string() + " --report --out " + (base / "cmpr").string());
  if (fs::exists(HCESIM_SOURCE_DIR "/report/node_modules/vega/build/vega.min.js")) {
    ASSERT_EQ(page.exit_code, 0) << page.err;
    EXPECT_NE(page.out.find("report: "), std::string::npos) << page.out;
    EXPECT_NE(slurp(base / "cmpr/report.html").find("kpi,unit,a_mean,b_mean"), std::string::npos);
  } else {
    EXPECT_EQ(page.exit_code, 1);
    EXPECT_NE(page.err.find("scripts/setup.sh"), std::string::npos) << page.err;
  }
  fs::remove_all(base);
}

TEST(StudyCli, CheckPassesABoundThatHoldsAndFailsOneThatIsViolated) {
  const fs::path dir = fs::temp_directory_path() / "hcesim_study_check";
  fs::remove_all(dir);
  fs::create_directories(dir / "good");
  fs::create_directories(dir / "bad");
  const std::string head =
      "seed: 5\nwarmup: \"0s\"\ndrain: \"6h\"\n"
      "city { synthetic { metro_lines: 2 stations_per_line: 8 bus_routes: 10 "
      "stops_per_bus_route: 8 size_km: 6 metro_fare_rules: \"" HCESIM_SOURCE_DIR
      "/scenarios/fares/nanchang.txtpb\" } }\npopulation { riders: 150 }\n";
  write_file(dir / "good/s.txtpb", head + "expectations { kpis { kpi: \"taps_accepted\" min: 1 } "
                                          "kpis { kpi: \"refusal_rate\" max: 1 } }\n");
  write_file(dir / "bad/s.txtpb",
             head + "expectations { kpis { kpi: \"taps_accepted\" max: 0 } }\n");
  const auto good = run_command(kBin + " check " + (dir / "good").string() + " --jobs 1 --out " +
                                (dir / "out").string());
  EXPECT_EQ(good.exit_code, 0) << good.out << good.err;
  EXPECT_NE(good.out.find("ok   "), std::string::npos) << good.out;
  EXPECT_NE(good.out.find("taps_accepted >= 1: measured "), std::string::npos) << good.out;
  const auto bad = run_command(kBin + " check " + (dir / "bad").string() + " --jobs 1 --out " +
                               (dir / "out").string());
  EXPECT_EQ(bad.exit_code, 3) << bad.out << bad.err;
  EXPECT_NE(bad.out.find("FAIL "), std::string::npos) << bad.out;

  // --update pins the fingerprint; the next check verifies it.
  const auto pin = run_command(kBin + " check " + (dir / "good").string() +
                               " --update --jobs 1 --out " + (dir / "out").string());
  ASSERT_EQ(pin.exit_code, 0) << pin.out << pin.err;
  EXPECT_NE(pin.out.find("fingerprint \"\" -> \""), std::string::npos) << pin.out;
  const std::string pinned = slurp(dir / "good/s.txtpb");
  EXPECT_NE(pinned.find("fingerprint: \""), std::string::npos) << pinned;
  const auto again = run_command(kBin + " check " + (dir / "good").string() + " --jobs 1 --out " +
                                 (dir / "out").string());
  EXPECT_EQ(again.exit_code, 0) << again.out;
  EXPECT_NE(again.out.find("ok   " + (dir / "good/s.txtpb").string() + ": fingerprint "),
            std::string::npos)
      << again.out;
  // A wrong pin fails.
  write_file(
      dir / "good/s.txtpb",
      std::regex_replace(pinned, std::regex("fingerprint: \"[0-9a-f]+\""), "fingerprint: \"1\""));
  const auto wrong = run_command(kBin + " check " + (dir / "good").string() + " --jobs 1 --out " +
                                 (dir / "out").string());
  EXPECT_EQ(wrong.exit_code, 3) << wrong.out;
  fs::remove_all(dir);
}

TEST(StudyCli, ABadSweepValueIsBadInputNamingTheAxis) {
  const auto r = run_command(kBin + " run " + kScenario + kSmall +
                             " --sweep token_policy.offline_limit=3,many --quiet");
  EXPECT_EQ(r.exit_code, 2);
  // Named by the --sweep argument typed, not the sweep.axes[0] overrides it becomes inside.
  EXPECT_EQ(r.err.rfind("error: --sweep token_policy.offline_limit=3,many: ", 0), 0U) << r.err;
  EXPECT_EQ(r.err.find("sweep.axes"), std::string::npos) << r.err;
  const auto range = run_command(kBin + " run " + kScenario + kSmall +
                                 " --sweep token_policy.offline_limit=3,0 --quiet");
  EXPECT_EQ(range.exit_code, 2);
  EXPECT_EQ(range.err.rfind("error: --sweep token_policy.offline_limit=3,0: sweep point 1 "
                            "(token_policy.offline_limit=0)",
                            0),
            0U)
      << range.err;
  EXPECT_EQ(range.err.find("--set"), std::string::npos) << range.err;
}

} // namespace
