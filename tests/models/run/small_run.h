#pragma once
// A small synthetic city run for CityRun tests: 400 riders, two metro lines, 20 bus routes, one
// day and a 12 h drain; `text` is scenario text, `more` --set overrides.
#include "hce/cloud/journal_record.h"
#include "models/run/kpi_rows.h"
#include "models/scenario/scenario_loader.h"

#include <gtest/gtest.h>

#include <sstream>
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

//! A timeseries.csv as columns of numbers (empty cells and time_of_day: -1).
struct SeriesTable {
  std::vector<std::string> header;
  std::vector<std::vector<double>> rows;
  size_t col(const std::string& name) const {
    for (size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) {
        return i;
      }
    }
    ADD_FAILURE() << "no column " << name;
    return 0;
  }
};

inline std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream s(line);
  std::string cell;
  while (std::getline(s, cell, ',')) {
    out.push_back(cell);
  }
  if (!line.empty() && line.back() == ',') {
    out.emplace_back();
  }
  return out;
}

inline SeriesTable parse_series(const std::string& csv) {
  SeriesTable t;
  std::stringstream in(csv);
  std::string line;
  std::getline(in, line);
  t.header = split_csv_line(line);
  const size_t tod = t.col("time_of_day");
  while (std::getline(in, line)) {
    const auto cells = split_csv_line(line);
    EXPECT_EQ(cells.size(), t.header.size()) << line;
    std::vector<double> row;
    for (size_t i = 0; i < cells.size(); ++i) {
      row.push_back(i == tod || cells[i].empty() ? -1 : std::stod(cells[i]));
    }
    t.rows.push_back(row);
  }
  return t;
}

} // namespace hcesim::models::run_test
