#include "live/simulated_bank.h"

#include <cmath>

namespace hcesim::live {
namespace {

uint64_t splitmix(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

//! A uniform draw in [0, 1).
double uniform(uint64_t& state) {
  return static_cast<double>(splitmix(state) >> 11) * 0x1.0p-53;
}

} // namespace

cloud::BankAnswer SimulatedBank::charge(const cloud::BankCharge& c, Time now) {
  // The decision is keyed by the idempotency key alone (a retry gets the same answer); whether
  // and when this attempt's answer arrives, by the attempt too.
  uint64_t key =
      config_.seed ^ (c.id.account.value() * 0x9e3779b97f4a7c15ULL) ^ (uint64_t{c.id.serial} << 32);
  const double decline = uniform(key);
  uint64_t attempt = key ^ (uint64_t{c.attempt} * 0xd1b54a32d192ed03ULL);
  const double no_answer = uniform(attempt);
  const double latency_draw = uniform(attempt);
  const auto latency = Duration::micros(static_cast<int64_t>(
      std::ceil(-std::log1p(-latency_draw) * static_cast<double>(config_.mean_latency.us()))));
  if (no_answer < config_.timeout_probability || latency > config_.timeout) {
    return cloud::BankAnswer{cloud::BankOutcome::kTimedOut, cloud::DeclineReason::kNone};
  }
  const cloud::BankAnswer answer =
      decline < config_.decline_probability
          ? cloud::BankAnswer{cloud::BankOutcome::kDeclined,
                              cloud::DeclineReason::kInsufficientFunds}
          : cloud::BankAnswer{cloud::BankOutcome::kApproved, cloud::DeclineReason::kNone};
  due_.emplace(std::pair{now + latency, order_++}, std::pair{c.id, answer});
  return cloud::BankAnswer{cloud::BankOutcome::kTimedOut, cloud::DeclineReason::kNone};
}

std::vector<std::pair<cloud::TopUpId, cloud::BankAnswer>> SimulatedBank::take_due(Time now) {
  std::vector<std::pair<cloud::TopUpId, cloud::BankAnswer>> out;
  while (!due_.empty() && due_.begin()->first.first <= now) {
    out.push_back(due_.begin()->second);
    due_.erase(due_.begin());
  }
  return out;
}

} // namespace hcesim::live
