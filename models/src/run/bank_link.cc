#include "models/run/bank_link.h"

#include "models/run/invariants.h"

#include "sim/random_stream.h"

#include <cassert>

namespace hcesim::models {

BankLink::BankLink(const ScenarioConfig& cfg, EventKinds kinds, RunKpis*& kpis)
    : bank_(cfg.bank), seed_(cfg.seed), kinds_(kinds), kpis_(kpis),
      queue_(ServiceQueue::of(cfg.cloud.top_up, {kinds.done, kinds.timeout},
                              sim::RandomStream(cfg.seed, sim::Purpose::kCloud, 2),
                              Time::epoch())) {}

cloud::BankAnswer BankLink::charge(const cloud::BankCharge& c, Time now) {
  kpis_->top_ups.sent.add();
  kpis_->top_ups.per_minute.add(now);
  kpis_->segments.top_up(now);
  outbox_.push_back(slot_for(c, now));
  return cloud::BankAnswer{cloud::BankOutcome::kPending, cloud::DeclineReason::kNone};
}

uint32_t BankLink::slot_for(const cloud::BankCharge& c, Time now) {
  uint32_t slot = 0;
  if (free_.empty()) {
    slot = static_cast<uint32_t>(charges_.size());
    charges_.emplace_back();
  } else {
    slot = free_.back();
    free_.pop_back();
  }
  charges_[slot] = Pending{c, now, false, false, {}};
  return slot;
}

BankAnswer BankLink::draw(const cloud::BankCharge& c) const {
  // Keyed by (account, request, attempt): an answer does not depend on other charges' order.
  sim::RandomStream s(seed_, sim::Purpose::kBank,
                      sim::mix64(c.id.account.value() ^ (uint64_t{c.id.serial} << 40) ^
                                 (uint64_t{c.attempt} << 56)));
  return bank_.charge(s);
}

void BankLink::count_answer(const cloud::BankAnswer& a, Duration latency) {
  switch (a.outcome) {
  case cloud::BankOutcome::kApproved:
    kpis_->top_ups_approved.add();
    kpis_->top_ups.latency_s.add(latency.to_seconds());
    return;
  case cloud::BankOutcome::kDeclined:
    kpis_->top_ups_declined.add();
    kpis_->top_ups.latency_s.add(latency.to_seconds());
    return;
  case cloud::BankOutcome::kTimedOut:
  case cloud::BankOutcome::kPending:
    kpis_->top_ups_unanswered.add();
    kpis_->top_ups.timed_out.add();
    return;
  }
}

void BankLink::approved(const cloud::BankCharge& charge) {
  if (witness_ != nullptr) {
    witness_->bank_approved(charge.id);
  }
}

void BankLink::deliver(cloud::AccountServices& services, const Pending& p, cloud::BankAnswer a,
                       Time now) {
  if (a.outcome == cloud::BankOutcome::kApproved) {
    approved(p.charge);
  }
  const auto r = services.bank_answer(p.charge.id, p.charge.attempt, a, now);
  (void)r; // only a bug of this model could make it fail: every charge names a real request
  assert(r.ok());
}

} // namespace hcesim::models
