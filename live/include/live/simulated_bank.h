#pragma once
// The live service's bank: a simulated bank behind the real cloud::BankPort, with the scenario's
// latency, decline and no-answer parameters. The service core is one serialized thread, so a
// charge never blocks: charge() answers "no answer yet" (kTimedOut, which the top-up service
// handles as a late answer to come) and the bank's answer is delivered by take_due() once its
// latency has passed, through AccountServices::bank_notice. Approve or decline is drawn from the
// charge's idempotency key (account, serial), so a retry, or a charge asked again after a restart,
// gets the same decision; whether and when an attempt is answered is drawn per attempt. Pending
// answers live in memory: a kill -9 loses them, and the top-up service's retry (same key) asks
// again.
#include "hce/cloud/bank_port.h"

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace hcesim::live {

struct BankConfig {
  Duration mean_latency = Duration::millis(800); //!< exponential
  double decline_probability = 0.02;
  double timeout_probability = 0.005;       //!< never answers
  Duration timeout = Duration::seconds(20); //!< answers later than this count as none
  uint64_t seed = 1;
};

class SimulatedBank final : public cloud::BankPort {
public:
  explicit SimulatedBank(BankConfig config) : config_(config) {}

  cloud::BankAnswer charge(const cloud::BankCharge& charge, Time now) override;
  //! The answers due by `now`, in due order (each once).
  std::vector<std::pair<cloud::TopUpId, cloud::BankAnswer>> take_due(Time now);
  size_t pending() const { return due_.size(); }
  //! True when an answer is due by `now` (a cheap check before take_due).
  bool has_due(Time now) const { return !due_.empty() && due_.begin()->first.first <= now; }

private:
  BankConfig config_;
  //! (due time, arrival order) → answer.
  std::map<std::pair<Time, uint64_t>, std::pair<cloud::TopUpId, cloud::BankAnswer>> due_;
  uint64_t order_ = 0;
};

} // namespace hcesim::live
