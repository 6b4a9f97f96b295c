// `hcesim run`: a small scenario runs, writes its three result files and prints where they are;
// the same seed writes the same bytes; a bad scenario is exit code 2.
#include "support/run_command.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

using hcesim::testing::run_command;

namespace {

const std::string kBin = HCESIM_BIN;
const std::string kSmall =
    " --set population.riders=200 --set city.synthetic.metro_lines=2"
    " --set city.synthetic.stations_per_line=8 --set city.synthetic.bus_routes=10"
    " --set city.synthetic.stops_per_bus_route=8 --set city.synthetic.size_km=6"
    " --set warmup=0s --set drain=6h";

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
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

} // namespace
