// A scenario's cloud capacity model loaded from the live service's measured calibration file,
// and the precise errors of a bad one.
#include "models/cloud_queue/cloud_calibration.h"

#include "models/scenario/scenario_loader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace hcesim::models {
namespace {

struct CloudCalibrationTest : ::testing::Test {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("hcesim_calibration_" + std::to_string(::getpid()));
  void SetUp() override { std::filesystem::create_directories(dir); }
  void TearDown() override { std::filesystem::remove_all(dir); }
  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
  }
  //! The scenario text in dir (the fare rules named where they are, not beside it).
  LoadedScenario load(const std::string& scenario) {
    return load_scenario_text(scenario + "city { synthetic { metro_fare_rules: \"" HCESIM_SOURCE_DIR
                                         "/scenarios/fares/nanchang.txtpb\" } }\n",
                              (dir / "s.txtpb").string(), false, {});
  }
};

TEST_F(CloudCalibrationTest, AScenarioTakesTheMeasuredServersAndServiceTimesAndKeepsItsBuffers) {
  write("cal.txtpb", "source: \"loadgen\"\n"
                     "issuing { servers: 1 mean_service_time: \"14us\" }\n"
                     "settlement { servers: 1 mean_service_time: \"850us\" }\n"
                     "fixed_latency: \"210us\"\n");
  const LoadedScenario s = load("cloud_calibration: \"cal.txtpb\"\n"
                                "cloud { issuing { buffer: 77 } top_up { servers: 3 } }\n");
  ASSERT_TRUE(s.ok()) << s.errors.front().where << ": " << s.errors.front().what;
  EXPECT_EQ(s.config.cloud.issuing.servers, 1u);
  EXPECT_EQ(s.config.cloud.issuing.mean_service_time, Duration::micros(14));
  EXPECT_EQ(s.config.cloud.issuing.buffer, 77u);
  EXPECT_EQ(s.config.cloud.settlement.mean_service_time, Duration::micros(850));
  EXPECT_EQ(s.config.cloud.top_up.servers, 3u); // not calibrated: the scenario's
  EXPECT_EQ(s.config.cloud.calibration, (dir / "cal.txtpb").string());
  const auto c = read_cloud_calibration((dir / "cal.txtpb").string());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->fixed_latency, Duration::micros(210));
  EXPECT_FALSE(c->top_up.has_value());
  // The file's fixed latency goes to every service it calibrates (the simulator applies it).
  EXPECT_EQ(s.config.cloud.issuing.fixed_latency, Duration::micros(210));
  EXPECT_EQ(s.config.cloud.settlement.fixed_latency, Duration::micros(210));
  EXPECT_EQ(s.config.cloud.top_up.fixed_latency, Duration::zero()); // not calibrated
}

TEST_F(CloudCalibrationTest, AServicesOwnFixedLatencyWinsOverTheFilesDefault) {
  write("cal.txtpb", "issuing { servers: 2 mean_service_time: \"50us\" fixed_latency: \"300us\"\n"
                     "  service_time_cv: 3.5 }\n"
                     "top_up { servers: 1 mean_service_time: \"80us\" }\n"
                     "fixed_latency: \"1ms\"\n");
  const LoadedScenario s = load("cloud_calibration: \"cal.txtpb\"\n");
  ASSERT_TRUE(s.ok()) << s.errors.front().where << ": " << s.errors.front().what;
  EXPECT_EQ(s.config.cloud.issuing.servers, 2u);
  EXPECT_EQ(s.config.cloud.issuing.fixed_latency, Duration::micros(300));
  EXPECT_EQ(s.config.cloud.issuing.service_time_cv, 3.5);
  EXPECT_FALSE(s.config.cloud.top_up.service_time_cv.has_value()); // exponential
  EXPECT_EQ(s.config.cloud.top_up.fixed_latency, Duration::millis(1));
  EXPECT_EQ(s.config.cloud.settlement.fixed_latency, Duration::zero());

  const std::string file = (dir / "cal.txtpb").string();
  write("cal.txtpb", "issuing { servers: 1 mean_service_time: \"5us\"\n"
                     "  fixed_latency: \"2min\" }\n");
  const auto c = read_cloud_calibration(file);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().where, file + ":2:3: issuing.fixed_latency");
  EXPECT_EQ(c.error().what, "expected \"0s\"..\"1min\", got \"2min\"");
  write("cal.txtpb", "issuing { servers: 1 mean_service_time: \"5us\" service_time_cv: -2 }\n");
  const auto negative = read_cloud_calibration(file);
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.error().where, file + ":1:47: issuing.service_time_cv");
}

TEST_F(CloudCalibrationTest, AScenarioGivesAServiceAFixedLatencyOfItsOwnDefaultZero) {
  const LoadedScenario s =
      load("cloud { settlement { fixed_latency: \"4ms\" service_time_cv: 2.5 } }\n");
  ASSERT_TRUE(s.ok()) << s.errors.front().where << ": " << s.errors.front().what;
  EXPECT_EQ(s.config.cloud.settlement.fixed_latency, Duration::millis(4));
  EXPECT_EQ(s.config.cloud.settlement.service_time_cv, 2.5);
  EXPECT_FALSE(s.config.cloud.issuing.service_time_cv.has_value());
  EXPECT_EQ(s.config.cloud.issuing.fixed_latency, Duration::zero());
  const LoadedScenario bad = load("cloud {\n  issuing { fixed_latency: \"-1ms\" }\n}\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.errors.front().where.rfind((dir / "s.txtpb").string() + ":2:", 0), 0u)
      << bad.errors.front().where;
}

TEST_F(CloudCalibrationTest, AMissingFileIsNamedAtTheScenariosField) {
  const LoadedScenario s = load("name: \"x\"\ncloud_calibration: \"nope.txtpb\"\n");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.errors.front().where, (dir / "s.txtpb").string() + ":2:1");
  EXPECT_NE(s.errors.front().what.find("file not found"), std::string::npos)
      << s.errors.front().what;
}

TEST_F(CloudCalibrationTest, BadValuesAndSyntaxAreNamedByLineAndColumn) {
  const std::string file = (dir / "cal.txtpb").string();
  write("cal.txtpb", "issuing {\n  servers: 0\n  mean_service_time: \"14us\"\n}\n");
  auto c = read_cloud_calibration(file);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().where, file + ":2:3: issuing.servers");
  EXPECT_EQ(c.error().what, "expected 1..10000, got 0");

  write("cal.txtpb", "top_up { servers: 2 mean_service_time: \"2h\" }\n");
  c = read_cloud_calibration(file);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().where, file + ":1:21: top_up.mean_service_time");

  write("cal.txtpb", "issuing { servers: 1 mean_service_time: \"1ms\" buffer: 5 }\n");
  c = read_cloud_calibration(file);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(
      c.error().what,
      "a calibration sets only servers, mean_service_time, fixed_latency and service_time_cv");

  write("cal.txtpb", "issuing { servers: 1\n  mean_servce_time: \"1ms\" }\n");
  c = read_cloud_calibration(file);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().where.rfind(file + ":2:", 0), 0u) << c.error().where;

  write("cal.txtpb", "source: \"nothing measured\"\n");
  c = read_cloud_calibration(file);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().what.find("calibrates no service"), std::string::npos);
}

} // namespace
} // namespace hcesim::models
