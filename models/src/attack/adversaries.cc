#include "models/attack/adversaries.h"

#include "attack_detail.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace hcesim::models {
namespace {

using attack_detail::denylisted;
using attack_detail::must;
using attack_detail::record_key;

constexpr Duration kActiveFrom = Duration::hours(6);
constexpr Duration kActiveUntil = Duration::hours(23);
// Stream entities: one per actor below 2^40; picks of riders and validators per kind above.
constexpr uint64_t kPickStreams = uint64_t{1} << 40;

Money debt_of(const cloud::Ledger& ledger, AccountId a, Currency c) {
  const Money b = ledger.balance(a);
  return b.minor() < 0 ? Money(-b.minor(), c) : Money(0, c);
}

} // namespace

const char* attacker_kind_name(AttackerKind kind) {
  switch (kind) {
  case AttackerKind::kKeyHolder:
    return "key_holder";
  case AttackerKind::kBroke:
    return "broke";
  case AttackerKind::kForgingValidator:
    return "forging_validator";
  case AttackerKind::kRelay:
    return "relay";
  case AttackerKind::kFlooder:
    return "flooder";
  case AttackerKind::kLostPhone:
    return "lost_phone";
  }
  return "?";
}

double nearest_rank(std::vector<double> values, double q) {
  if (values.empty()) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  std::sort(values.begin(), values.end());
  const double rank = std::ceil(q * static_cast<double>(values.size()));
  const size_t i = rank < 1 ? 0 : std::min(values.size() - 1, static_cast<size_t>(rank) - 1);
  return values[i];
}

Adversaries::Adversaries(CityRun& run)
    : run_(run), random_(sim::RandomStream(run.cfg_.seed, sim::Purpose::kAttack, kPickStreams)),
      lost_loss_(0, run.cfg_.city.currency) {
  const ScenarioConfig& cfg = run.cfg_;
  const auto& a = cfg.attackers;
  const uint32_t riders = run.world_.population.size();
  rider_role_.assign(riders, kRoleHonest);
  attacker_of_rider_.assign(riders, kNone);
  forger_of_.assign(run.directory_.count(), kNone);
  next_account_ = uint64_t{riders} + 1;
  active_from_ = Time::epoch() + cfg.warmup; // the measured days only
  active_until_ = active_from_ + Duration::days(cfg.days);
  for (AttackerKindKpis& k : kpis_.kinds) {
    k.loss = Money(0, cfg.city.currency);
  }
  add_broke(a.broke_riders);
  add_key_holders(a.key_holders);
  uint32_t forgers = a.forging_validators;
  if (a.forging_validator_share > 0) {
    forgers = static_cast<uint32_t>(
        std::llround(a.forging_validator_share * static_cast<double>(run.directory_.count())));
  }
  add_forgers(forgers);
  add_relays(a.relays);
  add_flooders(a.flooders);
  add_lost_phones(a.lost_phones);
}

uint32_t Adversaries::pick_hce_rider(sim::RandomStream& s, uint8_t role, bool still_honest) {
  const uint32_t riders = static_cast<uint32_t>(rider_role_.size());
  // A bounded search: a population with hardly any free HCE riders gets fewer attackers.
  for (int tries = 0; tries < 1000; ++tries) {
    const uint32_t r = static_cast<uint32_t>(s.uniform_int(riders));
    if (run_.wallet_of_[r] != UINT32_MAX && rider_role_[r] == kRoleHonest) {
      rider_role_[r] = role;
      if (!still_honest) {
        // Invariants: a broke rider or a relay's victim may be denylisted (for debt, or travel).
        run_.witness_->set_not_honest(AccountId(uint64_t{r} + 1));
      }
      return r;
    }
  }
  return kNone;
}

void Adversaries::add_broke(uint32_t n) {
  sim::RandomStream s(run_.cfg_.seed, sim::Purpose::kAttack, kPickStreams + 1);
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t r = pick_hce_rider(s, kRoleBroke);
    if (r == kNone) {
      break;
    }
    Attacker at;
    at.kind = AttackerKind::kBroke;
    at.rider = r;
    at.account = AccountId(r + 1);
    attacker_of_rider_[r] = static_cast<uint32_t>(attackers_.size());
    attackers_.push_back(at);
  }
}

void Adversaries::add_key_holders(uint32_t n) {
  const ScenarioConfig& cfg = run_.cfg_;
  const Time t0 = Time::epoch();
  for (uint32_t i = 0; i < n; ++i) {
    Attacker at;
    at.kind = AttackerKind::kKeyHolder;
    at.account = AccountId(next_account_++);
    at.device = DeviceId(at.account.value());
    run_.witness_->open_account(at.account); // invariants: an attacker's account
    // An ordinary customer with a card and automatic top-ups: his own taps are paid.
    must(run_.services_->open_account(at.account, cfg.top_up.debt_limit,
                                      cfg.population.initial_balance, t0),
         "open account");
    run_.opening_ = run_.opening_ + cfg.population.initial_balance;
    must(run_.services_->enrol_device(at.account, at.device), "enrol device");
    must(run_.services_->bind_card(at.account, cloud::BankCardRef{at.account.value()}), "card");
    must(run_.services_->set_top_up_rule(at.account, true, cfg.top_up.threshold, cfg.top_up.amount),
         "top-up rule");
    const hce::Enrolment e = run_.issuer_->enrol(at.account, at.device);
    const uint32_t who = static_cast<uint32_t>(attackers_.size());
    at.first_actor = static_cast<uint32_t>(actors_.size());
    at.actors = cfg.attackers.phones_per_key_holder;
    attackers_.push_back(at);
    // His wallet's keys were extracted: every accomplice phone holds a copy of the real wallet.
    const hce::Wallet wallet(at.account, at.device, e.device_key, hce::RefillPolicy{});
    for (uint32_t p = 0; p < at.actors; ++p) {
      Actor act;
      act.attacker = who;
      act.wallet = static_cast<uint32_t>(phones_.size());
      act.split = cfg.attackers.split_counters ? p + 1 : 0;
      act.per_hour = cfg.attackers.taps_per_hour;
      phones_.push_back(wallet);
      actors_.push_back(act);
    }
  }
}

void Adversaries::add_forgers(uint32_t n) {
  sim::RandomStream s(run_.cfg_.seed, sim::Purpose::kAttack, kPickStreams + 2);
  const uint32_t count = run_.directory_.count();
  n = std::min(n, count);
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t v = static_cast<uint32_t>(s.uniform_int(count));
    while (forger_of_[v] != kNone) {
      v = (v + 1) % count;
    }
    Attacker at;
    at.kind = AttackerKind::kForgingValidator;
    forger_of_[v] = static_cast<uint32_t>(attackers_.size());
    at.first_actor = static_cast<uint32_t>(actors_.size());
    at.actors = 1;
    Actor act;
    act.attacker = forger_of_[v];
    act.validator = v;
    act.wallet = static_cast<uint32_t>(seen_.size());
    act.per_hour = run_.cfg_.attackers.forgeries_per_hour;
    seen_.emplace_back();
    attackers_.push_back(at);
    actors_.push_back(act);
  }
}

void Adversaries::add_relays(uint32_t n) {
  sim::RandomStream s(run_.cfg_.seed, sim::Purpose::kAttack, kPickStreams + 3);
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t r = pick_hce_rider(s, kRoleVictim);
    if (r == kNone) {
      break;
    }
    (void)add_around_rider(AttackerKind::kRelay, r, 1);
  }
}

uint32_t Adversaries::add_around_rider(AttackerKind kind, uint32_t r, uint32_t actors) {
  Attacker at;
  at.kind = kind;
  at.rider = r;
  at.account = AccountId(r + 1);
  at.first_actor = static_cast<uint32_t>(actors_.size());
  at.actors = actors;
  const auto who = static_cast<uint32_t>(attackers_.size());
  attackers_.push_back(at);
  for (uint32_t i = 0; i < actors; ++i) {
    Actor act;
    act.attacker = who;
    act.per_hour = run_.cfg_.attackers.taps_per_hour;
    actors_.push_back(act);
  }
  return who;
}

void Adversaries::add_flooders(uint32_t n) {
  const ScenarioConfig& cfg = run_.cfg_;
  for (uint32_t i = 0; i < n; ++i) {
    Attacker at;
    at.kind = AttackerKind::kFlooder;
    at.first_actor = static_cast<uint32_t>(flood_accounts_.size()); // its throwaway accounts
    at.actors = cfg.attackers.accounts_per_flooder;
    const uint32_t who = static_cast<uint32_t>(attackers_.size());
    for (uint32_t k = 0; k < at.actors; ++k) {
      const AccountId account(next_account_++);
      const DeviceId device(account.value());
      run_.witness_->open_account(account); // invariants: an attacker's account
      must(run_.services_->open_account(account, cfg.top_up.debt_limit,
                                        cfg.population.initial_balance, Time::epoch()),
           "open account");
      run_.opening_ = run_.opening_ + cfg.population.initial_balance;
      must(run_.services_->enrol_device(account, device), "enrol device");
      (void)run_.issuer_->enrol(account, device);
      flood_accounts_.emplace_back(account, device);
    }
    attackers_.push_back(at);
    Actor act;
    act.attacker = who;
    act.per_hour = cfg.attackers.flood_requests_per_hour;
    actors_.push_back(act);
  }
}

void Adversaries::add_lost_phones(uint32_t n) {
  sim::RandomStream s(run_.cfg_.seed, sim::Purpose::kAttack, kPickStreams + 4);
  const int64_t days = std::max<int64_t>(1, run_.cfg_.days);
  for (uint32_t i = 0; i < n; ++i) {
    // The owner stays honest for the invariants: a lost listing is one with cause.
    const uint32_t r = pick_hce_rider(s, kRoleLost, /*still_honest=*/true);
    if (r == kNone) {
      break;
    }
    const int64_t day = static_cast<int64_t>(s.uniform_int(static_cast<uint64_t>(days)));
    const int64_t span = (kActiveUntil - kActiveFrom).us();
    // Two actors: the finder (taps), then the owner (reports the loss).
    Attacker& at = attackers_[add_around_rider(AttackerKind::kLostPhone, r, 2)];
    at.lost_at =
        active_from_ + Duration::days(day) + kActiveFrom +
        Duration::micros(static_cast<int64_t>(s.next_double() * static_cast<double>(span)));
    Actor& owner = actors_[at.first_actor + 1];
    owner.reports = true;
    owner.per_hour = 1;
  }
}

void Adversaries::start() {
  streams_.reserve(actors_.size());
  for (uint32_t a = 0; a < actors_.size(); ++a) {
    streams_.emplace_back(run_.cfg_.seed, sim::Purpose::kAttack, a);
  }
  for (uint32_t a = 0; a < actors_.size(); ++a) {
    const Attacker& at = attackers_[actors_[a].attacker];
    if (at.kind != AttackerKind::kLostPhone) {
      schedule_next(a, active_from_);
    } else {
      // The finder takes the phone at the loss; the owner reports it after the delay.
      const Time at_time =
          actors_[a].reports ? at.lost_at + run_.cfg_.attackers.lost_report_delay : at.lost_at;
      run_.sim_.schedule_at(at_time, CityRun::kAttack, a);
    }
  }
  for (const Attacker& at : attackers_) {
    ++kpis_.of(at.kind).attackers;
  }
}

void Adversaries::schedule_next(uint32_t a, Time after) {
  sim::RandomStream& s = streams_[a];
  const double mean_us = 3600e6 / actors_[a].per_hour;
  Time t = after;
  for (;;) {
    // Poisson over the active hours: the gap is memoryless, so a draw landing outside them
    // restarts from the next 06:00.
    const Time at = t + Duration::micros(static_cast<int64_t>(
                            std::ceil(-std::log(s.next_open_double()) * mean_us)));
    if (at >= active_until_) {
      return;
    }
    const Duration tod = at.time_of_day();
    if (tod >= kActiveFrom && tod < kActiveUntil) {
      run_.sim_.schedule_at(std::max(at, run_.sim_.now()), CityRun::kAttack, a);
      return;
    }
    t = Time::epoch() + Duration::days(tod < kActiveFrom ? at.day() : at.day() + 1) + kActiveFrom;
  }
}

void Adversaries::act(uint32_t a) {
  if (actors_[a].stopped) {
    return;
  }
  switch (attackers_[actors_[a].attacker].kind) {
  case AttackerKind::kKeyHolder:
    phone_tap(a);
    break;
  case AttackerKind::kRelay:
    relay_tap(a);
    break;
  case AttackerKind::kForgingValidator:
    forge(a);
    break;
  case AttackerKind::kFlooder:
    flood(a);
    break;
  case AttackerKind::kLostPhone:
    lost_phone(a);
    break;
  case AttackerKind::kBroke:
    break; // broke riders ride their own trips
  }
  if (!actors_[a].stopped) {
    schedule_next(a, run_.sim_.now());
  }
}

void Adversaries::rider_tap_accepted(uint32_t rider, uint32_t v, const hce::TokenHeader& header) {
  if (const uint32_t f = forger_of_[v]; f != kNone) {
    // A compromised validator keeps the last headers it saw.
    std::vector<Seen>& seen = seen_[actors_[attackers_[f].first_actor].wallet];
    constexpr size_t kKept = 32;
    const Seen fresh{header, header.offline_limit};
    if (std::any_of(seen.begin(), seen.end(), [&](const Seen& s) { return s.header == header; })) {
      // already held
    } else if (seen.size() < kKept) {
      seen.push_back(fresh);
    } else {
      seen[streams_[attackers_[f].first_actor].uniform_int(kKept)] = fresh;
    }
  }
  const uint32_t who = attacker_of_rider_[rider];
  if (who == kNone) {
    return;
  }
  Attacker& at = attackers_[who];
  AttackerKindKpis& k = kpis_.of(at.kind);
  if (std::find(at.tokens.begin(), at.tokens.end(), header.id) == at.tokens.end()) {
    at.tokens.push_back(header.id);
  }
  // A broke rider rides on credit (his taps count here) once the cloud sees his balance below 0.
  if (!at.fraud_started && run_.services_->ledger().balance(at.account).minor() < 0) {
    at.fraud_started = true;
    at.first_fraud = run_.sim_.now();
  }
  if (!at.fraud_started) {
    return;
  }
  ++k.taps_accepted;
  if (!at.detected) {
    ++k.taps_accepted_before_detection;
  }
}

void Adversaries::rider_tap_refused(uint32_t rider, int reason) {
  const uint32_t who = attacker_of_rider_[rider];
  if (who == kNone) {
    return;
  }
  AttackerKindKpis& k = kpis_.of(attackers_[who].kind);
  ++k.taps_refused;
  if (denylisted(reason)) {
    ++k.taps_refused_denylisted;
    count_detection(attackers_[who], run_.sim_.now());
  }
}

bool Adversaries::declines(AccountId account) const {
  const uint64_t r = account.value() - 1;
  return r < rider_role_.size() && rider_role_[r] == kRoleBroke;
}

void Adversaries::observe(const cloud::JournalRecord& record) {
  if (const auto* charged = std::get_if<cloud::JourneyCharged>(&record)) {
    // A lost phone's taps after the report: the fraud-loss account pays (clone_policy.h).
    const uint64_t r = charged->rider.value() - 1;
    // From the warm-up's end, as the run's fraud_loss it is taken from (attackers act only then).
    if (charged->journey.fraud && r < rider_role_.size() && rider_role_[r] == kRoleLost &&
        charged->entry.at >= active_from_) {
      lost_loss_ = lost_loss_ - charged->entry.amount;
    }
    return;
  }
  const auto* received = std::get_if<cloud::TapReceived>(&record);
  if (received == nullptr) {
    return;
  }
  const cloud::SettlementTap& t = received->tap;
  const bool travel = (t.flags & hce::kFlagImpossibleTravel) != 0;
  if (const auto it = records_.find(record_key(t.record.validator, t.record.sequence));
      it != records_.end()) {
    AttackerKindKpis& k = kpis_.of(attackers_[it->second].kind);
    ++k.records_settled;
    k.impossible_travel_flags += travel ? 1U : 0U;
    k.clone_flags += t.clone_flagged ? 1U : 0U;
    forged_settled_ += attackers_[it->second].kind == AttackerKind::kForgingValidator ? 1U : 0U;
    return;
  }
  const uint64_t r = t.account.value() - 1;
  if (received->at < active_from_ || r >= rider_role_.size()) {
    return;
  }
  if (rider_role_[r] == kRoleBroke) {
    kpis_.of(AttackerKind::kBroke).records_settled += 1;
    return;
  }
  if (rider_role_[r] == kRoleHonest) {
    ++kpis_.honest_taps_settled;
    kpis_.honest_false_flags += travel ? 1U : 0U;
  }
}

uint32_t Adversaries::broke_tokens(uint32_t rider) const {
  const uint32_t who = attacker_of_rider_[rider];
  return who == kNone ? 0 : static_cast<uint32_t>(attackers_[who].tokens.size());
}

void Adversaries::finish(RunKpis& kpis) {
  const Currency cur = run_.cfg_.city.currency;
  const cloud::Ledger& ledger = run_.services_->ledger();
  AttackerKindKpis& keys = kpis_.of(AttackerKind::kKeyHolder);
  // Who pays for a clone (DESIGN §4): the fraud-loss account, plus whatever the key holder's own
  // account ends up owing.
  if (keys.attackers > 0) {
    keys.loss = kpis.cloud.fraud_loss.currency() == cur ? kpis.cloud.fraud_loss - lost_loss_
                                                        : Money(0, cur);
  }
  kpis_.of(AttackerKind::kLostPhone).loss = lost_loss_;
  const Money max_fare = run_.fares_.max_fare();
  const int64_t limit = run_.cfg_.token_policy.offline_limit;
  for (const Attacker& at : attackers_) {
    if (at.kind == AttackerKind::kKeyHolder) {
      keys.loss = keys.loss + debt_of(ledger, at.account, cur);
    } else if (at.kind == AttackerKind::kBroke) {
      const Money debt = debt_of(ledger, at.account, cur);
      AttackerKindKpis& k = kpis_.of(at.kind);
      k.loss = k.loss + debt;
      const int64_t bound = static_cast<int64_t>(at.tokens.size()) * limit * max_fare.minor();
      kpis_.broke_over_bound += debt.minor() > bound ? 1U : 0U;
    }
  }
  kpis.attack = kpis_;
}

} // namespace hcesim::models
