// The world a scenario file describes, loaded the way `hcesim run` will load it.
#include "models/world/world.h"

#include "models/population/trip_planner.h"
#include "models/scenario/scenario_loader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace hcesim;
using namespace hcesim::models;

namespace {

// A scenario folder with the fare rule file the synthetic city names by default.
class ScenarioWorld : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hcesim_world_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::create_directories(dir_ / "fares");
    std::filesystem::copy_file(HCESIM_SOURCE_DIR "/scenarios/fares/nanchang.txtpb",
                               dir_ / "fares" / "nanchang.txtpb");
    std::ofstream(dir_ / "s.txtpb") << "seed: 11\n"
                                       "city { synthetic { metro_lines: 2 stations_per_line: 10 "
                                       "bus_routes: 25 stops_per_bus_route: 12 size_km: 8 } }\n"
                                       "population { riders: 3000 }\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  ScenarioConfig load(const std::vector<std::string>& sets) {
    auto loaded = load_scenario((dir_ / "s.txtpb").string(), sets);
    EXPECT_TRUE(loaded.ok()) << (loaded.errors.empty() ? "" : loaded.errors[0].to_string());
    return loaded.config;
  }
  std::filesystem::path dir_;
};

std::vector<PlannedTrip> plan_week(const ScenarioConfig& cfg, const World& w) {
  const TripPlanner planner(cfg, w.city, w.paths, w.population);
  std::vector<PlannedTrip> trips;
  for (uint32_t d = 0; d < 7; ++d) {
    for (uint32_t r = 0; r < w.population.size(); ++r) {
      planner.plan_day(r, d, trips);
    }
  }
  return trips;
}

} // namespace

TEST_F(ScenarioWorld, OfflineLimitAndTopUpOverridesLeaveEveryPlannedTripUnchanged) {
  const ScenarioConfig base = load({});
  const ScenarioConfig policy = load({"token_policy.offline_limit=10", "top_up.threshold=30.00",
                                      "top_up.auto_share=0.3", "token_policy.lifetime=72h"});
  ASSERT_EQ(policy.token_policy.offline_limit, 10U);
  auto a = build_world(base);
  auto b = build_world(policy);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->population.size(), 3000U);
  const auto trips = plan_week(base, *a);
  EXPECT_GT(trips.size(), 20'000U);
  EXPECT_EQ(trips, plan_week(policy, *b));
}

TEST_F(ScenarioWorld, ABadGtfsFolderIsAnErrorNotACrash) {
  ScenarioConfig cfg = load({});
  cfg.city.source = CitySource::kGtfs;
  cfg.city.gtfs_folder = (dir_ / "fares").string(); // a folder without a feed
  auto w = build_world(cfg);
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.error().to_string().find("stops.txt"), std::string::npos) << w.error().to_string();
}
