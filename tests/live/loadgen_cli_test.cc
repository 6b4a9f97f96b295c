// `hcesim loadgen` against a real server over loopback: the report's figures add up.
#include "server_process.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
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

TEST(Loadgen, DrivesTheServerWithTheScenariosMixAndReportsEveryKind) {
  const auto dir =
      (std::filesystem::temp_directory_path() / ("hcesim_loadgen_" + std::to_string(::getpid())))
          .string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  testing::ServerProcess server;
  ASSERT_NE(server.start(dir, {"--token-requests-per-hour", "1000000"}), 0);
  const std::string out =
      run(std::string(HCESIM_BIN) + " loadgen --target 127.0.0.1:" + std::to_string(server.port()) +
          " --data " + dir + " --scenario " + HCESIM_SOURCE_DIR +
          "/scenarios/live_bench.txtpb --rate 200 --duration 2 --connections 2 2>&1");
  // Tokens dominate the scenario's mix (a token per 3 taps, an upload per 50).
  std::smatch m;
  ASSERT_TRUE(std::regex_search(out, m, std::regex(R"(mix: tokens (0\.\d+), uploads (0\.\d+))")))
      << out;
  EXPECT_GT(std::stod(m[1]), std::stod(m[2]));
  ASSERT_TRUE(std::regex_search(
      out, m,
      std::regex(
          R"(token request: (\d+) replies \([0-9.]+/s\) in [0-9.]+ s, ok (\d+), refused 0, failed 0)")))
      << out;
  EXPECT_EQ(m[1], m[2]);
  EXPECT_GT(std::stoi(m[1]), 100); // ~0.85 x 200/s x 2 s
  EXPECT_NE(out.find("tap upload:"), std::string::npos) << out;
  EXPECT_NE(out.find("p99.9"), std::string::npos);
  EXPECT_EQ(server.terminate(), 0);
}

} // namespace
} // namespace hcesim::live
