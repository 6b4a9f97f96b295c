#pragma once
// The bank behind top-ups: each charge of the rider's bound card is approved, declined or never
// answered, after an exponential latency; the cloud stops waiting at the scenario's timeout.
#include "base/time.h"
#include "models/scenario/scenario_config.h"
#include "sim/random_stream.h"

namespace hcesim::models {

enum class BankOutcome : uint8_t { kApproved, kDeclined, kNoAnswer };

struct BankAnswer {
  BankOutcome outcome = BankOutcome::kApproved;
  Duration after; //!< when the cloud learns it (the timeout for kNoAnswer)
};

class Bank {
public:
  explicit Bank(const ScenarioConfig::Bank& cfg) : cfg_(cfg) {}
  //! One charge, drawn from the caller's stream (Purpose::kBank, keyed by rider, say): a fixed
  //! three draws each, so one answer never shifts the next.
  BankAnswer charge(sim::RandomStream& s) const;

private:
  ScenarioConfig::Bank cfg_;
};

} // namespace hcesim::models
