#pragma once
// A least-squares metamodel of one KPI over the sweep's axes (Eigen): an intercept, each axis, and
// each pair of axes' product when there are more points than those terms, with R², so an analyst
// sees which policy lever moves which KPI. Axis values that are not numbers are read as durations
// (seconds) or else as the index of the value on its axis.
#include "models/scenario/study_config.h"

#include <optional>
#include <string>
#include <vector>

namespace hcesim::study {

struct MetamodelTerm {
  std::string term; //!< "intercept", an axis path, or "a*b"
  double coefficient = 0;
};

struct Metamodel {
  std::vector<MetamodelTerm> terms;
  double r2 = 0; //!< NaN when the KPI does not vary over the points
};

//! The numeric value of axis value `text` (number, duration in seconds, or else its index).
double axis_number(const models::SweepAxisConfig& axis, const std::string& text);

//! Fits `y` (one mean per point; points' axis values in `points`). None when a y is not finite or
//! there are no more points than main-effect terms.
std::optional<Metamodel> fit_metamodel(const std::vector<models::SweepAxisConfig>& axes,
                                       const std::vector<std::vector<std::string>>& points,
                                       const std::vector<double>& y);

} // namespace hcesim::study
