#pragma once
// One replication: a CityRun of a scenario at one seed over a shared read-only World, giving its
// KPI rows, fingerprint and the files of its run folder (manifest.json, summary.json, kpis.csv),
// held in memory so a thread or an MPI rank can hand them to whoever writes the folder.
#include "base/error.h"
#include "models/run/kpi_rows.h"
#include "models/scenario/scenario_config.h"
#include "models/world/world.h"
#include "proto/scenario.pb.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hcesim::study {

struct ResultFile {
  std::string name; //!< relative to the run's folder
  std::string text;
};

//! What every run folder's manifest names besides the run itself.
struct RunContext {
  std::string scenario_file;
  std::string command_line;
  std::string version;
  bool progress = false; //!< a progress line on stderr (single runs only)
};

struct ReplicationResult {
  uint32_t point = 0;
  uint32_t replication = 0;
  uint64_t seed = 0;
  uint64_t fingerprint = 0;
  uint64_t events = 0;
  double wall_s = 0;
  std::vector<models::KpiRow> rows;
  std::vector<ResultFile> files;
  std::string report;         //!< the lines `hcesim run` prints about a single run
  std::optional<Error> error; //!< the world could not be built (a GTFS feed), or an invariant broke
};

//! Runs `cfg` (its seed already the replication's) over `world` and renders its folder's files.
ReplicationResult run_replication(const models::ScenarioConfig& cfg,
                                  const proto::Scenario& resolved, const models::World& world,
                                  const RunContext& context);

//! Writes the files under `dir` (created); false with `error` set when it cannot.
bool write_files(const std::string& dir, const std::vector<ResultFile>& files, std::string& error);

//! A string as a JSON string literal.
std::string json_string(const std::string& s);

} // namespace hcesim::study
