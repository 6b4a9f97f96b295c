// Each shipped attack scenario (scenarios/attack_*.txtpb), shrunk to a small city, gives non-zero
// outcomes for its attacker kind; the clone scenario's fraud loss falls as validators sync more
// often (two sync intervals, common random numbers: the same riders, trips and attackers).
#include "models/run/city_run.h"
#include "models/run/kpi_rows.h"
#include "models/scenario/scenario_loader.h"

#include "../run/small_run.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hcesim::models {
namespace {

const std::vector<std::string> kShrunk = {"population.riders=1000",
                                          "city.synthetic.metro_lines=2",
                                          "city.synthetic.stations_per_line=10",
                                          "city.synthetic.bus_routes=20",
                                          "city.synthetic.stops_per_bus_route=10",
                                          "city.synthetic.size_km=8",
                                          "days=1",
                                          "drain=12h"};

ScenarioConfig attack(const std::string& file, std::vector<std::string> more = {}) {
  std::vector<std::string> sets = kShrunk;
  sets.insert(sets.end(), more.begin(), more.end());
  const LoadedScenario s = load_scenario(HCESIM_SOURCE_DIR "/scenarios/" + file + ".txtpb", sets);
  EXPECT_TRUE(s.ok()) << file << ": " << (s.ok() ? "" : s.errors.front().to_string());
  return s.config;
}

struct Outcome {
  std::vector<KpiRow> rows;
  uint64_t trip_hash = 0;
  double kpi(const std::string& name, const std::string& segment = "all") const {
    return run_test::kpi_of(rows, name, segment);
  }
};

Outcome run(const ScenarioConfig& cfg) {
  auto world = build_world(cfg);
  EXPECT_TRUE(world.ok());
  CityRun city(cfg, *world);
  city.run();
  return {kpi_rows(city.kpis(), cfg.city.currency), city.trip_hash()};
}

TEST(AttackScenarios, CloneGivesCloneTapsADetectionDelayDistributionAndLessLossWithFasterSync) {
  const Outcome fast = run(attack("attack_clone", {"attackers.key_holders.count=20"}));
  const Outcome slow = run(attack("attack_clone", {"attackers.key_holders.count=20",
                                                   "validators.station_upload_interval=3h",
                                                   "validators.bus_upload_interval=24h"}));
  EXPECT_EQ(fast.trip_hash, slow.trip_hash); // common random numbers
  const std::string seg = "attacker:key_holder";
  EXPECT_GT(fast.kpi("clone_flags", seg), 0);
  EXPECT_GT(fast.kpi("taps_accepted", seg), 0);
  EXPECT_GT(fast.kpi("detected", seg), 0);
  EXPECT_GT(fast.kpi("detection_delay_p50_s", seg), 0);
  EXPECT_GE(fast.kpi("detection_delay_p90_s", seg), fast.kpi("detection_delay_p50_s", seg));
  EXPECT_GE(fast.kpi("detection_delay_max_s", seg), fast.kpi("detection_delay_p90_s", seg));
  EXPECT_GT(fast.kpi("attack_loss"), 0);
  EXPECT_LT(fast.kpi("attack_loss"), slow.kpi("attack_loss"));
  EXPECT_LT(fast.kpi("fraudulent_taps_accepted"), slow.kpi("fraudulent_taps_accepted"));
}

TEST(AttackScenarios, BrokeRidersRideOnCreditWithinTheirBound) {
  const Outcome o = run(attack("attack_broke", {"population.initial_balance=4.00"}));
  EXPECT_GT(o.kpi("attackers", "attacker:broke"), 0);
  EXPECT_GT(o.kpi("taps_accepted", "attacker:broke"), 0);
  EXPECT_GT(o.kpi("loss", "attacker:broke"), 0);
  EXPECT_EQ(o.kpi("broke_riders_over_bound"), 0);
}

TEST(AttackScenarios, ForgedRecordsAreStoredButNoneSettles) {
  const Outcome o = run(attack("attack_forging"));
  EXPECT_GT(o.kpi("taps_accepted", "attacker:forging_validator"), 0);
  EXPECT_EQ(o.kpi("records_settled", "attacker:forging_validator"), 0);
}

TEST(AttackScenarios, RelayedTapsAreFlaggedImpossibleTravelAndFalseFlagsReported) {
  const Outcome o = run(attack("attack_relay", {"attackers.taps_per_hour=6"}));
  EXPECT_GT(o.kpi("taps_accepted", "attacker:relay"), 0);
  EXPECT_GT(o.kpi("impossible_travel_flags", "attacker:relay"), 0);
  EXPECT_GT(o.kpi("honest_taps_settled"), 0);
  EXPECT_GE(o.kpi("honest_false_flag_rate"), 0);
}

TEST(AttackScenarios, FloodIsRateLimited) {
  const Outcome o = run(attack("attack_flood", {"attackers.flood_requests_per_hour=600"}));
  EXPECT_GT(o.kpi("flood_token_requests"), 0);
  EXPECT_GT(o.kpi("token_requests_rate_limited", "attacker:flooder"), 0);
  EXPECT_GT(o.kpi("flood_refused_share"), 0.5);
}

TEST(AttackScenarios, ALostPhoneReportedSoonerStopsTheFinderSoonerAndShiftsTheLossToTheOperator) {
  const Outcome soon = run(attack("attack_lost_phone")); // reported after 30 min
  const Outcome late = run(attack("attack_lost_phone", {"attackers.lost_report_delay=6h"}));
  const std::string seg = "attacker:lost_phone";
  EXPECT_EQ(soon.trip_hash, late.trip_hash); // the same riders, trips and losses
  EXPECT_GT(soon.kpi("taps_accepted", seg), 0);
  EXPECT_GT(soon.kpi("detected", seg), 0);
  EXPECT_GT(soon.kpi("detection_delay_p50_s", seg), 0);
  EXPECT_GT(soon.kpi("loss", seg), 0); // taps after the report, before the validators knew
  EXPECT_LE(soon.kpi("taps_accepted", seg), late.kpi("taps_accepted", seg));
  EXPECT_LT(late.kpi("loss", seg), soon.kpi("loss", seg)); // the owner paid the finder's taps
}

} // namespace
} // namespace hcesim::models
