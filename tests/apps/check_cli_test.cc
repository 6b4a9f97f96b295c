// `hcesim check` writes each scenario's results under --out/<name>: the name, any text, stays one
// folder inside --out, and a folder there that is not results is refused, not written into.
#include "support/files.h"
#include "support/run_command.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

using hcesim::testing::run_command;
namespace fs = std::filesystem;

using hcesim::testing::write_file;

namespace {

const std::string kBin = HCESIM_BIN;

// A small city that runs in a fraction of a second, with the given name.
std::string small_scenario(const std::string& name) {
  return "name: \"" + name +
         "\"\nseed: 5\nwarmup: \"0s\"\ndrain: \"6h\"\n"
         "city { synthetic { metro_lines: 2 stations_per_line: 8 bus_routes: 10 "
         "stops_per_bus_route: 8 size_km: 6 metro_fare_rules: \"" HCESIM_SOURCE_DIR
         "/scenarios/fares/nanchang.txtpb\" } }\npopulation { riders: 150 }\n"
         "expectations { kpis { kpi: \"taps_accepted\" min: 1 } }\n";
}

} // namespace

TEST(CheckCli, AScenarioNameStaysOneFolderUnderOut) {
  const fs::path base =
      fs::temp_directory_path() / ("hcesim_check_cli_" + std::to_string(::getpid()));
  fs::remove_all(base);
  write_file(base / "in/s.txtpb", small_scenario("../escaped"));
  const auto r = run_command(kBin + " check " + (base / "in/s.txtpb").string() +
                             " --jobs 1 --out " + (base / "out").string());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(fs::exists(base / "out/_.._escaped/manifest.json"));
  EXPECT_FALSE(fs::exists(base / "escaped")) << "the old code wrote --out/../escaped";
  fs::remove_all(base);
}

TEST(CheckCli, AFolderThatIsNotResultsIsRefused) {
  const fs::path base =
      fs::temp_directory_path() / ("hcesim_check_cli_not_" + std::to_string(::getpid()));
  fs::remove_all(base);
  write_file(base / "in/s.txtpb", small_scenario("s"));
  write_file(base / "out/s/thesis.tex", "mine");
  const auto r = run_command(kBin + " check " + (base / "in/s.txtpb").string() +
                             " --jobs 1 --out " + (base / "out").string());
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("error: " + (base / "out/s").string() +
                       ": not empty and not an hcesim "
                       "results folder"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(base / "out/s/manifest.json"));
  fs::remove_all(base);
}

// Two scenarios of one name wrote one folder, the second's results silently replacing the
// first's; and the summary line counted an invalid scenario as if it had run.
TEST(CheckCli, TwoScenariosOfOneNameAreRefusedAndTheSummarySaysSo) {
  const fs::path base =
      fs::temp_directory_path() / ("hcesim_check_cli_twice_" + std::to_string(::getpid()));
  fs::remove_all(base);
  write_file(base / "in/a.txtpb", small_scenario("same"));
  write_file(base / "in/b.txtpb", small_scenario("same"));
  const auto r = run_command(kBin + " check " + (base / "in").string() + " --jobs 1 --out " +
                             (base / "out").string());
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(r.err, "error: " + (base / "in/b.txtpb").string() +
                       ": its name \"same\" makes the same results folder as " +
                       (base / "in/a.txtpb").string() + "'s: both would write " +
                       (base / "out/same").string() + " (give each scenario its own name)\n");
  EXPECT_NE(
      r.out.find("check: 2 scenario(s), 1 expectation(s), 0 failed, 1 scenario(s) not checked "
                 "(errors above)"),
      std::string::npos)
      << r.out;
  fs::remove_all(base);
}

// The same file given twice (or a folder and a file in it) is checked once, not refused as a
// second scenario of its own name.
TEST(CheckCli, AFileGivenTwiceIsCheckedOnce) {
  const fs::path base =
      fs::temp_directory_path() / ("hcesim_check_cli_dup_" + std::to_string(::getpid()));
  fs::remove_all(base);
  write_file(base / "in/a.txtpb", small_scenario("a"));
  const std::string a = (base / "in/a.txtpb").string();
  const auto r = run_command(kBin + " check " + a + " " + a + " " + (base / "in").string() +
                             " --jobs 1 --out " + (base / "out").string());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("check: 1 scenario(s), 1 expectation(s), 0 failed"), std::string::npos)
      << r.out;
  fs::remove_all(base);
}
