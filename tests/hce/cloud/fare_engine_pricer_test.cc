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

// A fares v2 transfer can price a leg below zero (type 2 with AB under the first leg's fare):
// settlement asserted every journey's fare >= 0 (debug builds aborted). The credit goes onto the
// day's earlier legs; the day's total is kept.
TEST(FareEnginePricer, ALegPricedBelowZeroIsCarriedOntoEarlierLegsKeepingTheTotal) {
  auto carried = [](std::vector<int64_t> minor) {
    std::vector<Money> fares;
    for (int64_t m : minor) {
      fares.push_back(fen(m));
    }
    carry_credits_back(fares);
    std::vector<int64_t> out;
    for (const Money& f : fares) {
      out.push_back(f.minor());
    }
    return out;
  };
  EXPECT_EQ(carried({300, -200}), (std::vector<int64_t>{100, 0}));
  EXPECT_EQ(carried({300, 50, -200}), (std::vector<int64_t>{150, 0, 0}));
  EXPECT_EQ(carried({100, -50, 20}), (std::vector<int64_t>{50, 0, 20}));
  EXPECT_EQ(carried({200, 300}), (std::vector<int64_t>{200, 300}));
  EXPECT_EQ(carried({100, -300}), (std::vector<int64_t>{0, 0})); // never pays the rider
  EXPECT_EQ(carried({}), (std::vector<int64_t>{}));
}

} // namespace
} // namespace hcesim::cloud
