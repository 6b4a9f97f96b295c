// Proof for issue 16: 1,000 random fault schedules on a small city (100 riders, one metro line,
// two bus routes, one day and a 3 h drain). Each schedule draws which faults happen and how
// hard (random rates and scheduled windows of every kind); every run must end with every invariant
// holding, and every accepted tap settled once or still held by its validator.
#include "models/run/city_run.h"
#include "small_run.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace hcesim::models {
namespace {

// HCESIM_FAULT_SCHEDULES=N runs the first N only (to measure the cost of one).
int schedules() {
  const char* n = std::getenv("HCESIM_FAULT_SCHEDULES");
  return n != nullptr ? std::atoi(n) : 1000;
}

const std::vector<std::string> kSmallCity = {"population.riders=100",
                                             "city.synthetic.metro_lines=1",
                                             "city.synthetic.stations_per_line=8",
                                             "city.synthetic.bus_routes=2",
                                             "city.synthetic.size_km=5",
                                             "drain=3h",
                                             "validators.station_upload_interval=30min"};

// Schedule i: each fault kind present with probability 1/2, at a random intensity, plus up to
// three windows of random kinds. Written as scenario text so the loader checks it too.
std::string schedule_text(int i) {
  std::mt19937_64 g(static_cast<uint64_t>(i) * 7919 + 1);
  std::uniform_real_distribution<double> u(0, 1);
  auto maybe = [&](double hi) { return u(g) < 0.5 ? u(g) * hi : 0.0; };
  std::ostringstream t;
  t << "faults {\n  seed: " << i + 1 << "\n";
  t << "  cloud_outages_per_day: " << maybe(6) << "\n";
  t << "  bank_outages_per_day: " << maybe(6) << "\n";
  t << "  link_outages_per_validator_day: " << maybe(4) << "\n";
  const double lost = maybe(0.25);
  const double dup = maybe(0.25);
  const double reo = maybe(0.25);
  const double cut = maybe(0.25);
  t << "  upload_lost: " << lost << " upload_duplicated: " << dup << " upload_reordered: " << reo
    << " upload_cut: " << cut << "\n";
  t << "  tiny_store_share: " << maybe(1) << " tiny_store_capacity: " << 1 + g() % 30 << "\n";
  t << "  clock_faults_per_validator_day: " << maybe(4) << " clock_reset_share: " << u(g) << "\n";
  t << "  app_restarts_per_rider_day: " << maybe(3) << " wallet_lost_share: " << u(g) << "\n";
  static const char* kinds[] = {
      "CLOUD_OUTAGE",      "BANK_OUTAGE", "LINK_OUTAGE", "UPLOADS_LOST", "UPLOADS_DUPLICATED",
      "UPLOADS_REORDERED", "UPLOADS_CUT", "CLOCK_SKEW",  "CLOCK_RESET",  "APP_RESTART"};
  const int windows = static_cast<int>(g() % 4);
  for (int w = 0; w < windows; ++w) {
    const int k = static_cast<int>(g() % 10);
    const int minute = static_cast<int>(g() % (24 * 60));
    char start[16];
    std::snprintf(start, sizeof start, "%02d:%02d", minute / 60, minute % 60);
    t << "  windows { kind: " << kinds[k] << " start: \"" << start << "\"";
    if (k == 9) {
      t << " rider: " << g() % 100 << " wallet_lost: " << (g() % 2 == 0 ? "true" : "false");
    } else {
      t << " duration: \"" << 1 + g() % 300 << "min\"";
    }
    if ((k == 2 || k == 7 || k == 8) && g() % 2 == 0) {
      t << " validator: " << g() % 20;
    }
    t << " }\n";
  }
  t << "}\n";
  return t.str();
}

TEST(FaultSchedules, EveryInvariantHoldsInEachOfAThousandRandomSchedules) {
  const ScenarioConfig plain = run_test::small_run("", kSmallCity);
  auto world = build_world(plain);
  ASSERT_TRUE(world.ok());
  uint64_t with_effect = 0;
  const int count = schedules();
  for (int i = 0; i < count; ++i) {
    const std::string text = schedule_text(i);
    const ScenarioConfig cfg = run_test::small_run(text, kSmallCity);
    CityRun run(cfg, *world); // the same city and riders: only the faults differ
    run.run();
    const auto& v = run.invariant_violation();
    ASSERT_FALSE(v) << "schedule " << i << ": " << v->to_string() << "\n" << text;
    const RecordTally& t = run.invariants().records();
    ASSERT_EQ(t.settled + t.held, t.accepted) << "schedule " << i << "\n" << text;
    const FaultKpis& f = run.kpis().faults;
    const int64_t bites = f.uploads_lost.value() + f.uploads_cut.value() + f.app_restarts.value() +
                          f.clock_faults.value() + f.link_outages.value();
    with_effect += bites > 0 ? 1U : 0U;
  }
  EXPECT_GT(with_effect, static_cast<uint64_t>(count) / 2); // the schedules did bite
}

} // namespace
} // namespace hcesim::models
