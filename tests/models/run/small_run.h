#pragma once
// A small synthetic city run for CityRun tests: 400 riders, two metro lines, 20 bus routes, one
// day and a 12 h drain; `text` is scenario text, `more` --set overrides.
#include "hce/cloud/journal_record.h"
#include "models/run/kpi_rows.h"
#include "models/scenario/scenario_loader.h"

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

namespace hcesim::models::run_test {

inline ScenarioConfig small_run(const std::string& text, std::vector<std::string> more = {}) {
  std::vector<std::string> sets = {"population.riders=400",
                                   "city.synthetic.metro_lines=2",
                                   "city.synthetic.stations_per_line=10",
                                   "city.synthetic.bus_routes=20",
                                   "city.synthetic.stops_per_bus_route=10",
                                   "city.synthetic.size_km=8",
                                   "warmup=0s",
                                   "days=1",
                                   "drain=12h"};
  sets.insert(sets.end(), more.begin(), more.end());
  const LoadedScenario loaded =
      load_scenario_text(text, HCESIM_SOURCE_DIR "/scenarios/small.txtpb", false, sets);
  EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.errors.front().to_string());
  return loaded.config;
}

//! The value of KPI `name` in `segment` among a run's rows (a test failure, and -1, when absent).
inline double kpi_of(const std::vector<KpiRow>& rows, const std::string& name,
                     const std::string& segment = "all") {
  for (const KpiRow& r : rows) {
    if (r.kpi == name && r.segment == segment) {
      return r.value;
    }
  }
  ADD_FAILURE() << name << " of " << segment << " missing";
  return -1;
}

//! The ledger entries a journal record posts (fares, corrections, top-up credits, adjustments).
inline void collect_entries(const cloud::JournalRecord& r, std::vector<cloud::LedgerEntry>& out) {
  if (const auto* c = std::get_if<cloud::JourneyCharged>(&r)) {
    out.push_back(c->entry);
  } else if (const auto* a = std::get_if<cloud::TopUpAnswered>(&r)) {
    if (a->credit) {
      out.push_back(*a->credit);
    }
  } else if (const auto* p = std::get_if<cloud::EntryPosted>(&r)) {
    out.push_back(p->entry);
  }
}

} // namespace hcesim::models::run_test
