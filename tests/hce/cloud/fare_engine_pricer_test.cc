// Settlement priced by the real fare engine on the Nanchang metro's published distance bands.
#include "hce/cloud/account_services.h"
#include "hce/cloud/fare_engine_pricer.h"

#include "../fare/temp_feed.h"
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

// The same through price_day on a fares v2 feed: a type-2 transfer whose product (1.00) is under
// the first leg's fare (5.00) prices the second leg at -4.00; the day is charged 1.00, 0.00.
TEST(FareEnginePricer, PriceDayCarriesATransfersNegativeLegOntoTheFirst) {
  fare::testing::TempFeed f;
  f.base("route_id,agency_id,route_type,network_id\nR1,A,3,N1\nR2,A,3,N2\n",
         "stop_id,stop_name,location_type,parent_station\nS1,One,0,\nS2,Two,0,\nS3,Three,0,\n")
      .file("fare_products.txt",
            "fare_product_id,amount,currency\np1,1.00,USD\np3,3.00,USD\np5,5.00,USD\n")
      .file("fare_leg_rules.txt", "leg_group_id,network_id,fare_product_id\ng1,N1,p5\ng2,N2,p3\n")
      .file("fare_transfer_rules.txt",
            "from_leg_group_id,to_leg_group_id,transfer_count,duration_limit,duration_limit_type,"
            "fare_transfer_type,fare_product_id\ng1,g2,,,,2,p1\n");
  auto engine = fare::FareEngine::from_gtfs(f.dir());
  ASSERT_TRUE(engine.ok()) << engine.error().to_string();
  const Currency usd = Currency::from_code("USD").value();
  FareEnginePricer pricer(*engine, Money(900, usd));
  pricer.place(ValidatorId(1), FareLine{*engine->find_route("R1"), fare::kNone});
  pricer.place(ValidatorId(2), FareLine{*engine->find_route("R2"), fare::kNone});
  const auto stop = [&](const char* id) { return StopId(*engine->find_stop(id)); };
  const Time t = Time::epoch() + Duration::hours(8);
  const JourneyLeg legs[] = {
      {LegKind::kFlat, ValidatorId(1), ValidatorId(1), stop("S1"), stop("S2"), t,
       t + Duration::minutes(10)},
      {LegKind::kFlat, ValidatorId(2), ValidatorId(2), stop("S2"), stop("S3"),
       t + Duration::minutes(20), t + Duration::minutes(30)},
  };
  Money out[2] = {Money(0, usd), Money(0, usd)};
  pricer.price_day(legs, out);
  EXPECT_EQ(out[0], Money(100, usd));
  EXPECT_EQ(out[1], Money(0, usd));
}

} // namespace
} // namespace hcesim::cloud
