// Faults in a small city run: a faults block that injects nothing leaves the run exactly as it
// was; each kind of fault has its effect, riders' planned trips stay the same (common random
// numbers), and every invariant still holds.
#include "models/run/city_run.h"
#include "models/scenario/scenario_loader.h"
#include "small_run.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hcesim::models {
namespace {

using run_test::small_run;

struct Ran {
  uint64_t fingerprint = 0;
  uint64_t trip_hash = 0;
  std::optional<InvariantViolation> violation;
  RecordTally records;
  std::unique_ptr<RunKpis> kpis;
  uint64_t accepted_total = 0;
};

Ran run_with(std::vector<std::string> sets, const std::string& text = "") {
  const ScenarioConfig cfg = small_run(text, std::move(sets));
  auto world = build_world(cfg);
  EXPECT_TRUE(world.ok());
  CityRun run(cfg, *world);
  run.run();
  Ran r;
  r.fingerprint = run.fingerprint();
  r.trip_hash = run.trip_hash();
  r.violation = run.invariant_violation();
  r.records = run.invariants().records();
  r.kpis = std::make_unique<RunKpis>(run.kpis());
  r.accepted_total = run.taps_accepted_total();
  return r;
}

void expect_invariants_hold(const Ran& r) {
  EXPECT_FALSE(r.violation) << r.violation->to_string();
  EXPECT_EQ(r.records.settled + r.records.held, r.records.accepted);
  EXPECT_EQ(r.records.accepted, r.accepted_total);
}

TEST(Faults, AWindowOnAValidatorTheCityDoesNotHaveIsAClearErrorWhenTheWorldIsBuilt) {
  const ScenarioConfig cfg = small_run("faults { windows { kind: LINK_OUTAGE start: \"08:00\" "
                                       "duration: \"1h\" validator: 999999 } }");
  auto world = build_world(cfg);
  ASSERT_FALSE(world.ok());
  EXPECT_EQ(world.error().where, "faults.windows[0].validator");
  EXPECT_NE(world.error().what.find("(this city's validators), got 999999"), std::string::npos)
      << world.error().to_string();
}

TEST(Faults, AValidatorOutageShareTakesLinksDownAndTheInvariantsHold) {
  const Ran plain = run_with({});
  const Ran down = run_with({"validators.outage_share=0.5"});
  expect_invariants_hold(down);
  EXPECT_EQ(plain.kpis->faults.link_outages.value(), 0);
  EXPECT_GT(down.kpis->faults.link_outages.value(), 0);
  EXPECT_EQ(plain.trip_hash, down.trip_hash); // the same riders and trips
}

TEST(Faults, ABlockThatInjectsNothingLeavesTheRunAsItWas) {
  const Ran plain = run_with({});
  const Ran empty = run_with({}, "faults { upload_lost: 0 clock_skew: \"1h\" }");
  EXPECT_EQ(plain.fingerprint, empty.fingerprint);
  EXPECT_FALSE(empty.kpis->faults.on);
  expect_invariants_hold(plain);
}

TEST(Faults, UploadsLostDuplicatedReorderedAndCutAreCountedAndSettleOnce) {
  const Ran plain = run_with({});
  const Ran r = run_with({"faults.upload_lost=0.2", "faults.upload_duplicated=0.2",
                          "faults.upload_reordered=0.2", "faults.upload_cut=0.2"});
  EXPECT_EQ(r.trip_hash, plain.trip_hash); // faults never change the planned trips
  EXPECT_NE(r.fingerprint, plain.fingerprint);
  const FaultKpis& f = r.kpis->faults;
  EXPECT_TRUE(f.on);
  EXPECT_GT(f.uploads_lost.value(), 0);
  EXPECT_GT(f.uploads_duplicated.value(), 0);
  EXPECT_GT(f.uploads_reordered.value(), 0);
  EXPECT_GT(f.uploads_cut.value(), 0);
  EXPECT_GT(f.records_reuploaded.value(), 0);
  EXPECT_GT(r.kpis->records_duplicate.value(), plain.kpis->records_duplicate.value());
  expect_invariants_hold(r);
}

TEST(Faults, ATinyStoreRefusesTapsWhenFull) {
  const Ran r =
      run_with({"faults.tiny_store_share=1", "faults.tiny_store_capacity=2",
                "validators.station_upload_interval=3h", "validators.bus_upload_interval=3h"});
  EXPECT_GT(r.kpis->taps_refused[static_cast<size_t>(hce::TapRefusal::kStoreFull)].value(), 0);
  expect_invariants_hold(r);
}

TEST(Faults, AResetClockRefusesTokensUntilTheNextAcknowledgedUpload) {
  const Ran r = run_with({"faults.clock_faults_per_validator_day=3", "faults.clock_reset_share=1"});
  EXPECT_GT(r.kpis->faults.clock_faults.value(), 0);
  EXPECT_GT(r.kpis->faults.taps_wrong_clock.value(), 0);
  EXPECT_GT(r.kpis->taps_refused[static_cast<size_t>(hce::TapRefusal::kNotYetValid)].value(), 0);
  expect_invariants_hold(r);
}

TEST(Faults, AClockSkewedByAScheduleIsWrongOnlyInItsWindowAndUntilTheNextSync) {
  const Ran r = run_with({}, "faults { windows { kind: CLOCK_SKEW start: \"07:00\" duration: "
                             "\"2h\" skew: \"1d\" } }");
  EXPECT_GT(r.kpis->faults.taps_wrong_clock.value(), 0);
  EXPECT_LT(r.kpis->faults.taps_wrong_clock.value(), r.kpis->taps_accepted.value());
  EXPECT_GT(r.kpis->taps_refused[static_cast<size_t>(hce::TapRefusal::kExpired)].value(), 0);
  expect_invariants_hold(r);
}

TEST(Faults, AppRestartsRestoreTheWalletOrLoseIt) {
  const Ran kept = run_with({"faults.app_restarts_per_rider_day=3"});
  EXPECT_GT(kept.kpis->faults.app_restarts.value(), 0);
  EXPECT_EQ(kept.kpis->faults.wallets_lost.value(), 0);
  expect_invariants_hold(kept);
  const Ran lost = run_with({"faults.app_restarts_per_rider_day=3", "faults.wallet_lost_share=1"});
  EXPECT_EQ(lost.kpis->faults.wallets_lost.value(), lost.kpis->faults.app_restarts.value());
  EXPECT_GT(lost.kpis->faults.tokens_lost.value(), 0);
  EXPECT_GT(lost.kpis->token_requests.sent.value(), kept.kpis->token_requests.sent.value());
  expect_invariants_hold(lost);
}

TEST(Faults, CloudBankAndLinkOutagesAreCounted) {
  const Ran r = run_with({"faults.cloud_outages_per_day=4", "faults.bank_outages_per_day=4",
                          "faults.link_outages_per_validator_day=2"});
  const FaultKpis& f = r.kpis->faults;
  EXPECT_GT(f.cloud_outage_s, 0);
  EXPECT_GT(f.bank_outage_s, f.cloud_outage_s); // the bank is unreachable in cloud outages too
  EXPECT_GT(f.link_outages.value(), 0);
  EXPECT_GT(f.uploads_blocked.value(), 0);
  expect_invariants_hold(r);
}

TEST(Faults, ConfiguredCloudOutagesMergeWithTheFaults) {
  const Ran r = run_with({"faults.upload_reordered=0.01"},
                         "cloud { outages { start: \"08:00\" duration: \"1h\" } "
                         "outages { start: \"08:30\" duration: \"1h\" } }");
  EXPECT_DOUBLE_EQ(r.kpis->faults.cloud_outage_s, 90 * 60.0); // the union of the two
  expect_invariants_hold(r);
}

TEST(Faults, ALinkOutageOfEveryValidatorHoldsRecordsUntilItEnds) {
  const Ran r = run_with({}, "faults { windows { kind: LINK_OUTAGE start: \"06:00\" duration: "
                             "\"20h\" } }");
  EXPECT_GT(r.kpis->faults.uploads_blocked.value(), 0);
  EXPECT_GT(r.records.settled, 0U); // settled in the drain
  expect_invariants_hold(r);
}

TEST(Faults, TheSameFaultsGiveTheSameRunAndTheFaultSeedMovesOnlyTheFaults) {
  const std::vector<std::string> sets = {"faults.upload_lost=0.3",
                                         "faults.clock_faults_per_validator_day=1"};
  const Ran a = run_with(sets);
  const Ran b = run_with(sets);
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  std::vector<std::string> other = sets;
  other.push_back("faults.seed=99");
  const Ran c = run_with(other);
  EXPECT_NE(c.fingerprint, a.fingerprint);
  EXPECT_EQ(c.trip_hash, a.trip_hash);
}

TEST(Faults, TheShippedFaultScenarioShrunkShowsFaultEffectsAndKeepsTheInvariants) {
  const LoadedScenario s = load_scenario(
      HCESIM_SOURCE_DIR "/scenarios/attack_faults.txtpb",
      {"population.riders=600", "city.synthetic.metro_lines=2",
       "city.synthetic.stations_per_line=10", "city.synthetic.bus_routes=20",
       "city.synthetic.stops_per_bus_route=10", "city.synthetic.size_km=8", "drain=6h",
       "faults.app_restarts_per_rider_day=1", "faults.wallet_lost_share=0.3"});
  ASSERT_TRUE(s.ok()) << s.errors.front().to_string();
  auto world = build_world(s.config);
  ASSERT_TRUE(world.ok());
  CityRun run(s.config, *world);
  run.run();
  EXPECT_FALSE(run.invariant_violation()) << run.invariant_violation()->to_string();
  const FaultKpis& f = run.kpis().faults;
  EXPECT_GT(f.uploads_lost.value() + f.uploads_cut.value() + f.uploads_duplicated.value(), 0);
  EXPECT_GT(f.uploads_blocked.value(), 0); // the scheduled evening link outage
  EXPECT_GT(f.app_restarts.value(), 0);
  EXPECT_GT(f.wallets_lost.value(), 0);
}

} // namespace
} // namespace hcesim::models
