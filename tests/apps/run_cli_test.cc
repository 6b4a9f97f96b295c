// `hcesim run`: a small scenario runs, writes its three result files and prints where they are;
// the same seed writes the same bytes; a bad scenario is exit code 2; --out replaces an earlier
// results folder and refuses any other; the name cannot leave results/runs/; --seed is strict;
// fingerprints have 16 digits; the manifest's command line runs again when pasted.
#include "support/files.h"
#include "support/run_command.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

using hcesim::testing::run_command;

using hcesim::testing::slurp;

namespace {

const std::string kBin = HCESIM_BIN;
const std::string kSmall =
    " --set population.riders=200 --set city.synthetic.metro_lines=2"
    " --set city.synthetic.stations_per_line=8 --set city.synthetic.bus_routes=10"
    " --set city.synthetic.stops_per_bus_route=8 --set city.synthetic.size_km=6"
    " --set warmup=0s --set drain=6h";

namespace fs = std::filesystem;
const std::string kRun = kBin + " run " + HCESIM_SOURCE_DIR "/scenarios/default.txtpb" + kSmall;

size_t lines(const std::string& text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

// The first capture of `pattern` in `text`, or "".
std::string first(const std::string& text, const std::string& pattern) {
  std::smatch m;
  return std::regex_search(text, m, std::regex(pattern)) ? m[1].str() : "";
}

TEST(RunCli, WithNoScenarioOutsideTheCheckoutItRunsTheCheckoutsDefault) {
  // Started in a folder with no scenarios/ (a user's own), `hcesim run` still runs the default.
  const auto cwd = std::filesystem::temp_directory_path() / "hcesim_run_cli_elsewhere";
  std::filesystem::remove_all(cwd);
  std::filesystem::create_directories(cwd);
  const auto r = run_command("cd " + cwd.string() + " && " + kBin + " run" + kSmall +
                             " --quiet --out " + (cwd / "out").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(slurp(cwd / "out" / "manifest.json").find(HCESIM_SOURCE_DIR "/scenarios/default.txtpb"),
            std::string::npos);
  // A path typed is read as typed: there is no scenarios/default.txtpb here.
  const auto typed =
      run_command("cd " + cwd.string() + " && " + kBin + " run scenarios/default.txtpb" + kSmall +
                  " --quiet --out " + (cwd / "out2").string());
  EXPECT_EQ(typed.exit_code, 2);
  EXPECT_NE(typed.err.find("cannot read the scenario file"), std::string::npos) << typed.err;
  std::filesystem::remove_all(cwd);
}

TEST(RunCli, ReplicationsPrintTheHeadlineKpisWithTheirIntervals) {
  const auto dir = std::filesystem::temp_directory_path() / "hcesim_run_cli_replications";
  std::filesystem::remove_all(dir);
  const auto r = run_command(kRun + " --replications 2 --quiet --out " + dir.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const std::string kpi : {"taps_accepted", "refusal_rate", "fares_settled"}) {
    EXPECT_NE(r.out.find("  " + kpi + " "), std::string::npos) << kpi << ": " << r.out;
  }
  EXPECT_NE(r.out.find("(95 % CI, n=2)"), std::string::npos) << r.out;
  std::filesystem::remove_all(dir);
}

TEST(RunCli, ASmallScenarioWritesItsResultsAndSaysWhere) {
  const auto dir = std::filesystem::temp_directory_path() / "hcesim_run_cli";
  std::filesystem::remove_all(dir);
  const auto r = run_command(kBin + " run " + HCESIM_SOURCE_DIR "/scenarios/default.txtpb" +
                             kSmall + " --seed 3 --quiet --out " + dir.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("results: " + dir.string()), std::string::npos) << r.out;
  const std::string manifest = slurp(dir / "manifest.json");
  EXPECT_NE(manifest.find("\"seed\": 3"), std::string::npos) << manifest;
  EXPECT_NE(manifest.find("\"fingerprint\""), std::string::npos);
  EXPECT_NE(slurp(dir / "summary.json").find("\"taps_accepted\""), std::string::npos);
  EXPECT_NE(slurp(dir / "kpis.csv").find("taps_accepted,all,"), std::string::npos);
  EXPECT_NE(r.out.find("peak credit exposure"), std::string::npos) << r.out;
  EXPECT_TRUE(std::filesystem::exists(dir / "timeseries.csv"));
  std::filesystem::remove_all(dir);
}

TEST(RunCli, TheSameSeedWritesByteIdenticalKpisAndTimeseries) {
  const auto base = std::filesystem::temp_directory_path() / "hcesim_run_cli_twice";
  std::filesystem::remove_all(base);
  std::string files[2][3];
  for (int i = 0; i < 2; ++i) {
    const auto dir = base / std::to_string(i);
    const auto r = run_command(kBin + " run " + HCESIM_SOURCE_DIR "/scenarios/default.txtpb" +
                               kSmall + " --set output.timeseries_interval=5min --seed 5 --quiet" +
                               " --out " + dir.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    files[i][0] = slurp(dir / "kpis.csv");
    files[i][1] = slurp(dir / "timeseries.csv");
    files[i][2] = slurp(dir / "summary.json");
  }
  EXPECT_EQ(files[0][0], files[1][0]);
  EXPECT_EQ(files[0][1], files[1][1]);
  EXPECT_EQ(files[0][2], files[1][2]);
  // Every KPI × segment, and a row per 5 minutes of the run (a day and a 6 h drain).
  EXPECT_NE(files[0][0].find("taps_accepted,hour:08,"), std::string::npos);
  EXPECT_NE(files[0][0].find("riders_refused_share,class:regular,"), std::string::npos);
  EXPECT_NE(files[0][0].find("refusal_rate,coverage:good,"), std::string::npos);
  EXPECT_EQ(std::count(files[0][1].begin(), files[0][1].end(), '\n'), 1 + 30 * 12);
  EXPECT_EQ(files[0][1].rfind("interval_start_s,interval_end_s,day,time_of_day,measured,", 0), 0u);
  EXPECT_NE(files[0][2].find("\"segments\": {"), std::string::npos);
  std::filesystem::remove_all(base);
}

TEST(RunCli, AnOutOfRangeValueIsBadInput) {
  const auto r = run_command(kBin + " run " + HCESIM_SOURCE_DIR "/scenarios/default.txtpb" +
                             " --set token_policy.offline_limit=0 --quiet");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("token_policy.offline_limit"), std::string::npos) << r.err;
}

TEST(RunCli, AnEarlierResultsFolderIsReplacedNotMixedWithTheNewRun) {
  const fs::path dir = fs::temp_directory_path() / "hcesim_run_cli_again";
  fs::remove_all(dir);
  auto r = run_command(kRun + " --quiet --no-report --replications 3 --out " + dir.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(fs::exists(dir / "rep-2/kpis.csv"));
  EXPECT_EQ(r.out.find("were replaced"), std::string::npos) << r.out;
  { std::ofstream(dir / "notes.txt") << "the user's"; }
  { std::ofstream(dir / "rep-1/notes.txt") << "the user's"; }
  r = run_command(kRun + " --quiet --no-report --out " + dir.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("(the earlier results in that folder were replaced)"), std::string::npos)
      << r.out; // said, not silent
  EXPECT_NE(slurp(dir / "manifest.json").find("\"kind\": \"run\""), std::string::npos);
  for (const char* gone : {"replications.csv", "rep-0", "rep-2", "rep-1/kpis.csv"}) {
    EXPECT_FALSE(fs::exists(dir / gone)) << gone << " of the earlier replications is left";
  }
  // Only hcesim's own files go: the user's stay, with the folder that holds one.
  EXPECT_EQ(slurp(dir / "notes.txt"), "the user's");
  EXPECT_EQ(slurp(dir / "rep-1/notes.txt"), "the user's");
  fs::remove_all(dir);
}

TEST(RunCli, AnOutFolderThatIsNotResultsIsRefusedBeforeTheRun) {
  const fs::path dir = fs::temp_directory_path() / "hcesim_run_cli_not_results";
  fs::remove_all(dir);
  fs::create_directories(dir);
  { std::ofstream(dir / "thesis.tex") << "mine"; }
  // (`--out /` is the same refusal, checked in results_folder_test without a run that could
  // write into / if this broke.)
  for (const fs::path& out : {dir, dir / "thesis.tex"}) {
    const auto r = run_command(kRun + " --quiet --no-report --out " + out.string());
    EXPECT_EQ(r.exit_code, 2) << out;
    EXPECT_EQ(r.err.rfind("error: " + out.string() + ": ", 0), 0U) << r.err;
    EXPECT_EQ(lines(r.err), 1U) << r.err;
    EXPECT_EQ(r.out, "") << "refused before running";
  }
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  fs::remove_all(dir);
}

TEST(RunCli, TheScenarioNameCannotTakeTheDefaultFolderOutOfResultsRuns) {
  const fs::path cwd = fs::temp_directory_path() / "hcesim_run_cli_name";
  fs::remove_all(cwd);
  fs::create_directories(cwd);
  const auto r = run_command("cd " + cwd.string() + " && " + kRun +
                             " --quiet --no-report --seed 11 --set 'name=../x y/z'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // kRun's --set overrides (a small city) add a digest of them to the folder's name.
  const std::string prefix = "results: results/runs/_.._x y_z-seed11-set-";
  const size_t at = r.out.find(prefix);
  ASSERT_NE(at, std::string::npos) << r.out;
  const std::string folder = r.out.substr(at + 9, r.out.find(' ', at + prefix.size()) - at - 9);
  EXPECT_TRUE(fs::exists(cwd / folder / "manifest.json")) << folder;
  // Nothing beside results/runs/: the old code wrote results/x y/z-seed11.
  std::vector<std::string> top;
  for (const auto& e : fs::directory_iterator(cwd / "results")) {
    top.push_back(e.path().filename().string());
  }
  EXPECT_EQ(top, std::vector<std::string>{"runs"});
  fs::remove_all(cwd);
}

TEST(RunCli, ABadSeedOrCountIsBadInputInOneLine) {
  for (const char* seed : {"-1", "18446744073709551616", "''", "0x10", "+3", "1.5"}) {
    const auto r = run_command(kRun + " --quiet --no-report --seed " + seed + " --out /dev/null");
    EXPECT_EQ(r.exit_code, 2) << seed;
    EXPECT_EQ(r.err.rfind("error: --seed: expected a whole number from 0 to "
                          "18446744073709551615, got \"",
                          0),
              0U)
        << r.err;
    EXPECT_EQ(lines(r.err), 1U) << r.err;
  }
  for (const char* option : {"--replications 0x2", "--replications -1", "--replications ''",
                             "--jobs 0x2", "--jobs ''", "--jobs +1"}) {
    const auto r = run_command(kRun + " --quiet --no-report " + option + " --out /dev/null");
    EXPECT_EQ(r.exit_code, 2) << option;
    EXPECT_NE(r.err.find("expected a whole number from 1 to "), std::string::npos) << r.err;
    EXPECT_EQ(lines(r.err), 1U) << r.err;
  }
}

// Options that did nothing, or that the scenario silently overrode, are bad input.
TEST(RunCli, OptionsThatWouldBeIgnoredAreBadInput) {
  auto r = run_command(kRun + " --quiet --no-report --out ''");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.err.find("--out: an empty or blank folder name"), std::string::npos) << r.err;
  r = run_command(kRun + " --quiet --no-report --out '   '");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  // A --set on a field the sweep varies was silently replaced by each point's value.
  r = run_command(kRun + " --quiet --no-report --set token_policy.offline_limit=7 --sweep "
                         "token_policy.offline_limit=1,3 --out /dev/null");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_EQ(r.err, "error: --set token_policy.offline_limit=7: the sweep varies "
                   "token_policy.offline_limit: each point's value replaces this one\n");
  r = run_command(kRun + " --quiet --no-report --zip --out /dev/null");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_EQ(r.err, "error: --zip: zips a sweep's axes (--sweep or the scenario's sweep.axes), and "
                   "this study has none\n");
  r = run_command(kRun + " --quiet --no-report --replications 2 --set "
                         "precision.kpis[0]=refusal_rate --out /dev/null");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_EQ(r.err, "error: --replications: the scenario's precision block decides how many "
                   "replications run: drop one or the other\n");
}

// Sweep points share a world when their cities agree, and the world's build was where a fault
// window's validator was checked: a second point's validator 999999 indexed past the end.
TEST(RunCli, AFaultWindowValidatorIsCheckedInEverySweepPoint) {
  const std::string dir = ::testing::TempDir() + "hcesim_fault_sweep";
  std::filesystem::create_directories(dir);
  const std::string file = dir + "/f.txtpb";
  std::ofstream(file) << "name: \"f\"\nfaults { windows { kind: LINK_OUTAGE start: \"d0 08:00\" "
                         "duration: \"1h\" validator: 0 } }\n";
  const std::string small = kSmall.substr(0, kSmall.find(" --set warmup")) + " --set drain=6h";
  auto r = run_command(kBin + " run " + file + small +
                       " --quiet --no-report --jobs 1 --sweep faults.windows[0].validator=0,999999"
                       " --out " +
                       dir + "/out");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("faults.windows[0].validator: must be 0.."), std::string::npos) << r.err;
  r = run_command(kBin + " validate " + file + small +
                  " --set 'sweep.axes[0].field=faults.windows[0].validator'"
                  " --set 'sweep.axes[0].values[0]=0' --set 'sweep.axes[0].values[1]=999999'");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("faults.windows[0].validator: sweep point 1: must be 0.."),
            std::string::npos)
      << r.err;
  std::filesystem::remove_all(dir);
}

TEST(RunCli, TheLargestSeedRuns) {
  const fs::path dir = fs::temp_directory_path() / "hcesim_run_cli_max_seed";
  fs::remove_all(dir);
  const auto r =
      run_command(kRun + " --quiet --no-report --seed 18446744073709551615 --out " + dir.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(slurp(dir / "manifest.json").find("\"seed\": 18446744073709551615,"),
            std::string::npos);
  fs::remove_all(dir);
}

TEST(RunCli, FingerprintsHaveSixteenHexDigitsWherePrintedOrWritten) {
  // With this small city, seed 1's fingerprint starts with a zero (the old code wrote 15 digits).
  const fs::path dir = fs::temp_directory_path() / "hcesim_run_cli_fingerprint";
  fs::remove_all(dir);
  auto r = run_command(kRun + " --quiet --no-report --seed 1 --out " + (dir / "one").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string printed = first(r.out, "fingerprint ([0-9a-f]+)\n");
  EXPECT_EQ(printed.size(), 16U) << r.out;
  EXPECT_EQ(first(slurp(dir / "one/manifest.json"), "\"fingerprint\": \"([0-9a-f]*)\""), printed);

  r = run_command(kRun + " --quiet --no-report --seed 1 --replications 2 --out " +
                  (dir / "two").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(first(r.out, "fingerprint ([0-9a-f]+)\n").size(), 16U) << r.out;
  const std::string manifest = slurp(dir / "two/manifest.json");
  EXPECT_EQ(first(manifest, "\"fingerprints\": \\[\"([0-9a-f]*)\""), printed)
      << "replication 0 runs seed 1 itself";
  EXPECT_EQ(first(manifest, "\"fingerprints\": \\[[^\\]]*, \"([0-9a-f]*)\"").size(), 16U);
  EXPECT_EQ(first(manifest, "\n  \"fingerprint\": \"([0-9a-f]*)\"").size(), 16U);
  EXPECT_EQ(first(slurp(dir / "two/rep-0/manifest.json"), "\"fingerprint\": \"([0-9a-f]*)\""),
            printed);
  fs::remove_all(dir);
}

TEST(RunCli, TheManifestCommandLineRunsAgainWhenPasted) {
  const fs::path dir = fs::temp_directory_path() / "hcesim_run_cli_command_line";
  fs::remove_all(dir);
  auto r = run_command(kRun + " --quiet --no-report --set 'name=a b' --out " + dir.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string line = first(slurp(dir / "manifest.json"), "\"command_line\": \"(.*)\",\n");
  EXPECT_NE(line.find(" --set 'name=a b' "), std::string::npos) << line;
  ASSERT_EQ(line.find('\\'), std::string::npos) << "no JSON escapes to undo";
  const std::string kpis = slurp(dir / "kpis.csv");
  fs::remove_all(dir);
  r = run_command(line);
  ASSERT_EQ(r.exit_code, 0) << line << "\n" << r.err;
  EXPECT_NE(slurp(dir / "summary.json").find("\"name\": \"a b\""), std::string::npos);
  EXPECT_EQ(slurp(dir / "kpis.csv"), kpis);
  fs::remove_all(dir);
}

TEST(RunCli, SweepErrorsNameTheSweepArgumentNotASetOverride) {
  const std::string run = kRun + " --quiet --no-report --out /dev/null --sweep ";
  auto r = run_command(run + "token_policy.offline_limit=1,abc");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: --sweep token_policy.offline_limit=1,abc: token_policy.offline_limit: "
                   "expected a decimal whole number 0..4294967295, got \"abc\"\n");
  r = run_command(run + "seed=1,2");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("error: --sweep seed=1,2: \"seed\" cannot be swept", 0), 0U) << r.err;
  r = run_command(run + "token_policy.offline_limit=0,2");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("error: --sweep token_policy.offline_limit=0,2: sweep point 0 "
                        "(token_policy.offline_limit=0): ",
                        0),
            0U)
      << r.err;
  // A rule over a message one of whose fields the axis changes names the axis, not a --set.
  r = run_command(run + "population.classes[0].share=0.5,0.7");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("(with --sweep population.classes[0].share=0.5,0.7): sweep point 1"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("with --set"), std::string::npos) << r.err;
  // A trailing comma was dropped silently: a two-point sweep for three values typed.
  r = run_command(run + "token_policy.offline_limit=1,2,");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: --sweep token_policy.offline_limit=1,2,: value 3 is empty\n");
}

// A bad value in the file's own sweep (no --sweep given) used to end in a segmentation fault: the
// error's place was looked up among the (empty) --sweep arguments.
TEST(RunCli, ABadValueInTheFilesSweepIsBadInputNamingTheAxis) {
  const std::string dir = ::testing::TempDir() + "hcesim_file_sweep";
  std::filesystem::create_directories(dir);
  const std::string file = dir + "/sw.txtpb";
  std::ofstream(file)
      << "name: \"sw\"\npopulation { riders: 1000 }\n"
         "sweep { axes { field: \"token_policy.offline_limit\" values: \"500\" } }\n";
  const std::string expected = "error: " + file +
                               ": sweep.axes[0]: sweep point 0 (token_policy.offline_limit=500): "
                               "token_policy.offline_limit: must be 1..100, got 500\n";
  auto r = run_command(kBin + " run " + file + " --quiet --no-report --out " + dir + "/out");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err, expected);
  r = run_command(kBin + " validate " + file);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_EQ(r.err, expected);
  std::filesystem::remove_all(dir);
}

} // namespace
