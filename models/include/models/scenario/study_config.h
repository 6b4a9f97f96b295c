#pragma once
// The study part of a loaded scenario (proto/study.proto): how many replications, a precision
// target, the sweep axes and the expectations `hcesim check` verifies.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hcesim::models {

struct PrecisionConfig {
  std::vector<std::string> kpis;
  double relative_half_width = 0.05;
  uint32_t min_replications = 3;
  uint32_t max_replications = 20;
};

struct SweepAxisConfig {
  std::string field; //!< a `--set` path
  std::vector<std::string> values;
};

struct KpiBoundConfig {
  std::string kpi;
  std::string segment = "all";
  std::optional<double> min;
  std::optional<double> max;
  //! How replications are read (proto IntervalRule): their mean, the whole interval within the
  //! bound, or only the whole interval beyond it failing.
  enum class Rule : uint8_t { kMean, kWholeInterval, kSignificantViolation } rule = Rule::kMean;
  std::string where; //!< where the bound was written, for check's lines
};

struct StudyConfig {
  uint32_t replications = 1;
  std::optional<PrecisionConfig> precision;
  std::vector<SweepAxisConfig> axes;
  bool zipped = false;
  std::vector<KpiBoundConfig> bounds;
  std::string fingerprint; //!< pinned, lower-case hex; empty: not pinned
};

} // namespace hcesim::models
