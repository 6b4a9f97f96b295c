// `hcesim loadgen` against a real server over loopback: the report's figures add up.
#include "server_process.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

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

// A small city, so the simulated run behind the mix takes seconds in the dev build.
const std::string kSmallCity =
    " --set population.riders=400 --set city.synthetic.metro_lines=2"
    " --set city.synthetic.stations_per_line=10 --set city.synthetic.bus_routes=20"
    " --set city.synthetic.stops_per_bus_route=10 --set city.synthetic.size_km=8"
    " --set warmup=0s --set days=1 --set drain=12h";

//! hour:HH → {token_requests_sent, uploads_sent, top_ups_sent} from a kpis.csv.
std::map<std::string, std::array<double, 3>> hour_requests(const std::string& csv) {
  std::map<std::string, std::array<double, 3>> out;
  std::ifstream in(csv);
  const std::array<std::string, 3> names = {"token_requests_sent", "uploads_sent", "top_ups_sent"};
  for (std::string line; std::getline(in, line);) {
    std::stringstream row(line);
    std::string kpi;
    std::string segment;
    std::string value;
    std::getline(row, kpi, ',');
    std::getline(row, segment, ',');
    std::getline(row, value, ',');
    for (size_t i = 0; i < names.size(); ++i) {
      if (kpi == names[i] && segment.rfind("hour:", 0) == 0) {
        out[segment][i] = std::stod(value);
      }
    }
  }
  return out;
}

TEST(Loadgen, DrivesTheServerWithTheMixOfTheScenariosSimulatedBusiestHour) {
  const auto dir =
      (std::filesystem::temp_directory_path() / ("hcesim_loadgen_" + std::to_string(::getpid())))
          .string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string scenario = std::string(HCESIM_SOURCE_DIR) + "/scenarios/live_bench.txtpb";
  // The same scenario run by `hcesim run`: its hour rows are the ratio the mix must have.
  run(std::string(HCESIM_BIN) + " run " + scenario + kSmallCity + " --quiet --no-report --out " +
      dir + "/run 2>&1");
  const auto hours = hour_requests(dir + "/run/kpis.csv");
  ASSERT_EQ(hours.size(), 24u);
  std::string busiest;
  double most = -1;
  for (const auto& [segment, n] : hours) {
    if (n[0] + n[1] + n[2] > most) {
      most = n[0] + n[1] + n[2];
      busiest = segment;
    }
  }
  const auto& want = hours.at(busiest);
  ASSERT_GT(want[1], 0);

  testing::ServerProcess server;
  ASSERT_NE(server.start(dir, {"--token-requests-per-hour", "1000000"}), 0);
  const std::string out =
      run(std::string(HCESIM_BIN) + " loadgen --target 127.0.0.1:" + std::to_string(server.port()) +
          " --data " + dir + " --scenario " + scenario + kSmallCity +
          " --rate 200 --duration 2 --connections 2 2>&1");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      out, m,
      std::regex(
          R"(busiest hour (\d\d):00: token requests ([0-9.]+)/s, uploads ([0-9.]+)/s \(([0-9.]+) taps each on average\), top-ups ([0-9.]+)/s)")))
      << out;
  EXPECT_EQ("hour:" + m[1].str(), busiest);
  EXPECT_NEAR(std::stod(m[2]), want[0] / 3600, 0.0005);
  EXPECT_NEAR(std::stod(m[3]), want[1] / 3600, 0.0005);
  const long taps_each = std::lround(std::stod(m[4]));
  ASSERT_TRUE(std::regex_search(
      out, m,
      std::regex(
          R"(mix: tokens (0\.\d+), uploads (0\.\d+) \((\d+) taps each\), top-ups (0\.\d+))")))
      << out;
  // The run's ratio of token requests to uploads, not the old parameter formula's.
  EXPECT_NEAR(std::stod(m[1]) / std::stod(m[2]), want[0] / want[1], 0.01 * want[0] / want[1]);
  EXPECT_NEAR(std::stod(m[4]) / std::stod(m[2]), want[2] / want[1],
              0.01 + 0.01 * want[2] / want[1]);
  EXPECT_EQ(std::stol(m[3]), std::max(1L, taps_each));
  ASSERT_TRUE(std::regex_search(
      out, m,
      std::regex(
          R"(token request: (\d+) replies \([0-9.]+/s\) in [0-9.]+ s, ok (\d+), refused 0, failed 0)")))
      << out;
  EXPECT_EQ(m[1], m[2]);
  EXPECT_GT(std::stoi(m[1]), 20);
  EXPECT_NE(out.find("tap upload:"), std::string::npos) << out;
  EXPECT_NE(out.find("p99.9"), std::string::npos);
  EXPECT_EQ(server.terminate(), 0);
}

TEST(Loadgen, RefusesACalibrationWithoutASweepAndAnUnknownMix) {
  const std::string base =
      std::string(HCESIM_BIN) + " loadgen --target 127.0.0.1:1 --data /nonexistent --rate 10";
  EXPECT_NE(run(base + " --calibration x.txtpb 2>&1").find("--calibration needs --sweep"),
            std::string::npos);
  EXPECT_NE(run(base + " --mix bogus 2>&1").find("--mix: expected scenario"), std::string::npos);
  // Every error line says "error: ", the missing key file's too.
  EXPECT_EQ(run(base + " 2>&1").rfind("error: /nonexistent/operator.key: ", 0), 0U);
  // A negative rate was told to "give --rate X", as if none had been given.
  EXPECT_EQ(run(std::string(HCESIM_BIN) +
                " loadgen --target 127.0.0.1:1 --data /nonexistent --rate -5 2>&1"),
            "error: --rate: must be > 0 requests/s, got -5\n");
}

// hcesim-cloud follows hcesim's conventions: --version, bad input exit 2 (CLI11's own code for a
// missing option was 106) and "error: " before each error line.
TEST(CloudCli, VersionAndBadInputFollowHcesimsConventions) {
  const std::string bin = HCESIM_CLOUD_BIN;
  EXPECT_EQ(run(bin + " --version").rfind("hcesim-cloud ", 0), 0U);
  const std::string missing =
      run(bin + " serve --listen 127.0.0.1:0 --data /tmp/x 2>&1; echo rc=$?");
  EXPECT_EQ(missing.rfind("error: --scenario is required", 0), 0U) << missing;
  EXPECT_NE(missing.find("rc=2"), std::string::npos) << missing;
  const std::string port =
      run(bin + " serve --listen 127.0.0.1:x --data /tmp/x --scenario s 2>&1; echo rc=$?");
  EXPECT_EQ(port.rfind("error: --listen: bad port", 0), 0U) << port;
  EXPECT_NE(port.find("rc=2"), std::string::npos) << port;
  // Nonsense limits started a listening server.
  for (const char* bad : {"--rate -1", "--burst -1", "--idle-ms -5", "--max-frame 0",
                          "--max-connections 0", "--threads 0"}) {
    const std::string r = run(bin + " serve --listen 127.0.0.1:0 --data /tmp/x --scenario s " +
                              bad + " 2>&1; echo rc=$?");
    EXPECT_EQ(r.rfind("error: ", 0), 0U) << bad << ": " << r;
    EXPECT_NE(r.find("rc=2"), std::string::npos) << bad << ": " << r;
  }
}

} // namespace
} // namespace hcesim::live
