// `hcesim loadgen --sweep --calibration` against a real server: one command measures each kind's
// service time, writes a calibration file a scenario loads, and prints the simulator's predicted
// latency beside the measured one at each load.
#include "models/scenario/scenario_loader.h"
#include "server_process.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>

namespace hcesim::live {
namespace {

std::string run(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) {
    return out;
  }
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) {
    out.append(buf.data(), n);
  }
  ::pclose(p);
  return out;
}

TEST(LoadgenSweep, WritesACalibrationAScenarioLoadsAndTheSideBySideTable) {
  const auto dir =
      (std::filesystem::temp_directory_path() / ("hcesim_sweep_" + std::to_string(::getpid())))
          .string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  testing::ServerProcess server;
  ASSERT_NE(server.start(dir, {"--token-requests-per-hour", "100000000", "--rate", "1000000",
                               "--burst", "100000"}),
            0);
  const std::string cal = dir + "/calibration.txtpb";
  const std::string out =
      run(std::string(HCESIM_BIN) + " loadgen --target 127.0.0.1:" + std::to_string(server.port()) +
          " --data " + dir + " --mix tokens --sweep 100,300 --duration 1 --connections 2" +
          " --calibration " + cal + " 2>&1");
  EXPECT_NE(out.find("model: the simulator's ServiceQueue"), std::string::npos) << out;
  // One row per load: offered, served, utilisation, predicted and measured mean, p99s.
  const std::regex row(
      R"(\| 100\.000 \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \|)");
  EXPECT_TRUE(std::regex_search(out, row)) << out;
  EXPECT_NE(out.find("| 300.000 |"), std::string::npos) << out;

  // A scenario next to the file loads it: issuing gets the measured single server.
  std::ofstream(dir + "/s.txtpb") << "cloud_calibration: \"calibration.txtpb\"\n"
                                  << "city { synthetic { metro_fare_rules: \"" HCESIM_SOURCE_DIR
                                     "/scenarios/fares/nanchang.txtpb\" } }\n";
  const models::LoadedScenario s = models::load_scenario(dir + "/s.txtpb", {});
  ASSERT_TRUE(s.ok()) << s.errors.front().where << ": " << s.errors.front().what;
  EXPECT_EQ(s.config.cloud.issuing.servers, 1u);
  EXPECT_GT(s.config.cloud.issuing.mean_service_time, Duration::zero());
  EXPECT_LT(s.config.cloud.issuing.mean_service_time, Duration::millis(10));
  EXPECT_EQ(s.config.cloud.settlement.servers, 4u); // not measured: the scenario's default
  EXPECT_EQ(server.terminate(), 0);
}

} // namespace
} // namespace hcesim::live
