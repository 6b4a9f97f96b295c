#pragma once
// `hcesim compare A B`: each KPI (segment all) of two results folders (single runs or
// replications; sweep points are such folders) as B − A with a 95 % interval: paired over
// replications when both ran the same seeds (common random numbers), Welch's otherwise, and a
// plain verdict for B against A.
#include "base/error.h"
#include "study/replication.h"

#include <string>
#include <vector>

namespace hcesim::study {

//! The all-segment KPIs of a results folder, per replication.
struct FolderKpis {
  std::string dir;
  std::vector<uint64_t> seeds; //!< per replication
  std::vector<std::string> names;
  std::vector<std::string> units;
  std::vector<std::vector<double>> values; //!< per KPI, per replication (NaN: null)
};

Result<FolderKpis> read_folder_kpis(const std::string& dir);
//! The same from a study's replications of one point, as they are before being written.
FolderKpis folder_kpis_of(const std::vector<ReplicationResult>& replications);

struct KpiComparison {
  std::string kpi;
  std::string unit;
  double a_mean = 0;
  double b_mean = 0;
  double difference = 0; //!< b − a
  double ci_low = 0;     //!< NaN without replications
  double ci_high = 0;
  bool paired = false;
  std::string verdict; //!< better, worse, no significant difference, no interval (a single run on
                       //!< either side: not tested) (B against A); higher or
                       //!< lower for a KPI with no better direction
};

//! +1 when higher is better, −1 when lower is better, 0 when neither (a count of requests).
int better_direction(const std::string& kpi);

std::vector<KpiComparison> compare_folders(const FolderKpis& a, const FolderKpis& b);

//! comparison.csv's text.
std::string comparison_csv(const std::vector<KpiComparison>& rows);

} // namespace hcesim::study
