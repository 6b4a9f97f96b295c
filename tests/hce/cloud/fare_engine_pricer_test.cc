// Settlement priced by the real fare engine on the Nanchang metro's published distance bands.
#include "hce/cloud/account_services.h"
#include "hce/cloud/fare_engine_pricer.h"

#include "cloud_test_support.h"

#include <gtest/gtest.h>

namespace hcesim::cloud {
namespace {

using testing::fen;

const std::filesystem::path kRules =
    std::filesystem::path(HCESIM_SOURCE_DIR) / "scenarios" / "fares" / "nanchang.txtpb";

TEST(FareEnginePricer, PricesAMetroJourneyByTheDistanceBandsAndUnpricedLegsAtTheMaximum) {
  auto engine = fare::FareEngine::from_rule_file(kRules);
  ASSERT_TRUE(engine.ok()) << engine.error().to_string();
  const FareEnginePricer pricer(*engine, fen(600));
  const auto shuanggang = engine->find_stop("双港");
  const auto weidong = engine->find_stop("卫东");
  ASSERT_TRUE(shuanggang && weidong);
  const Time t = Time::epoch() + Duration::hours(8);
  const JourneyLeg legs[] = {
      // 1.2 + 3.0 + 1.1 + 1.5 + 0.8 + 1.2 = 8.8 km: the 6–12 km band, 3 CNY.
      {LegKind::kMetro, ValidatorId(1), ValidatorId(2), StopId(*shuanggang), StopId(*weidong), t,
       t + Duration::minutes(15)},
      // A station the rules do not know: the maximum fare.
      {LegKind::kMetro, ValidatorId(1), ValidatorId(2), StopId(*shuanggang), StopId(99'999),
       t + Duration::hours(1), t + Duration::hours(2)},
  };
  Money out[2];
  pricer.price_day(legs, out);
  EXPECT_EQ(out[0], fen(300));
  EXPECT_EQ(out[1], fen(600));
}

TEST(FareEnginePricer, SettlementChargesAnEntryAndExitPairAtTheEnginesFare) {
  auto engine = fare::FareEngine::from_rule_file(kRules);
  ASSERT_TRUE(engine.ok()) << engine.error().to_string();
  const FareEnginePricer pricer(*engine, fen(600));
  InMemoryJournal journal;
  testing::FakeBank bank(1);
  AccountServices services(
      journal, pricer, bank,
      AccountServicesConfig{testing::cny(), SettlementPolicy{}, TopUpPolicy{}});
  const AccountId rider(1);
  ASSERT_TRUE(services.open_account(rider, fen(1000), fen(0), Time::epoch()).ok());
  const Time t = Time::epoch() + Duration::hours(8);
  const SettlementTap taps[] = {
      {TapRecordId{ValidatorId(10), 1}, rider, TokenId{1, 1}, t, 1, 0,
       StopId(*engine->find_stop("双港")), TapKind::kEntry, false},
      {TapRecordId{ValidatorId(11), 1}, rider, TokenId{1, 1}, t + Duration::minutes(15), 2, 0,
       StopId(*engine->find_stop("卫东")), TapKind::kExit, false},
  };
  services.settle(taps, t + Duration::hours(1));
  EXPECT_EQ(services.ledger().balance(rider), fen(-300));
}

} // namespace
} // namespace hcesim::cloud
