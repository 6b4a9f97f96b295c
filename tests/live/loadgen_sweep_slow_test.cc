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
#include <iterator>
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
          " --search-steps 3 --repeats 2 --calibration " + cal + " 2>&1");
  EXPECT_NE(out.find("model: the simulator's ServiceQueue per kind"), std::string::npos) << out;
  // The capacity search: a closed-loop ceiling, then three open-loop probes below it.
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(out, m, std::regex(R"(token request: \d+ replies \(([0-9.]+)/s\))")))
      << out;
  const double ceiling = std::stod(m[1]);
  const std::regex probe(R"(open loop at [0-9.]+ req/s)");
  EXPECT_EQ(
      std::distance(std::sregex_iterator(out.begin(), out.end(), probe), std::sregex_iterator()), 3)
      << out;
  // Each load twice (the table takes the median run).
  const std::regex repeat(R"(--- load [0-9.]+ req/s, run [12] of 2)");
  EXPECT_EQ(
      std::distance(std::sregex_iterator(out.begin(), out.end(), repeat), std::sregex_iterator()),
      4)
      << out;
  // One row per load: offered, predicted and measured served, load, means (fitted, held out,
  // measured), whether the queue kept up, p99s.
  const std::regex row(
      R"(\| 100\.000 \| 100\.000 \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \|)"
      R"( ([0-9.]+|—) \| [0-9.]+ \| (kept up|growing|fell short) \| [0-9.]+ \| [0-9.]+ \|)");
  EXPECT_TRUE(std::regex_search(out, row)) << out;
  EXPECT_NE(out.find("| 300.000 |"), std::string::npos) << out;

  // The fit's server count and its error are printed.
  ASSERT_TRUE(std::regex_search(
      out, m,
      std::regex(R"(token request: capacity [0-9.]+/s, (\d+) server\(s\) x \d+ us, .*)"
                 R"(fit error [0-9.]+ %)")))
      << out;
  const auto servers = static_cast<uint32_t>(std::stoul(m[1]));

  // A scenario next to the file loads it: issuing gets the fitted servers.
  std::ofstream(dir + "/s.txtpb") << "cloud_calibration: \"calibration.txtpb\"\n"
                                  << "city { synthetic { metro_fare_rules: \"" HCESIM_SOURCE_DIR
                                     "/scenarios/fares/nanchang.txtpb\" } }\n";
  const models::LoadedScenario s = models::load_scenario(dir + "/s.txtpb", {});
  ASSERT_TRUE(s.ok()) << s.errors.front().where << ": " << s.errors.front().what;
  EXPECT_EQ(s.config.cloud.issuing.servers, servers);
  EXPECT_GE(servers, 1u);
  EXPECT_LE(servers, 32u);
  EXPECT_GT(s.config.cloud.issuing.mean_service_time, Duration::zero());
  EXPECT_LT(s.config.cloud.issuing.mean_service_time, Duration::millis(10 * servers));
  // The open-loop capacity is at most the closed-loop rate: each server's mean service time is at
  // least servers / that rate.
  EXPECT_GE(s.config.cloud.issuing.mean_service_time.to_seconds(), servers / ceiling - 1e-6);
  // F is the smallest excess of measured over the queue (0 when the capacity's service time alone
  // exceeds the latency measured, as it can in this ASan build on a busy machine).
  EXPECT_GE(s.config.cloud.issuing.fixed_latency, Duration::zero());
  EXPECT_LT(s.config.cloud.issuing.fixed_latency, Duration::seconds(1));
  EXPECT_EQ(s.config.cloud.settlement.servers, 4u); // not measured: the scenario's default
  EXPECT_EQ(server.terminate(), 0);
}

} // namespace
} // namespace hcesim::live
