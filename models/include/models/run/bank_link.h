#pragma once
// The cloud's asynchronous bank port in a run: every charge the top-up service makes (automatic
// top-ups fired by settlement, retries) waits for a server in the top-up ServiceQueue, then for the
// bank's own latency (the Bank model: approved, declined, or no answer before the cloud's
// timeout), and its answer reaches AccountServices::bank_answer as an event. A charge the queue
// refuses or whose client timed out is a time-out for the top-up service (it retries by its
// policy); a timed-out request the server still finished may yet be approved (a bank notice,
// credited once).
#include "hce/cloud/account_services.h"
#include "hce/cloud/bank_port.h"
#include "models/bank/bank.h"
#include "models/cloud_queue/service_queue.h"
#include "models/run/run_kpis.h"
#include "sim/event.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace hcesim::models {

class InvariantWitness;

class BankLink final : public cloud::BankPort {
public:
  //! The three event kinds it schedules: the queue's two and the bank's answer.
  struct EventKinds {
    uint32_t done = 0;
    uint32_t timeout = 0;
    uint32_t answer = 0;
  };
  //! `kpis` is followed as it is replaced at the end of the warm-up.
  BankLink(const ScenarioConfig& cfg, EventKinds kinds, RunKpis*& kpis);

  //! Takes the charge: its answer comes later (kPending).
  cloud::BankAnswer charge(const cloud::BankCharge& charge, Time now) override;

  bool owns(uint32_t kind) const { return queue_.owns(kind) || kind == kinds_.answer; }
  //! Sends the charges the services made since the last call to the top-up queue. Call after
  //! every call into the services that may fire a top-up.
  template <class Sim> void flush(Sim& sim, cloud::AccountServices& services);
  template <class Sim> void handle(const sim::Event& e, Sim& sim, cloud::AccountServices& services);

  //! Invariants hook: every approval the bank sends is shown to `witness` (nullptr: none).
  void set_witness(InvariantWitness* witness) { witness_ = witness; }
  //! Issue 16: accounts whose card the bank declines every time (broke riders); none by default.
  void set_declines(std::function<bool(AccountId)> declines) { declines_ = std::move(declines); }

  ServiceQueue& queue() { return queue_; }
  const ServiceQueue& queue() const { return queue_; }
  //! Charges sent and not yet answered (in the queue or at the bank).
  uint32_t in_flight() const { return static_cast<uint32_t>(charges_.size() - free_.size()); }

private:
  struct Pending {
    cloud::BankCharge charge;
    Time sent;
    bool client_gave_up = false;
    bool lost = false; //!< finished in an outage: nothing reached the bank
    cloud::BankAnswer answer;
  };
  uint32_t slot_for(const cloud::BankCharge& charge, Time now);
  void release(uint32_t slot) { free_.push_back(slot); }
  //! The bank's answer to a charge the top-up server forwarded, and when it arrives.
  BankAnswer draw(const cloud::BankCharge& charge) const;
  void count_answer(const cloud::BankAnswer& a, Duration latency);
  void deliver(cloud::AccountServices& services, const Pending& p, cloud::BankAnswer a, Time now);
  void approved(const cloud::BankCharge& charge);

  Bank bank_;
  uint64_t seed_;
  EventKinds kinds_;
  RunKpis*& kpis_;
  ServiceQueue queue_;
  std::vector<Pending> charges_;
  std::vector<uint32_t> free_;
  std::vector<uint32_t> outbox_;
  InvariantWitness* witness_ = nullptr;
  std::function<bool(AccountId)> declines_;
};

template <class Sim> void BankLink::flush(Sim& sim, cloud::AccountServices& services) {
  for (size_t i = 0; i < outbox_.size(); ++i) { // delivering may fire more: the loop takes them
    const uint32_t slot = outbox_[i];
    if (queue_.submit(sim, slot, slot) == Admission::kRefused) {
      kpis_->top_ups.queue_refused.add();
      const Pending p = charges_[slot];
      release(slot);
      deliver(services, p, cloud::BankAnswer{cloud::BankOutcome::kTimedOut, {}}, sim.now());
    }
  }
  outbox_.clear();
}

template <class Sim>
void BankLink::handle(const sim::Event& e, Sim& sim, cloud::AccountServices& services) {
  if (e.kind() == kinds_.answer) {
    const Pending p = charges_[e.entity];
    release(e.entity);
    if (p.client_gave_up) {
      // The server finished after the top-up service stopped waiting: only an approval matters.
      if (p.answer.outcome == cloud::BankOutcome::kApproved) {
        approved(p.charge);
        (void)services.bank_notice(p.charge.id, p.answer, sim.now());
      }
    } else {
      count_answer(p.answer, sim.now() - p.sent);
      deliver(services, p, p.answer, sim.now());
    }
    flush(sim, services);
    return;
  }
  const auto n = queue_.handle(e, sim);
  if (!n) {
    return;
  }
  Pending& p = charges_[n->tag];
  switch (n->kind) {
  case NoticeKind::kLost:
    p.lost = true; // the call to the bank failed in the outage; the time-out notice follows
    return;
  case NoticeKind::kTimedOut: {
    kpis_->top_ups.timed_out.add();
    p.client_gave_up = true;
    const Pending copy = p;
    if (p.lost) {
      release(n->tag); // no answer will come
    }
    deliver(services, copy, cloud::BankAnswer{cloud::BankOutcome::kTimedOut, {}}, sim.now());
    flush(sim, services);
    return;
  }
  case NoticeKind::kAnswered:
  case NoticeKind::kWasted: {
    BankAnswer a = draw(p.charge);
    if (declines_ && declines_(p.charge.id.account)) { // issue 16: a broke rider's card
      a.outcome = BankOutcome::kDeclined;
    }
    p.answer = a.outcome == BankOutcome::kApproved
                   ? cloud::BankAnswer{cloud::BankOutcome::kApproved, {}}
               : a.outcome == BankOutcome::kDeclined
                   ? cloud::BankAnswer{cloud::BankOutcome::kDeclined,
                                       cloud::DeclineReason::kInsufficientFunds}
                   : cloud::BankAnswer{cloud::BankOutcome::kTimedOut, {}};
    sim.schedule_in(a.after, kinds_.answer, n->tag);
    return;
  }
  }
}

} // namespace hcesim::models
