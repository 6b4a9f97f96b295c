// The load generator's request mix from a simulated run: the busiest hour's token requests,
// uploads (with their mean size) and top-ups per second, as the run's own hour KPIs count them.
#include "models/run/city_run.h"
#include "models/run/kpi_rows.h"
#include "models/run/request_mix.h"
#include "models/world/world.h"
#include "small_run.h"

#include <gtest/gtest.h>

#include <map>

namespace hcesim::models {
namespace {

TEST(BusiestHourMix, TakesTheHourWithMostRequestsPerSecondOverTheMeasuredDays) {
  std::array<HourCounts, 24> hours{};
  hours[8] = HourCounts{0, 0, 7200, 1800, 90'000, 720}; // 9,720 requests
  hours[17] = HourCounts{0, 0, 3600, 7200, 72'000, 0};  // 10,800: the busiest
  hours[23] = HourCounts{0, 0, 10'000, 0, 0, 0};        // 10,000
  const auto mix = busiest_hour_mix(hours, 2);
  ASSERT_TRUE(mix.ok());
  EXPECT_EQ(mix->hour, 17u);
  EXPECT_DOUBLE_EQ(mix->token_requests, 0.5); // 3,600 over two days of that hour
  EXPECT_DOUBLE_EQ(mix->uploads, 1.0);
  EXPECT_DOUBLE_EQ(mix->top_ups, 0.0);
  EXPECT_DOUBLE_EQ(mix->taps_per_upload, 10.0);
  EXPECT_DOUBLE_EQ(mix->shares()[0], 1.0 / 3);
  EXPECT_DOUBLE_EQ(mix->shares()[1], 2.0 / 3);
}

TEST(BusiestHourMix, RefusesARunThatSentNothing) {
  std::array<HourCounts, 24> hours{};
  hours[3].taps_accepted = 10; // taps, but no cloud request
  const auto mix = busiest_hour_mix(hours, 1);
  ASSERT_FALSE(mix.ok());
  EXPECT_NE(mix.error().what.find("sent no token request"), std::string::npos);
}

//! The run's hour:HH rows of kpis.csv (the results contract), by hour and KPI.
std::map<std::string, std::map<std::string, double>> hour_rows(const ScenarioConfig& cfg) {
  const auto world = build_world(cfg);
  EXPECT_TRUE(world.ok());
  CityRun run(cfg, *world);
  run.run();
  std::map<std::string, std::map<std::string, double>> out;
  for (const KpiRow& r : kpi_rows(run.kpis(), cfg.city.currency)) {
    if (r.segment.rfind("hour:", 0) == 0) {
      out[r.segment][r.kpi] = r.value;
    }
  }
  return out;
}

TEST(SimulatedRequestMix, IsTheBusiestHourOfTheRunsOwnHourKpis) {
  const ScenarioConfig cfg = run_test::small_run("");
  const auto mix = simulated_request_mix(cfg);
  ASSERT_TRUE(mix.ok()) << mix.error().to_string();
  const auto rows = hour_rows(cfg);
  std::string busiest;
  double most = -1;
  for (const auto& [segment, kpi] : rows) {
    const double n =
        kpi.at("token_requests_sent") + kpi.at("uploads_sent") + kpi.at("top_ups_sent");
    if (n > most) {
      most = n;
      busiest = segment;
    }
  }
  char name[16];
  std::snprintf(name, sizeof name, "hour:%02u", mix->hour);
  EXPECT_EQ(busiest, name);
  const auto& h = rows.at(busiest);
  ASSERT_GT(h.at("uploads_sent"), 0);
  ASSERT_GT(h.at("token_requests_sent"), 0);
  EXPECT_DOUBLE_EQ(mix->token_requests, h.at("token_requests_sent") / 3600);
  EXPECT_DOUBLE_EQ(mix->uploads, h.at("uploads_sent") / 3600);
  EXPECT_DOUBLE_EQ(mix->top_ups, h.at("top_ups_sent") / 3600);
  EXPECT_DOUBLE_EQ(mix->token_requests / mix->uploads,
                   h.at("token_requests_sent") / h.at("uploads_sent"));
  EXPECT_GT(mix->taps_per_upload, 1.0);
  EXPECT_LE(mix->taps_per_upload, cfg.validators.batch_size);
}

TEST(SimulatedRequestMix, FollowsTheUploadIntervalAndBatchSizeTheScenarioParametersMiss) {
  // The old parameter-based mix (an upload per batch of taps) gives the same ratio for both
  // intervals; the run uploads every interval a validator holds records, so with many taps per
  // validator rarer uploads carry more taps each. (A small city: few validators, busy ones.)
  auto busy_city = [](const std::string& every) {
    return run_test::small_run(
        "", {"population.riders=1500", "city.synthetic.metro_lines=1",
             "city.synthetic.stations_per_line=6", "city.synthetic.bus_routes=2",
             "city.synthetic.stops_per_bus_route=6", "validators.station_upload_interval=" + every,
             "validators.bus_upload_interval=" + every});
  };
  const auto often = simulated_request_mix(busy_city("2min"));
  const auto rarely = simulated_request_mix(busy_city("1h"));
  ASSERT_TRUE(often.ok() && rarely.ok());
  EXPECT_GT(often->uploads / often->token_requests, 2.0 * rarely->uploads / rarely->token_requests);
  EXPECT_GT(rarely->taps_per_upload, 2.0 * often->taps_per_upload);
  // One record per batch: every upload carries exactly one tap.
  const auto single = simulated_request_mix(run_test::small_run("", {"validators.batch_size=1"}));
  ASSERT_TRUE(single.ok());
  EXPECT_DOUBLE_EQ(single->taps_per_upload, 1.0);
}

} // namespace
} // namespace hcesim::models
