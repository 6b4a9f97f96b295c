#pragma once
// Writes a study's results folder as docs/results.md lays it out: a single run's files; a
// replications folder (summary with 95 % t intervals, replications.csv, rep-<k>/); or a sweep
// (sweep.csv, sweep_replications.csv, sweep_differences.csv, metamodel.csv, point-<i>/).
#include "study/study_plan.h"
#include "study/study_runner.h"

#include <string>

namespace hcesim::study {

//! The study's fingerprint: the run's own for a single run, else a fold of every run's fingerprint
//! in (point, replication) order.
uint64_t study_fingerprint(const StudyOutcome& outcome);

//! Writes everything under `dir`; false with `error` set when a file cannot be written.
bool write_study(const std::string& dir, const StudyPlan& plan, const StudyOutcome& outcome,
                 const RunContext& context, std::string& error);

} // namespace hcesim::study
