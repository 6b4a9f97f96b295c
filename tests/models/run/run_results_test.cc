// The run's results beyond the `all` row: KPIs by rider class, coverage class and hour, the
// timeseries rows, and the peak credit exposure, cross-checked against each other on a small city.
#include "models/run/city_run.h"
#include "models/run/kpi_rows.h"
#include "models/run/timeseries_writer.h"
#include "models/scenario/scenario_loader.h"

#include "small_run.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace hcesim::models {
namespace {

// Two rider classes and two coverage classes that differ in coverage, scarce tokens: refusals in
// every segment, more where phones are offline more.
ScenarioConfig segmented_run(std::vector<std::string> more = {}) {
  std::vector<std::string> sets = {"population.riders=400",
                                   "city.synthetic.metro_lines=2",
                                   "city.synthetic.stations_per_line=10",
                                   "city.synthetic.bus_routes=20",
                                   "city.synthetic.stops_per_bus_route=10",
                                   "city.synthetic.size_km=8",
                                   "warmup=24h",
                                   "days=1",
                                   "drain=6h",
                                   "token_policy.offline_limit=2",
                                   "token_policy.wallet_size=2",
                                   "network.mean_online=20min",
                                   "network.mean_offline=2h"};
  sets.insert(sets.end(), more.begin(), more.end());
  const std::string text = R"(
    population { classes { name: "commuter" share: 0.5 online_factor: 10 }
                 classes { name: "occasional" share: 0.5 online_factor: 0.1 } }
    network { coverage { name: "urban" share: 0.6 offline_factor: 0.3 }
              coverage { name: "rural" share: 0.4 offline_factor: 3 } })";
  const LoadedScenario loaded =
      load_scenario_text(text, HCESIM_SOURCE_DIR "/scenarios/segmented.txtpb", false, sets);
  EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.errors.front().to_string());
  return loaded.config;
}

struct Results {
  std::vector<KpiRow> rows;
  std::string series;
  int64_t peak_exposure_minor = 0;
  int64_t peak_debt_minor = 0;
  Time end;
};

Results run_with_series(const ScenarioConfig& cfg) {
  auto world = build_world(cfg);
  EXPECT_TRUE(world.ok());
  std::ostringstream series;
  TimeseriesWriter writer(series, cfg);
  CityRun run(cfg, *world);
  run.set_timeseries(&writer);
  run.run();
  return {kpi_rows(run.kpis(), cfg.city.currency), series.str(),
          run.kpis().peak_credit_exposure.minor(), run.kpis().peak_unpaid_debt.minor(),
          run.end_time()};
}

double value(const std::vector<KpiRow>& rows, const std::string& kpi, const std::string& segment) {
  for (const KpiRow& r : rows) {
    if (r.kpi == kpi && r.segment == segment) {
      return r.value;
    }
  }
  ADD_FAILURE() << kpi << " of " << segment << " missing";
  return -1;
}

using Table = run_test::SeriesTable;

Table parse(const std::string& csv) {
  return run_test::parse_series(csv);
}

const std::vector<std::string> kAdditive = {"trips",
                                            "taps_accepted",
                                            "taps_refused",
                                            "fallbacks",
                                            "trips_given_up",
                                            "riders",
                                            "hce_riders",
                                            "riders_refused",
                                            "taps_refused_no_usable_token",
                                            "taps_refused_expired",
                                            "tokens_expired_unused",
                                            "token_requests_sent"};

class RunResults : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    cfg_ = new ScenarioConfig(segmented_run());
    results_ = new Results(run_with_series(*cfg_));
  }
  static void TearDownTestSuite() {
    delete results_;
    delete cfg_;
  }
  static ScenarioConfig* cfg_;
  static Results* results_;
};
ScenarioConfig* RunResults::cfg_ = nullptr;
Results* RunResults::results_ = nullptr;

TEST_F(RunResults, ClassAndCoverageRowsAddUpToTheAllRowForAdditiveKpis) {
  const auto& rows = results_->rows;
  for (const std::string& kpi : kAdditive) {
    const double all = value(rows, kpi, "all");
    EXPECT_EQ(value(rows, kpi, "class:commuter") + value(rows, kpi, "class:occasional"), all)
        << kpi;
    EXPECT_EQ(value(rows, kpi, "coverage:urban") + value(rows, kpi, "coverage:rural"), all) << kpi;
  }
  EXPECT_EQ(value(rows, "riders", "all"), 400);
  EXPECT_GT(value(rows, "taps_refused", "all"), 0);
}

TEST_F(RunResults, RidersWhoseCoverageIsWorseAreRefusedMore) {
  const auto& rows = results_->rows;
  EXPECT_GT(value(rows, "refusal_rate", "class:occasional"),
            1.3 * value(rows, "refusal_rate", "class:commuter"));
  EXPECT_GT(value(rows, "refusal_rate", "coverage:rural"),
            2 * value(rows, "refusal_rate", "coverage:urban"));
  EXPECT_GT(value(rows, "riders_refused_share", "coverage:rural"),
            value(rows, "riders_refused_share", "coverage:urban"));
}

TEST_F(RunResults, HourRowsCountOnlyTheMeasuredDaysAsTheTimeseriesDoes) {
  const auto& rows = results_->rows;
  const Table t = parse(results_->series);
  const double days_end = (cfg_->warmup + Duration::days(cfg_->days)).to_seconds();
  const double warmup = cfg_->warmup.to_seconds();
  for (const auto& [kpi, column] :
       std::map<std::string, std::string>{{"taps_accepted", "taps_accepted"},
                                          {"taps_refused", "taps_refused"},
                                          {"token_requests_sent", "token_requests"},
                                          {"uploads_sent", "uploads"},
                                          {"top_ups_sent", "top_ups"}}) {
    double hours = 0;
    for (int h = 0; h < 24; ++h) {
      char seg[32];
      std::snprintf(seg, sizeof seg, "hour:%02d", h);
      hours += value(rows, kpi, seg);
    }
    double in_days = 0;
    double measured = 0;
    for (const auto& r : t.rows) {
      const double start = r[t.col("interval_start_s")];
      if (start >= warmup) {
        measured += r[t.col(column)];
        in_days += r[t.col("interval_end_s")] <= days_end ? r[t.col(column)] : 0;
      }
    }
    EXPECT_EQ(hours, in_days) << kpi;
    EXPECT_EQ(measured, value(rows, kpi, "all")) << kpi << ": measured rows sum to the KPI";
  }
  // Morning peak taps outnumber the small hours'.
  EXPECT_GT(value(rows, "taps_accepted", "hour:08"), value(rows, "taps_accepted", "hour:03"));
}

TEST_F(RunResults, TimeseriesRowsTileTheRunAndTheMeasuredColumnStartsAtTheWarmupEnd) {
  const Table t = parse(results_->series);
  const double interval = cfg_->output.timeseries_interval.to_seconds();
  ASSERT_FALSE(t.rows.empty());
  EXPECT_EQ(t.rows.front()[t.col("interval_start_s")], 0);
  EXPECT_EQ(t.rows.back()[t.col("interval_end_s")], (results_->end - Time::epoch()).to_seconds());
  for (size_t i = 0; i < t.rows.size(); ++i) {
    const auto& r = t.rows[i];
    EXPECT_EQ(r[t.col("interval_start_s")], static_cast<double>(i) * interval);
    EXPECT_EQ(r[t.col("measured")], r[t.col("interval_start_s")] >= 86400 ? 1 : 0);
    EXPECT_EQ(r[t.col("day")], std::floor(static_cast<double>(i) * interval / 86400)) << i;
    EXPECT_GE(r[t.col("issuing_queue_mean")], 0);
    // Decimal amounts read as doubles: equal to the cent.
    EXPECT_NEAR(r[t.col("credit_exposure")], r[t.col("unpaid_debt")] + r[t.col("fares_unsent")],
                1e-6);
  }
}

TEST(RunResultsInterval, PeakCreditExposureIsTheHighestMinuteValueAfterTheWarmup) {
  // One-minute rows: each row's end is a minute's tick, where the peak is looked for. (The peak
  // was looked for on the hour only, and missed the minutes between.)
  const Results r = run_with_series(segmented_run({"output.timeseries_interval=1min"}));
  const Table t = parse(r.series);
  double after = 0; // ticks after the warm-up's end
  double from = 0;  // ... and the one at its end
  double on_the_hour = 0;
  for (const auto& row : t.rows) {
    const double end = row[t.col("interval_end_s")];
    const double exposure = row[t.col("credit_exposure")];
    from = end >= 86400 ? std::max(from, exposure) : from;
    after = end > 86400 ? std::max(after, exposure) : after;
    if (end >= 86400 && static_cast<int64_t>(end) % 3600 == 0) {
      on_the_hour = std::max(on_the_hour, exposure);
    }
  }
  const double peak = static_cast<double>(r.peak_exposure_minor) / 100.0;
  EXPECT_GT(after, 0);
  EXPECT_GE(peak, after);
  EXPECT_LE(peak, from);
  EXPECT_GT(peak, on_the_hour) << "this run's peak falls between the hours";
  EXPECT_GE(r.peak_exposure_minor, r.peak_debt_minor);
}

TEST(RunResultsRevenue, RevenueAtRiskCountsAcceptedTapsStillOnValidators) {
  // No drain and buses that upload once a day: the day's bus taps are still on the buses at the
  // end, and their fares are at risk (DESIGN §6: fares of accepted taps not yet settled).
  const Results r = run_with_series(
      segmented_run({"drain=0s", "validators.bus_upload_interval=24h", "warmup=0s"}));
  const auto kpi = [&](const std::string& name) { return value(r.rows, name, "all"); };
  EXPECT_GT(kpi("records_unsettled"), 0);
  EXPECT_GT(kpi("fares_unsent"), 0);
  EXPECT_DOUBLE_EQ(kpi("revenue_at_risk"), kpi("unpaid_debt") + kpi("pending_fares") +
                                               kpi("fares_unsent") + kpi("fraud_loss"));
  // The last row's state is the run's end: the same unsent fares.
  const Table t = parse(r.series);
  EXPECT_DOUBLE_EQ(t.rows.back()[t.col("fares_unsent")], kpi("fares_unsent"));
}

TEST(RunResultsInterval, AnIntervalOfOneHourGivesRowsOfOneHourWithTheSameTotals) {
  const ScenarioConfig cfg = segmented_run({"output.timeseries_interval=1h", "warmup=0s"});
  const Results r = run_with_series(cfg);
  const Table t = parse(r.series);
  double taps = 0;
  for (const auto& row : t.rows) {
    taps += row[t.col("taps_accepted")];
    EXPECT_EQ(row[t.col("interval_end_s")] - row[t.col("interval_start_s")], 3600);
  }
  EXPECT_EQ(t.rows.size(), 30u); // a day and a 6 h drain
  EXPECT_EQ(taps, value(r.rows, "taps_accepted", "all"));
}

TEST(RunResultsInterval, AWarmupThatIsNotWholeRowsEndsARowOfItsOwn) {
  // 24 h is not a whole number of 7 min rows: the row the warm-up ends in is cut there, so the
  // measured rows still sum to the KPIs (that row was unmeasured and held 12 measured taps).
  const ScenarioConfig cfg = segmented_run({"output.timeseries_interval=7min"});
  const Results r = run_with_series(cfg);
  const Table t = parse(r.series);
  double taps = 0;
  double top_ups = 0;
  bool cut = false;
  for (const auto& row : t.rows) {
    cut = cut || row[t.col("interval_end_s")] == 86400;
    if (row[t.col("measured")] == 1) {
      taps += row[t.col("taps_accepted")];
      top_ups += row[t.col("top_ups")];
    }
  }
  EXPECT_TRUE(cut);
  EXPECT_EQ(taps, value(r.rows, "taps_accepted", "all"));
  EXPECT_EQ(top_ups, value(r.rows, "top_ups_sent", "all"));
}

TEST(RunResultsInterval, AnIntervalThatIsNotWholeMinutesIsRefused) {
  const LoadedScenario s = load_scenario_text("", HCESIM_SOURCE_DIR "/scenarios/x.txtpb", false,
                                              {"output.timeseries_interval=90s"});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.errors.front().to_string().find("whole number of minutes"), std::string::npos)
      << s.errors.front().to_string();
}

} // namespace
} // namespace hcesim::models
