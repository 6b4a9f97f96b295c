#include "models/bank/bank.h"

#include "sim/distributions.h"

#include <cmath>

namespace hcesim::models {

BankAnswer Bank::charge(sim::RandomStream& s) const {
  const double silent = s.next_double();
  const double latency_u = s.next_open_double();
  const double decline = s.next_double();
  if (silent < cfg_.timeout_probability) {
    return BankAnswer{BankOutcome::kNoAnswer, cfg_.timeout};
  }
  const Duration latency =
      sim::duration_from_seconds(-cfg_.mean_latency.to_seconds() * std::log(latency_u));
  if (latency >= cfg_.timeout) {
    return BankAnswer{BankOutcome::kNoAnswer, cfg_.timeout}; // a slow answer is no answer
  }
  return BankAnswer{decline < cfg_.decline_probability ? BankOutcome::kDeclined
                                                       : BankOutcome::kApproved,
                    latency};
}

} // namespace hcesim::models
