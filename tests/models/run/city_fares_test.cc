// The run's fares come from the real fare engine: journeys settled through the city's pricer cost
// what the engine, asked independently, says; the synthetic city's distances are its track
// distances (Nanchang Line 1's published ones), its buses a flat fare with the transfer discount;
// a GTFS city is priced by the feed's own fares.
#include "models/fares/city_fares.h"

#include "hce/cloud/account_services.h"
#include "models/run/city_run.h"
#include "models/scenario/scenario_loader.h"
#include "models/world/world.h"
#include "small_run.h"
#include "support/shared_data.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace hcesim::models {
namespace {

ScenarioConfig scenario(const std::string& text, std::vector<std::string> more = {}) {
  std::vector<std::string> sets = {"population.riders=300", "warmup=0s", "days=1", "drain=12h"};
  sets.insert(sets.end(), more.begin(), more.end());
  const LoadedScenario loaded =
      load_scenario_text(text, HCESIM_SOURCE_DIR "/scenarios/fares_test.txtpb", false, sets);
  EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.errors.front().to_string());
  return loaded.config;
}

ScenarioConfig small_synthetic() {
  return scenario("", {"city.synthetic.metro_lines=2", "city.synthetic.stations_per_line=10",
                       "city.synthetic.bus_routes=20", "city.synthetic.stops_per_bus_route=10",
                       "city.synthetic.size_km=8"});
}

class NoBank final : public cloud::BankPort {
public:
  cloud::BankAnswer charge(const cloud::BankCharge&, Time) override {
    return cloud::BankAnswer{cloud::BankOutcome::kDeclined, cloud::DeclineReason::kOther};
  }
};

// Settles one rider's taps through the city's pricer, as CityRun's services do.
class Settle {
public:
  Settle(const ScenarioConfig& cfg, const World& world)
      : world_(world), directory_(world.city), fares_(world.fares, world.city, directory_),
        services_(journal_, fares_.pricer(), bank_,
                  cloud::AccountServicesConfig{cfg.city.currency, cloud::SettlementPolicy{},
                                               cloud::TopUpPolicy{}}) {}

  uint32_t stop(const std::string& name) const {
    for (uint32_t s = 0; s < world_.city.stop_count(); ++s) {
      if (world_.city.stop_name(s) == name) {
        return s;
      }
    }
    ADD_FAILURE() << "no stop " << name;
    return 0;
  }
  uint32_t stop_of_feed(const std::string& id) const {
    for (uint32_t s = 0; s < world_.city.stop_count(); ++s) {
      if (world_.city.stop_feed_id(s) == id) {
        return s;
      }
    }
    ADD_FAILURE() << "no stop " << id;
    return 0;
  }
  void gate(uint32_t s, cloud::TapKind kind, Time at) {
    add(directory_.station_gate(s, 0), kind, at, s);
  }
  void bus(Time at) {
    for (uint32_t v = 0; v < directory_.count(); ++v) {
      if (directory_.kind(v) == ValidatorKind::kBusReader) {
        const uint32_t route = directory_.place(v);
        add(v, cloud::TapKind::kFlat, at, world_.city.route_stop(route, 0));
        return;
      }
    }
    ADD_FAILURE() << "no bus";
  }
  //! What the rider paid for the day's taps.
  int64_t paid() {
    if (!opened_) {
      return 0;
    }
    services_.settle(taps_, taps_.back().tapped_at + Duration::hours(1));
    services_.advance(taps_.back().tapped_at + Duration::hours(30));
    return -services_.ledger().balance(AccountId(1)).minor();
  }
  const CityFares& fares() const { return fares_; }

private:
  void add(uint32_t v, cloud::TapKind kind, Time at, uint32_t s) {
    if (!opened_) {
      opened_ = true;
      EXPECT_TRUE(services_
                      .open_account(AccountId(1), Money(1'000'000, world_.fares.currency()),
                                    Money(0, world_.fares.currency()), Time::epoch())
                      .ok());
    }
    cloud::SettlementTap t;
    t.record = cloud::TapRecordId{ValidatorId(v + 1), ++sequence_};
    t.account = AccountId(1);
    t.token = TokenId{1, 1};
    t.counter = static_cast<uint16_t>(taps_.size() + 1);
    t.tapped_at = at;
    t.kind = kind;
    t.stop = StopId(s);
    taps_.push_back(t);
  }
  const World& world_;
  ValidatorDirectory directory_;
  CityFares fares_;
  cloud::InMemoryJournal journal_;
  NoBank bank_;
  cloud::AccountServices services_;
  std::vector<cloud::SettlementTap> taps_;
  uint64_t sequence_ = 0;
  bool opened_ = false;
};

// The engine's own price of a day's legs, asked with its own stop names.
struct Leg {
  std::string from; //!< "" for a bus boarding
  std::string to;
  Time depart;
  Time arrive;
};
int64_t engine_price(const fare::FareEngine& e, const std::vector<Leg>& legs) {
  std::vector<fare::FareLeg> fl;
  for (const Leg& l : legs) {
    fare::FareLeg f;
    if (l.from.empty()) {
      f.network = *e.find_network("bus");
    } else {
      f.from_stop = *e.find_stop(l.from);
      f.to_stop = *e.find_stop(l.to);
    }
    f.depart = l.depart;
    f.arrive = l.arrive;
    fl.push_back(f);
  }
  const fare::JourneyPrice p = e.price_journey(fl);
  EXPECT_TRUE(p.complete);
  return p.total.minor();
}

const Time k8 = Time::epoch() + Duration::hours(8);

int64_t metro_day(const ScenarioConfig& cfg, const World& w, const char* from, const char* to) {
  Settle s(cfg, w);
  s.gate(s.stop(from), cloud::TapKind::kEntry, k8);
  s.gate(s.stop(to), cloud::TapKind::kExit, k8 + Duration::minutes(25));
  const int64_t paid = s.paid();
  EXPECT_EQ(paid, engine_price(w.fares, {{from, to, k8, k8 + Duration::minutes(25)}}))
      << from << " → " << to;
  return paid;
}

TEST(CityFares, MetroJourneysPayTheDistanceBandOfLineOnesPublishedDistances) {
  // Line 1 alone: the engine's distances are Nanchang's published ones (with more lines, a line
  // meeting line 1 twice can make a shorter path, which the engine then prices).
  const ScenarioConfig cfg =
      scenario("", {"city.synthetic.metro_lines=1", "city.synthetic.bus_routes=20",
                    "city.synthetic.stops_per_bus_route=10", "city.synthetic.size_km=8"});
  auto world = build_world(cfg);
  ASSERT_TRUE(world.ok()) << world.error().to_string();
  // 彭家桥 → 艾溪湖东: 0.9 + 0.8 + 1.1 + 1.2 + 2.0 = 6.0 km, the first band's included edge.
  EXPECT_EQ(metro_day(cfg, *world, "彭家桥", "艾溪湖东"), 200);
  // 师大南路 → 艾溪湖东: 6.8 km, the second band.
  EXPECT_EQ(metro_day(cfg, *world, "师大南路", "艾溪湖东"), 300);
  // 长江路 → 丁公路北: exactly 12.0 km (second band's edge); one station further, 13.0 km.
  EXPECT_EQ(metro_day(cfg, *world, "长江路", "丁公路北"), 300);
  EXPECT_EQ(metro_day(cfg, *world, "长江路", "师大南路"), 400);
  // 双港 → 瑶湖西: the whole line, 28.4 km: 5 CNY to 28 km, one 10 km step more.
  EXPECT_EQ(metro_day(cfg, *world, "双港", "瑶湖西"), 600);
  Settle any(cfg, *world);
  EXPECT_EQ(any.fares().max_fare().minor(), 600);
}

TEST(CityFares, BusBoardingsPayTheFlatFareLessTheTransferDiscountWithinTheWindow) {
  const ScenarioConfig cfg = small_synthetic();
  auto world = build_world(cfg);
  ASSERT_TRUE(world.ok()) << world.error().to_string();
  const Time t = k8;
  {
    // Bus, then the metro 30 min later (discounted), then a bus exactly 90 min after the exit
    // (discounted) and another 91 min after that bus (full fare).
    Settle s(cfg, *world);
    s.bus(t);
    s.gate(s.stop("长江路"), cloud::TapKind::kEntry, t + Duration::minutes(30));
    s.gate(s.stop("丁公路北"), cloud::TapKind::kExit, t + Duration::minutes(50));
    s.bus(t + Duration::minutes(140));
    s.bus(t + Duration::minutes(231));
    const int64_t paid = s.paid();
    EXPECT_EQ(paid, 200 + (300 - 100) + (200 - 100) + 200);
    EXPECT_EQ(
        paid,
        engine_price(world->fares,
                     {{"", "", t, t},
                      {"长江路", "丁公路北", t + Duration::minutes(30), t + Duration::minutes(50)},
                      {"", "", t + Duration::minutes(140), t + Duration::minutes(140)},
                      {"", "", t + Duration::minutes(231), t + Duration::minutes(231)}}));
  }
  {
    // Metro, then a bus two hours after the exit: no discount.
    Settle s(cfg, *world);
    s.gate(s.stop("彭家桥"), cloud::TapKind::kEntry, t);
    s.gate(s.stop("艾溪湖东"), cloud::TapKind::kExit, t + Duration::minutes(15));
    s.bus(t + Duration::minutes(135));
    EXPECT_EQ(s.paid(), 200 + 200);
  }
}

TEST(CityFares, TheScenariosBusFareAndDiscountReachTheEngine) {
  const ScenarioConfig cfg = scenario(
      "", {"city.synthetic.metro_lines=1", "city.synthetic.bus_routes=5",
           "city.synthetic.size_km=5", "city.synthetic.bus_fare=1.50",
           "city.synthetic.transfer_discount=0.50", "city.synthetic.transfer_window=10min"});
  auto world = build_world(cfg);
  ASSERT_TRUE(world.ok()) << world.error().to_string();
  Settle s(cfg, *world);
  s.bus(k8);
  s.bus(k8 + Duration::minutes(10));
  s.bus(k8 + Duration::minutes(21));
  EXPECT_EQ(s.paid(), 150 + 100 + 150);
}

TEST(CityFares, ATapsFareAtRiskIsAnEntrysHighestFareAnExitsNothingAndABoardingsOwnFare) {
  // What credit exposure counts per tap not yet uploaded: one metro journey once (not entry and
  // exit each at the highest fare), a bus boarding at the bus fare (not the metro's highest).
  const ScenarioConfig cfg =
      scenario("", {"city.synthetic.metro_lines=1", "city.synthetic.bus_routes=5",
                    "city.synthetic.size_km=5", "city.synthetic.bus_fare=1.50"});
  auto world = build_world(cfg);
  ASSERT_TRUE(world.ok()) << world.error().to_string();
  const ValidatorDirectory directory(world->city);
  const CityFares fares(world->fares, world->city, directory);
  ASSERT_GT(fares.max_fare().minor(), 150);
  uint32_t gates = 0;
  uint32_t buses = 0;
  for (uint32_t v = 0; v < directory.count(); ++v) {
    if (directory.kind(v) == ValidatorKind::kBusReader) {
      ++buses;
      EXPECT_EQ(fares.at_risk(v, hce::TapKind::kFlat).minor(), 150) << v;
    } else {
      ++gates;
      EXPECT_EQ(fares.at_risk(v, hce::TapKind::kEntry), fares.max_fare()) << v;
      EXPECT_EQ(fares.at_risk(v, hce::TapKind::kExit).minor(), 0) << v;
    }
  }
  EXPECT_GT(gates, 0u);
  EXPECT_GT(buses, 0u);
}

TEST(CityFares, ARunsSettledFaresAreTheEnginesFares) {
  // Every fare posted in a small run is a fare the engine can give: a band fare up to the
  // city's highest, the bus fare, either less the discount.
  const ScenarioConfig cfg = small_synthetic();
  auto world = build_world(cfg);
  ASSERT_TRUE(world.ok()) << world.error().to_string();
  CityRun run(cfg, *world);
  std::vector<cloud::LedgerEntry> entries; // the run's ledger archives them hourly
  run.observe_journal(
      [&entries](const cloud::JournalRecord& rec) { run_test::collect_entries(rec, entries); });
  run.run();
  const int64_t highest = run.fares().max_fare().minor();
  EXPECT_GE(highest, 400);
  std::set<int64_t> possible{0};
  for (int64_t f = 200; f <= highest; f += 100) {
    possible.insert(f);
    possible.insert(f - 100);
  }
  size_t fares = 0;
  for (const cloud::LedgerEntry& e : entries) {
    if (e.reason == cloud::EntryReason::kFare) {
      ++fares;
      EXPECT_EQ(possible.count(-e.amount.minor()), 1U) << e.amount.to_string();
    }
  }
  EXPECT_GT(fares, 100U);
}

TEST(CityFares, AGtfsCityIsPricedByTheFeedsOwnFares) {
  HCESIM_REQUIRE_SHARED_DATA(feed, "gtfs/hmrl-hyderabad-2025");
  const ScenarioConfig cfg =
      scenario("city { gtfs { folder: \"" + feed.string() + "\" } }\n", {"population.riders=200"});
  EXPECT_EQ(cfg.city.currency.code(), "INR");
  auto world = build_world(cfg);
  ASSERT_TRUE(world.ok()) << world.error().to_string();
  ASSERT_EQ(world->fares.kind(), fare::FareEngine::Kind::kGtfsV1);
  const auto day = [&](const char* from, const char* to) {
    Settle s(cfg, *world);
    s.gate(s.stop_of_feed(from), cloud::TapKind::kEntry, k8);
    s.gate(s.stop_of_feed(to), cloud::TapKind::kExit, k8 + Duration::minutes(20));
    const int64_t paid = s.paid();
    EXPECT_EQ(paid, engine_price(world->fares, {{from, to, k8, k8 + Duration::minutes(20)}}));
    return paid;
  };
  // fare_rules.txt: MYP→JNT F_10, MYP→KPH F_15, MYP→AME (an interchange) F_40, MYP→NAG F_60.
  EXPECT_EQ(day("MYP", "JNT"), 1000);
  EXPECT_EQ(day("MYP", "KPH"), 1500);
  EXPECT_EQ(day("MYP", "AME"), 4000);
  EXPECT_EQ(day("MYP", "NAG"), 6000);
  // A whole run on the feed's city settles fares in rupees: each one of the feed's prices, or,
  // for a later journey of the day, what the feed's fare transfers leave to pay (fare_attributes
  // has no transfer limit: the engine charges the difference to a dearer fare, or nothing).
  CityRun run(cfg, *world);
  std::vector<cloud::LedgerEntry> entries; // the run's ledger archives them hourly
  run.observe_journal(
      [&entries](const cloud::JournalRecord& rec) { run_test::collect_entries(rec, entries); });
  run.run();
  const std::vector<int64_t> prices{1000, 1500, 2500, 3000, 3500, 4000, 4500, 5000, 5500, 6000};
  std::set<int64_t> possible{0};
  for (int64_t a : prices) {
    possible.insert(a);
    for (int64_t b : prices) {
      possible.insert(a > b ? a - b : 0);
    }
  }
  size_t fares = 0;
  for (const cloud::LedgerEntry& e : entries) {
    if (e.reason == cloud::EntryReason::kFare) {
      ++fares;
      EXPECT_EQ(possible.count(-e.amount.minor()), 1U) << e.amount.to_string();
    }
  }
  EXPECT_GT(fares, 50U);
  EXPECT_GT(run.kpis().fares_settled.minor(), 0);
  EXPECT_EQ(run.records_received_total(), run.taps_accepted_total());
}

} // namespace
} // namespace hcesim::models
