// `hcesim run`: a small scenario runs, writes its three result files and prints where they are;
// a bad scenario is exit code 2.
#include "support/run_command.h"

#include <gtest/gtest.h>

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
  std::filesystem::remove_all(dir);
}

TEST(RunCli, AnOutOfRangeValueIsBadInput) {
  const auto r = run_command(kBin + " run " + HCESIM_SOURCE_DIR "/scenarios/default.txtpb" +
                             " --set token_policy.offline_limit=0 --quiet");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("token_policy.offline_limit"), std::string::npos) << r.err;
}

} // namespace
