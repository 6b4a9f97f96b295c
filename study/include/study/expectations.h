#pragma once
// `hcesim check`'s verdicts: each KPI bound of a scenario's expectations against the measured
// value (the mean and its 95 % interval with replications, per sweep point), and the pinned
// fingerprint against the study's; plus rewriting a pin on purpose (`check --update`).
#include "study/study_plan.h"
#include "study/study_runner.h"

#include <string>
#include <vector>

namespace hcesim::study {

struct ExpectationVerdict {
  std::string line; //!< what was expected and what was measured
  bool pass = false;
};

std::vector<ExpectationVerdict> check_expectations(const StudyPlan& plan,
                                                   const StudyOutcome& outcome);

//! The study fingerprint as a pin writes it: 16 lower-case hex digits.
std::string fingerprint_text(uint64_t fingerprint);

//! Rewrites the `fingerprint: "..."` (text) or `"fingerprint": "..."` (JSON) pin of a scenario
//! file to `pin`, adding one to its expectations block when absent; `before` gets the old pin.
//! False with `error` when the file cannot be read, has no expectations block, or cannot be
//! written.
bool rewrite_fingerprint(const std::string& file, const std::string& pin, std::string& before,
                         std::string& error);

} // namespace hcesim::study
