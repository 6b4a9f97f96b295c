#include "models/run/city_run.h"

#include "hce/token/wire.h"
#include "models/attack/adversaries.h"
#include "models/population/poisson_taps.h"
#include "models/run/token_waste.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <stdexcept>

namespace hcesim::models {
namespace {

constexpr uint32_t kNoWallet = UINT32_MAX;
constexpr uint8_t kRefusedEver = 1;
constexpr uint8_t kUnderground = 2;
constexpr uint8_t kCheckPending = 4;
constexpr uint8_t kRequestPending = 8; // a token request is out: the phone sends no second one
constexpr uint8_t kTopUpPlanned = 16;  // a manual top-up is planned: the rider plans no second one
constexpr uint32_t kNoRefillCheck = UINT32_MAX;

// Background looks fall on whole seconds from the epoch: the time of one, and the first whole
// second strictly after `t`.
Time look_time(int64_t second) {
  return Time::epoch() + Duration::seconds(second);
}
int64_t second_after(Time t) {
  return t.us() / 1'000'000 + 1;
}

constexpr uint32_t kTripBits = 24;
constexpr uint32_t kTapBits = 5;

// Set-up calls on the real services fail only on a bug of this model.
void must(const Result<void>& r, const char* what) {
  if (!r.ok()) {
    throw std::logic_error(std::string(what) + ": " + r.error().to_string());
  }
}

hce::Key128 key_of(uint64_t seed, uint64_t n) {
  sim::RandomStream s(seed, sim::Purpose::kTokens, (uint64_t{1} << 40) + n);
  hce::Key128 k{};
  for (size_t i = 0; i < k.size(); i += 8) {
    const uint64_t v = s.next_u64();
    for (size_t j = 0; j < 8; ++j) {
      k[i + j] = static_cast<uint8_t>(v >> (8 * j));
    }
  }
  return k;
}

hce::IssuePolicy issue_policy(const ScenarioConfig& cfg) {
  const auto& t = cfg.token_policy;
  hce::IssuePolicy p;
  p.offline_limit = static_cast<uint16_t>(t.offline_limit);
  p.time_to_live = t.lifetime;
  p.alignment = t.alignment == ExpiryAlignment::kRolling ? hce::ExpiryAlignment::kRolling
                : t.alignment == ExpiryAlignment::kDailyBoundary
                    ? hce::ExpiryAlignment::kDailyBoundary
                    : hce::ExpiryAlignment::kRollingJitter;
  p.daily_boundary = t.daily_boundary;
  p.jitter = t.jitter;
  p.tokens_per_grant = t.tokens_per_grant;
  p.requests_per_device_per_hour = t.requests_per_device_per_hour;
  p.issuing_minimum = t.issuing_minimum_balance;
  return p;
}

// Phones (and attackers' floods, posing as phones) are the issuing service's clients: one gives up
// at the earlier of its wallet's refill.request_timeout and the service's client_timeout (the
// server works on either way).
CloudServiceConfig issuing_for_phones(const ScenarioConfig& cfg) {
  CloudServiceConfig c = cfg.cloud.issuing;
  c.client_timeout = std::min(c.client_timeout, cfg.refill.request_timeout);
  return c;
}

hce::RefillPolicy refill_policy(const ScenarioConfig& cfg) {
  const auto& r = cfg.refill;
  hce::RefillPolicy p;
  p.rule = r.trigger == RefillTrigger::kAfterEveryUse ? hce::RefillRule::kAfterEveryUse
           : r.trigger == RefillTrigger::kBelowTaps   ? hce::RefillRule::kBelowTaps
                                                      : hce::RefillRule::kBeforeExpiry;
  p.min_taps_left = r.below_taps;
  p.min_time_left = r.before_expiry;
  p.request_timeout = r.request_timeout;
  p.retry_backoff = r.retry_backoff;
  p.retry_backoff_max = r.max_backoff;
  return p;
}

cloud::AccountServicesConfig services_config(const ScenarioConfig& cfg) {
  cloud::AccountServicesConfig c{cfg.city.currency, cloud::SettlementPolicy{},
                                 cloud::TopUpPolicy{}};
  // A day closes well after any validator's records of it can arrive: twice the longest upload
  // interval (a missed upload waits one more) and a day, and at least the default week.
  const Duration longest =
      std::max(cfg.validators.bus_upload_interval, cfg.validators.station_upload_interval);
  c.settlement.day_closes_after =
      std::max(c.settlement.day_closes_after, longest * 2 + Duration::days(1));
  c.top_up.max_attempts = cfg.top_up.retries + 1; // the first try and its retries
  c.top_up.first_retry_after = cfg.top_up.retry_interval;
  return c;
}

} // namespace

const char* tap_failure_name(int reason) {
  if (reason == kNoTokenRefusal) {
    return "no_usable_token";
  }
  return hce::to_string(static_cast<hce::TapRefusal>(reason));
}

void StreamRandomSource::fill(uint8_t* out, size_t n) {
  for (size_t i = 0; i < n; i += 8) {
    const uint64_t v = stream_.next_u64();
    for (size_t j = 0; j < 8 && i + j < n; ++j) {
      out[i + j] = static_cast<uint8_t>(v >> (8 * j));
    }
  }
}

CityRun::CityRun(const ScenarioConfig& cfg, const World& world)
    : cfg_(cfg), world_(world), kpis_storage_(std::make_unique<RunKpis>(Time::epoch())),
      sim_(*this), planner_(cfg, world.city, world.paths, world.population),
      phones_(cfg, world.population), directory_(world.city),
      fares_(world.fares, world.city, directory_),
      bank_(cfg, {kTopUpDone, kTopUpTimeout, kBankAnswer}, kpis_),
      journal_(cloud::SettlementPolicy{}.fraud_loss_account),
      rotation_(cfg.seed, Time::epoch(), cfg.token_policy.key_rotation,
                cfg.token_policy.lifetime + cfg.validators.clock_skew_tolerance,
                directory_.count()),
      issue_policy_(issue_policy(cfg)), cloud_denylist_key_(key_of(cfg.seed, 2)),
      scratch_(hce::Key128{}),
      issuer_random_(sim::RandomStream(cfg.seed, sim::Purpose::kTokens, uint64_t{1} << 41)),
      validator_random_(
          sim::RandomStream(cfg.seed, sim::Purpose::kTokens, (uint64_t{1} << 41) + 1)),
      issuing_(ServiceQueue::of(issuing_for_phones(cfg), {kIssuingDone, kIssuingTimeout},
                                sim::RandomStream(cfg.seed, sim::Purpose::kCloud, 0),
                                Time::epoch())),
      settlement_(ServiceQueue::of(cfg.cloud.settlement, {kSettlementDone, kSettlementTimeout},
                                   sim::RandomStream(cfg.seed, sim::Purpose::kCloud, 1),
                                   Time::epoch())),
      opening_(0, cfg.city.currency) {
  kpis_ = kpis_storage_.get();
  kpis_->peak_unpaid_debt = Money(0, cfg.city.currency);
  start_results(Time::epoch());
  if (!cfg.faults.none()) { // faults hook (issue 16)
    // The world may have been built for a scenario with other faults (a sweep's points share it).
    if (const Result<void> windows = check_fault_windows(cfg, directory_.count()); !windows.ok()) {
      throw InputError(windows.error());
    }
    faults_ =
        std::make_unique<FaultSchedule>(cfg, directory_.count(), world.population.size(),
                                        Time::epoch() + cfg.warmup, planned_end() - cfg.drain);
    kpis_->faults.on = true;
  }
  rotation_.install_first(keys_);
  must(issue_policy_.validate(), "issue policy");
  const City& city = world.city;
  hce::SettlementConfig check_config;
  check_config.clock_skew_tolerance = cfg.validators.clock_skew_tolerance;
  // Invariants hook (issue 16): the witness sees every journal record from the first.
  witness_ = std::make_unique<InvariantWitness>(world.population.size(), directory_.count(),
                                                cloud::SettlementPolicy{}.fraud_loss_account);
  journal_.set_observer([this](const cloud::JournalRecord& r) {
    witness_->journal(r);
    if (adversaries_) {
      adversaries_->observe(r);
    }
    if (journal_observer_) {
      journal_observer_(r);
    }
  });
  bank_.set_witness(witness_.get());
  checks_ = std::make_unique<hce::SettlementChecker>(
      keys_,
      [&city](StopId a, StopId b) -> uint64_t {
        const Point pa = city.stop_at(static_cast<uint32_t>(a.value()));
        const Point pb = city.stop_at(static_cast<uint32_t>(b.value()));
        return static_cast<uint64_t>(
            std::hypot(static_cast<double>(pa.x - pb.x), static_cast<double>(pa.y - pb.y)));
      },
      check_config);
  services_ = std::make_unique<cloud::AccountServices>(
      journal_, fares_.pricer(), bank_, services_config(cfg), nullptr, checks_.get());
  issuer_ = std::make_unique<hce::Issuer>(keys_, key_of(cfg.seed, 3), services_->ledger());

  // Riders: an account, a bound card, a top-up rule and a wallet filled once, for each HCE rider.
  const Population& pop = world.population;
  const uint32_t riders = pop.size();
  wallet_of_.assign(riders, kNoWallet);
  rider_flags_.assign(riders, 0);
  const hce::RefillPolicy refill = refill_policy(cfg);
  const uint32_t fills =
      std::max<uint32_t>(1, (cfg.token_policy.wallet_size + cfg.token_policy.tokens_per_grant - 1) /
                                cfg.token_policy.tokens_per_grant);
  uint32_t hce_riders = 0;
  for (uint32_t r = 0; r < riders; ++r) {
    hce_riders += pop.hce(r) ? 1U : 0U;
  }
  wallets_.reserve(hce_riders);
  witness_->reserve_accounts(hce_riders);
  // Phones in use hold tokens fetched at their riders' last trips, not all at one instant: the
  // first fill's tokens expire spread over a day (as if issued within the day before), or the
  // whole city's would expire, and be refreshed, in one wave a lifetime after the start. Tokens
  // that outlive the run have nothing to spread (the validity mode's never expire).
  hce::IssuePolicy first_fill = issue_policy_;
  const Duration horizon = cfg.warmup + Duration::days(static_cast<int64_t>(cfg.days)) + cfg.drain;
  if (issue_policy_.alignment != hce::ExpiryAlignment::kDailyBoundary &&
      issue_policy_.time_to_live <= horizon && issue_policy_.time_to_live > Duration::seconds(1)) {
    first_fill.alignment = hce::ExpiryAlignment::kRollingJitter;
    first_fill.jitter =
        std::min(issue_policy_.time_to_live, Duration::days(1)) - Duration::seconds(1);
  }
  services_->reserve_accounts(hce_riders + 1); // and the fraud-loss account
  const Time t0 = Time::epoch();
  for (uint32_t r = 0; r < riders; ++r) {
    if (!pop.hce(r)) {
      continue;
    }
    const AccountId account(r + 1);
    const DeviceId device(r + 1);
    const Money opening = pop.initial_balance(r); // drawn from the rider's stream: once
    must(services_->open_account(account, cfg.top_up.debt_limit, opening, t0), "open account");
    opening_ = opening_ + opening;
    must(services_->enrol_device(account, device), "enrol device");
    must(services_->bind_card(account, cloud::BankCardRef{r + 1}), "bind card");
    must(services_->set_top_up_rule(account, pop.auto_top_up(r), cfg.top_up.threshold,
                                    cfg.top_up.amount),
         "top-up rule");
    const hce::Enrolment e = issuer_->enrol(account, device);
    wallet_of_[r] = static_cast<uint32_t>(wallets_.size());
    hce::Wallet& w = wallets_.emplace_back(account, device, e.device_key, refill);
    for (uint32_t i = 0; i < fills; ++i) {
      const hce::IssueOutcome out = issuer_->issue(account, device, t0, first_fill, issuer_random_);
      if (out.refusal == hce::IssueRefusal::kRateLimited ||
          out.refusal == hce::IssueRefusal::kBalanceTooLow) {
        // The policy allows this phone no more (token_policy.requests_per_device_per_hour below
        // the grants a wallet holds, or a balance under issuing_minimum_balance): it starts with
        // what it was given, as a phone in use would have.
        break;
      }
      if (!out.granted()) {
        throw std::logic_error(std::string("initial grant refused: ") +
                               hce::to_string(out.refusal));
      }
      const auto added = w.accept_grant(out.grant);
      if (!added.ok()) {
        throw std::logic_error("initial grant: " + added.error().to_string());
      }
    }
  }
  if (cfg.refill.background) {
    refill_check_s_.assign(riders, kNoRefillCheck);
  }

  // Validators: every gate and bus reader, with the key and an empty denylist.
  const hce::Key128 denylist_key = key_of(cfg.seed, 2);
  const hce::MasterKeys* master = keys_.find(1);
  validators_.reserve(directory_.count());
  uploading_.assign(directory_.count(), 0);
  for (uint32_t v = 0; v < directory_.count(); ++v) {
    hce::ValidatorConfig vc;
    vc.id = ValidatorId(v + 1);
    vc.stop = StopId(directory_.kind(v) == ValidatorKind::kStationGate ? directory_.place(v) : 0);
    vc.clock_skew_tolerance = cfg.validators.clock_skew_tolerance;
    vc.replay_capacity = cfg.validators.replay_memory;
    vc.store_capacity = faults_ && faults_->tiny_store(v) ? cfg.faults.tiny_store_capacity
                                                          : cfg.validators.store_capacity;
    auto val = std::make_unique<hce::Validator>(vc, denylist_key);
    must(val->install_key(1, master->validator), "validator key");
    validators_.push_back(std::move(val));
  }

  // Issue 16: attackers, only when the scenario has some (a run without is unchanged).
  if (cfg.attackers.any()) {
    adversaries_ = std::make_unique<Adversaries>(*this);
    bank_.set_declines([this](AccountId a) { return adversaries_->declines(a); });
  }
}

CityRun::~CityRun() = default;

// ---- faults hooks (issue 16) ----

void CityRun::fault(uint32_t change) {
  const Time now = sim_.now();
  const bool cloud_was = faults_->cloud_available();
  const bool bank_was = faults_->bank_available();
  faults_->apply(change, now, *kpis_);
  if (cloud_was != faults_->cloud_available()) {
    issuing_.set_available(sim_, faults_->cloud_available());
    settlement_.set_available(sim_, faults_->cloud_available());
  }
  if (bank_was != faults_->bank_available()) {
    bank_.queue().set_available(sim_, faults_->bank_available());
  }
  const FaultChange& c = faults_->changes()[change];
  if (c.what == FaultChange::kAppRestart) {
    restart_app(static_cast<uint32_t>(c.entity), c.wallet_lost);
  }
}

void CityRun::restart_app(uint32_t rider, bool wallet_lost) {
  if (rider >= wallet_of_.size() || wallet_of_[rider] == kNoWallet) {
    return;
  }
  const Time now = sim_.now();
  kpis_->faults.app_restarts.add();
  hce::Wallet& w = wallets_[wallet_of_[rider]];
  const DeviceId device(rider + 1);
  // The phone keeps its device key (enrolment is a pure derivation: asking again changes nothing).
  const hce::Enrolment e = issuer_->enrol(AccountId(rider + 1), device);
  hce::Wallet fresh(AccountId(rider + 1), device, e.device_key, refill_policy(cfg_));
  if (wallet_lost) {
    kpis_->faults.wallets_lost.add();
    for (const hce::HeldToken& t : w.held()) {
      kpis_->faults.tokens_lost.add(now <= t.expires_at ? 1 : 0);
    }
  } else {
    // The app saved its wallet after every answer: the new process restores it (tokens and
    // counters), but not what it was waiting for (request in flight, back-off).
    must(fresh.restore(w.save()), "wallet restore");
  }
  w = std::move(fresh);
  maybe_request(rider, false);
}

hce::Wallet CityRun::lose_phone(uint32_t rider) {
  // The wallet leaves with the phone; its slot stays (indices are stable), empty and no rider's.
  hce::Wallet phone = std::move(wallets_[wallet_of_[rider]]);
  wallet_of_[rider] = kNoWallet;
  return phone;
}

bool CityRun::upload_reaches_cloud(uint32_t slot) {
  hce::TapBatch& batch = batches_[slot];
  if (slot < batch_twice_.size()) {
    batch_twice_[slot] = 0; // a slot reused after a refused upload
  }
  switch (faults_->upload_fault(sim_.now())) {
  case UploadFault::kNone:
    return true;
  case UploadFault::kLost:
    kpis_->faults.uploads_lost.add();
    kpis_->faults.records_reuploaded.add(static_cast<int64_t>(batch.records.size()));
    return false;
  case UploadFault::kCut: {
    kpis_->faults.uploads_cut.add();
    const size_t keep = faults_->cut_at(batch.records.size());
    kpis_->faults.records_reuploaded.add(static_cast<int64_t>(batch.records.size() - keep));
    batch.records.resize(keep);
    return keep > 0;
  }
  case UploadFault::kReordered: {
    kpis_->faults.uploads_reordered.add();
    sim::RandomStream& s = faults_->upload_stream();
    for (size_t i = batch.records.size(); i > 1; --i) {
      std::swap(batch.records[i - 1], batch.records[s.uniform_int(i)]);
    }
    return true;
  }
  case UploadFault::kDuplicated:
    kpis_->faults.uploads_duplicated.add();
    if (batch_twice_.size() <= slot) {
      batch_twice_.resize(slot + 1, 0);
    }
    batch_twice_[slot] = 1;
    return true;
  }
  return true;
}

uint32_t CityRun::pack(const TapRef& t) {
  assert(t.trip < (1U << kTripBits) && t.tap < (1U << kTapBits));
  return t.trip | (t.tap << kTripBits) | (uint32_t{t.retry} << (kTripBits + kTapBits)) |
         (uint32_t{t.fallback} << (kTripBits + kTapBits + 1)) |
         (t.parity << (kTripBits + kTapBits + 2));
}

CityRun::TapRef CityRun::unpack(uint32_t p) {
  TapRef t;
  t.trip = p & ((1U << kTripBits) - 1);
  t.tap = (p >> kTripBits) & ((1U << kTapBits) - 1);
  t.retry = ((p >> (kTripBits + kTapBits)) & 1) != 0;
  t.fallback = ((p >> (kTripBits + kTapBits + 1)) & 1) != 0;
  t.parity = (p >> (kTripBits + kTapBits + 2)) & 1;
  return t;
}

Time CityRun::planned_end() const {
  // The warm-up is whole days before the measured ones.
  const int64_t total_days = cfg_.warmup.us() / Duration::days(1).us() + cfg_.days;
  return Time::epoch() + Duration::days(total_days) + cfg_.drain;
}

void CityRun::run() {
  const Time start = Time::epoch();
  days_end_ = planned_end() - cfg_.drain;
  const uint32_t total_days = static_cast<uint32_t>(days_end_.day());
  // Validators upload on their interval, each at its own phase.
  for (uint32_t v = 0; v < directory_.count(); ++v) {
    const Duration every = directory_.kind(v) == ValidatorKind::kStationGate
                               ? cfg_.validators.station_upload_interval
                               : cfg_.validators.bus_upload_interval;
    sim::RandomStream phase(cfg_.seed, sim::Purpose::kFaults, v);
    sim_.schedule_at(start + Duration::micros(static_cast<int64_t>(
                                 phase.uniform_int(static_cast<uint64_t>(every.us())))),
                     kUpload, v);
  }
  sim_.schedule_at(start + Duration::minutes(1), kCloudTick, 0);
  if (rotation_.next_rotation() < planned_end()) {
    sim_.schedule_at(rotation_.next_rotation(), kKeyRotation, 0);
  }
  if (cfg_.warmup > Duration::zero()) {
    sim_.schedule_at(start + cfg_.warmup, kWarmupEnd, 0);
  }
  if (faults_) { // faults hook (issue 16): cloud.outages are among the fault changes
    for (size_t i = 0; i < faults_->changes().size(); ++i) {
      sim_.schedule_at(faults_->changes()[i].at, kFault, static_cast<uint32_t>(i));
    }
  } else {
    for (const OutageConfig& o : cfg_.cloud.outages) {
      sim_.schedule_at(o.start, kOutageStart, 0);
      sim_.schedule_at(o.start + o.duration, kOutageEnd, 0);
    }
  }
  if (adversaries_) {
    adversaries_->start(); // issue 16
  }
  for (uint32_t r = 0; r < wallet_of_.size(); ++r) {
    plan_refill_check(r);
  }
  for (uint32_t d = 0; d < total_days; ++d) {
    start_day(d);
    sim_.run_until(start + Duration::days(d + 1));
  }
  sim_.run_until(days_end_ + cfg_.drain);
  finish();
}

void CityRun::start_day(uint32_t day) {
  const uint32_t parity = day & 1;
  DayPlan& plan = plans_[parity];
  plan.plan(planner_, world_.population.size(), day);
  if (plan.trip_count() > (1U << kTripBits)) {
    // An event's payload holds a trip's index in the day in kTripBits: past that, taps would
    // silently run another rider's trip.
    throw InputError(
        Error{"population.riders", "day " + std::to_string(day) + " plans " +
                                       std::to_string(plan.trip_count()) +
                                       " trips, more than the " + std::to_string(1U << kTripBits) +
                                       " a run can hold in a day: fewer riders or trips a rider"});
  }
  for (uint32_t i = 0; i < plan.trip_count(); ++i) {
    const PlannedTrip t = plan.trip(i);
    trip_hash_ = sim::mix64(trip_hash_ ^ static_cast<uint64_t>(t.depart.us()));
    trip_hash_ = sim::mix64(trip_hash_ ^
                            (uint64_t{t.rider} << 32 | uint64_t{t.from_zone} << 16 | t.to_zone));
  }
  for (uint32_t r = 0; r < plan.riders(); ++r) {
    if (plan.trips_of(r) > 0) {
      const uint32_t i = plan.first_trip(r);
      const Time at = std::max(plan.trip(r, i).depart, sim_.now());
      sim_.schedule_at(at, kTripStart, r, pack(TapRef{i, 0, false, false, parity}));
    }
  }
}

Place CityRun::place_of(uint32_t rider) const {
  return (rider_flags_[rider] & kUnderground) != 0 ? Place::kUnderground : Place::kAboveGround;
}

void CityRun::prefetch(const sim::Event& e, int stage) const {
  const uint32_t kind = e.kind();
  const bool trip = kind == kTripStart || kind == kTap;
  if (!trip && kind != kPhoneCheck && kind != kRefillCheck) {
    return;
  }
  const uint32_t rider = e.entity;
  if (rider >= wallet_of_.size()) {
    return;
  }
  const TapRef ref = unpack(e.payload);
  const DayPlan& plan = plans_[ref.parity];
  switch (stage) {
  case 0:
    __builtin_prefetch(&wallet_of_[rider]);
    __builtin_prefetch(&rider_flags_[rider]);
    if (trip) {
      plan.prefetch(ref.trip);
    }
    break;
  case 1:
    if (const uint32_t w = wallet_of_[rider]; w != kNoWallet) {
      // Every cache line the wallet spans (112 bytes: two or three).
      const auto* at = reinterpret_cast<const char*>(&wallets_[w]);
      for (size_t offset = 0; offset < sizeof(hce::Wallet); offset += 64) {
        __builtin_prefetch(at + offset);
      }
      __builtin_prefetch(at + sizeof(hce::Wallet) - 1);
    }
    if (trip && cfg_.population.trip_model != TripModel::kPoissonTaps) {
      if (const auto zones = plan.zones(ref.trip)) {
        world_.paths.prefetch_offsets(zones->first, zones->second);
      }
    }
    break;
  default:
    if (const uint32_t w = wallet_of_[rider]; w != kNoWallet && !wallets_[w].held().empty()) {
      __builtin_prefetch(wallets_[w].held().data());
    }
    if (trip && cfg_.population.trip_model != TripModel::kPoissonTaps) {
      if (const auto zones = plan.zones(ref.trip)) {
        world_.paths.prefetch_legs(zones->first, zones->second);
      }
    }
    break;
  }
}

void CityRun::handle(const sim::Event& e, Sim& sim) {
  const uint32_t kind = e.kind();
  if (series_ != nullptr && e.time >= series_->next_end()) {
    close_series_rows(e.time);
  }
  if (issuing_.owns(kind)) {
    if (const auto n = issuing_.handle(e, sim)) {
      issuing_notice(*n);
    }
    return;
  }
  if (settlement_.owns(kind)) {
    if (const auto n = settlement_.handle(e, sim)) {
      settlement_notice(*n);
    }
    return;
  }
  if (bank_.owns(kind)) {
    bank_.handle(e, sim, *services_);
    return;
  }
  switch (kind) {
  case kTripStart:
    trip_start(e.entity, e.payload);
    break;
  case kTap:
    tap(e.entity, e.payload);
    break;
  case kPhoneCheck:
    rider_flags_[e.entity] = static_cast<uint8_t>(rider_flags_[e.entity] & ~kCheckPending);
    maybe_request(e.entity, false);
    break;
  case kUpload:
    upload(e.entity);
    break;
  case kCloudTick: {
    // The next minute's background looks join the queue (the first tick is a minute in, at a
    // whole minute: LookCalendar counts minutes 0 and 1 as fed).
    looks_.feed_next([&](uint32_t rider) {
      const uint32_t s = refill_check_s_[rider];
      if (s != kNoRefillCheck && LookCalendar::minute_of(s) == looks_.fed_through()) {
        sim.schedule_at(look_time(s), kRefillCheck, rider);
      }
    });
    services_->advance(sim.now());
    bank_.flush(sim, *services_);
    observe_tick();
    if (sim.now().time_of_day().us() % Duration::hours(1).us() == 0) {
      // Forgetting scans all the checks' memory: every six hours is enough to bound it. What is
      // kept reaches back past any upload's delay (twice the longest interval: a missed upload
      // waits one more), so a late record still meets the taps it could contradict.
      if (sim.now().time_of_day().us() % Duration::hours(6).us() == 0) {
        const Duration longest =
            std::max(cfg_.validators.bus_upload_interval, cfg_.validators.station_upload_interval);
        checks_->forget_before(sim.now() - std::max(Duration::hours(6), longest * 2));
      }
      // The journal streamed the entries out already: the ledger need not hold them.
      services_->archive_ledger_before(services_->ledger().next_sequence());
    }
    sim.schedule_in(Duration::minutes(1), kCloudTick, 0);
    break;
  }
  case kWarmupEnd:
    warmup_end();
    break;
  case kAttack:
    adversaries_->act(e.entity); // issue 16
    break;
  case kKeyRotation:
    rotation_.rotate(keys_);
    if (rotation_.next_rotation() < planned_end()) {
      sim.schedule_at(rotation_.next_rotation(), kKeyRotation, 0);
    }
    break;
  case kOutageStart:
  case kOutageEnd:
    issuing_.set_available(sim, kind == kOutageEnd);
    settlement_.set_available(sim, kind == kOutageEnd);
    bank_.queue().set_available(sim, kind == kOutageEnd);
    break;
  case kFault:
    fault(e.entity);
    break;
  case kManualTopUp:
    manual_top_up(e.entity);
    break;
  case kRefillCheck:
    // Else replaced by an earlier one (which planned the next).
    if (look_time(refill_check_s_[e.entity]) == sim.now()) {
      refill_check_s_[e.entity] = kNoRefillCheck;
      maybe_request(e.entity, false); // in the background: the app is closed
      plan_refill_check(e.entity);
    }
    break;
  default:
    assert(false && "unknown event kind");
  }
}

const char* CityRun::kind_name(uint32_t kind) const {
  switch (kind) {
  case kTripStart:
    return "trip start";
  case kTap:
    return "tap";
  case kPhoneCheck:
    return "phone check";
  case kUpload:
    return "upload";
  case kCloudTick:
    return "cloud tick";
  case kWarmupEnd:
    return "warm-up end";
  case kIssuingDone:
    return "issuing done";
  case kIssuingTimeout:
    return "issuing timeout";
  case kSettlementDone:
    return "settlement done";
  case kSettlementTimeout:
    return "settlement timeout";
  case kOutageStart:
    return "outage start";
  case kOutageEnd:
    return "outage end";
  case kTopUpDone:
    return "top-up done";
  case kTopUpTimeout:
    return "top-up timeout";
  case kBankAnswer:
    return "bank answer";
  case kKeyRotation:
    return "key rotation";
  case kFault:
    return "fault";
  case kAttack:
    return "attack";
  case kManualTopUp:
    return "manual top-up";
  case kRefillCheck:
    return "refill check";
  default:
    return "?";
  }
}

void CityRun::trip_start(uint32_t rider, uint32_t payload) {
  const TapRef ref = unpack(payload);
  const DayPlan& plan = plans_[ref.parity];
  const PlannedTrip t = plan.trip(rider, ref.trip);
  kpis_->trips.add();
  kpis_->segments.trip(rider);
  if (ref.trip + 1 < plan.first_trip(rider) + plan.trips_of(rider)) {
    const Time next = std::max(plan.trip(rider, ref.trip + 1).depart, sim_.now());
    sim_.schedule_at(next, kTripStart, rider,
                     pack(TapRef{ref.trip + 1, 0, false, false, ref.parity}));
  }
  expand(t);
  if (!taps_.empty()) {
    next_tap(rider, TapRef{ref.trip, 0, false, false, ref.parity}, taps_[0].time);
  }
}

void CityRun::expand(const PlannedTrip& trip) {
  rides_.clear();
  taps_.clear();
  if (cfg_.population.trip_model == TripModel::kPoissonTaps) {
    expand_poisson_tap(world_.city, trip, rides_, taps_);
    return;
  }
  expand_journey(world_.city, world_.paths, trip.from_zone, trip.to_zone, trip.depart, rides_,
                 taps_);
  if (taps_.size() > (1U << kTapBits)) {
    // The payload holds a tap's index in its trip in kTapBits (paths have a few legs).
    throw std::logic_error("a trip of " + std::to_string(taps_.size()) + " taps: more than " +
                           std::to_string(1U << kTapBits) + " do not fit an event");
  }
}

void CityRun::next_tap(uint32_t rider, TapRef ref, Time when) {
  sim_.schedule_at(std::max(when, sim_.now()), kTap, rider, pack(ref));
}

void CityRun::tap(uint32_t rider, uint32_t payload) {
  TapRef ref = unpack(payload);
  expand(plans_[ref.parity].trip(rider, ref.trip));
  assert(ref.tap < taps_.size());
  const PlannedTap t = taps_[ref.tap];
  const bool is_hce = wallet_of_[rider] != kNoWallet;
  if (!is_hce) {
    kpis_->card_taps.add();
  } else if (ref.fallback) {
    kpis_->fallback_taps.add();
  } else {
    uint32_t v = 0;
    if (t.kind == TapKind::kBus) {
      for (const Ride& ride : rides_) {
        if (ride.route == t.route && ride.board_stop == t.stop) {
          v = directory_.bus_reader(ride.route, ride.board_position, ride.alight_position,
                                    ride.board);
          break;
        }
      }
    } else {
      v = directory_.station_gate(t.stop, rider);
    }
    const int reason = hce_tap(rider, t, v);
    if (adversaries_ && reason >= 0) {
      adversaries_->rider_tap_refused(rider, reason); // issue 16
    }
    kpis_->segments.tap(rider, reason, sim_.now());
    if (reason >= 0) {
      kpis_->taps_refused[static_cast<size_t>(reason)].add();
      if ((rider_flags_[rider] & kRefusedEver) == 0) {
        rider_flags_[rider] |= kRefusedEver;
        ++kpis_->riders_refused;
        kpis_->segments.rider_refused(rider);
      }
      const RefusalReaction how = cfg_.population.on_refusal;
      if (how == RefusalReaction::kRetryThenFallback && !ref.retry) {
        kpis_->retries.add();
        maybe_request(rider, true);
        ref.retry = true;
        next_tap(rider, ref, sim_.now() + Duration::seconds(20));
        return;
      }
      if (how == RefusalReaction::kGiveUp && t.kind != TapKind::kExit) {
        kpis_->gave_up.add(); // the rest of the trip is not made
        kpis_->segments.gave_up(rider);
        return;
      }
      kpis_->fallbacks.add(); // this and the trip's later taps by physical card or QR code
      if (t.kind == TapKind::kExit) {
        // The entry was accepted by HCE (else this trip would be on the card already): the cloud
        // never gets this exit and charges the entry as an incomplete journey, the maximum fare.
        kpis_->journeys_unfinished.add();
      }
      kpis_->segments.fallback(rider);
      kpis_->fallback_taps.add();
      ref.fallback = true;
    } else {
      kpis_->taps_accepted.add();
    }
  }
  if (t.kind == TapKind::kEntry) {
    rider_flags_[rider] |= kUnderground;
  } else if (t.kind == TapKind::kExit) {
    rider_flags_[rider] = static_cast<uint8_t>(rider_flags_[rider] & ~kUnderground);
  }
  if (is_hce) {
    maybe_request(rider, true);
    if (cfg_.refill.trigger == RefillTrigger::kBeforeExpiry) {
      // A used-up latest token brings the window forward; under the other rules a tap can only
      // move the earliest expiry later, which the pending look finds itself.
      plan_refill_check(rider);
    }
    if (t.kind == TapKind::kExit && (rider_flags_[rider] & kCheckPending) == 0) {
      rider_flags_[rider] |= kCheckPending; // back above ground in a minute or two
      sim_.schedule_in(Duration::minutes(2), kPhoneCheck, rider);
    }
  }
  if (ref.tap + 1 < taps_.size()) {
    next_tap(rider, TapRef{ref.trip, ref.tap + 1, false, ref.fallback, ref.parity},
             taps_[ref.tap + 1].time);
  }
}

int CityRun::hce_tap(uint32_t rider, const PlannedTap& t, uint32_t v) {
  const Time now = sim_.now();
  hce::Validator& val = *validators_[v];
  if (t.kind == TapKind::kBus) {
    val.set_stop(StopId(t.stop));
  }
  const hce::TapKind kind = t.kind == TapKind::kEntry  ? hce::TapKind::kEntry
                            : t.kind == TapKind::kExit ? hce::TapKind::kExit
                                                       : hce::TapKind::kFlat;
  // Faults hook (issue 16): the validator works by its own clock, maybe wrong.
  Time clock = now;
  if (faults_) {
    clock = faults_->clock(v, now);
    if (clock != now) {
      kpis_->faults.taps_wrong_clock.add();
    }
  }
  const hce::TapChallenge challenge = val.challenge(clock, kind, validator_random_);
  hce::Wallet& w = wallets_[wallet_of_[rider]];
  drop_spent(w);
  const std::optional<hce::TapResponse> answer = w.answer(challenge, now, scratch_);
  if (!answer) {
    return kNoTokenRefusal;
  }
  const hce::TapOutcome out = val.verify(response_encoder_.encode(*answer), clock);
  if (!out.accepted()) {
    return static_cast<int>(out.refusal);
  }
  tap_stored(v, kind);
  witness_->tap_accepted(v, out.sequence); // invariants hook
  if (adversaries_) {
    adversaries_->rider_tap_accepted(rider, v, answer->header); // issue 16
  }
  return -1;
}

void CityRun::drop_spent(hce::Wallet& w) {
  drop_spent_tokens(w, sim_.now(), *kpis_, days_end_);
}

bool CityRun::wants_tokens(const hce::Wallet& w) const {
  const Time now = sim_.now();
  if (!w.wants_tokens(now)) {
    return false;
  }
  // The wallet holds wallet_size unused tokens at most.
  return fresh_tokens(w) < cfg_.token_policy.wallet_size;
}

uint32_t CityRun::fresh_tokens(const hce::Wallet& w) const {
  const Time now = sim_.now();
  uint32_t fresh = 0;
  for (const hce::HeldToken& t : w.held()) {
    fresh += (t.used == 0 && now <= t.expires_at) ? 1U : 0U;
  }
  return fresh;
}

void CityRun::maybe_request(uint32_t rider, bool app_open) {
  const uint32_t wi = wallet_of_[rider];
  if (wi == kNoWallet) {
    return;
  }
  hce::Wallet& w = wallets_[wi];
  const Time now = sim_.now();
  drop_spent(w);
  if ((rider_flags_[rider] & kRequestPending) != 0) {
    return;
  }
  if (!wants_tokens(w)) {
    if (now < w.retry_at()) {
      plan_retry(rider, w); // backing off: look again when the back-off ends
    }
    return;
  }
  if (!phones_.online(rider, now, place_of(rider), app_open)) {
    const uint8_t f = rider_flags_[rider];
    if ((f & (kUnderground | kCheckPending)) == 0 && !world_.population.data_off(rider)) {
      const Time back = phones_.next_coverage(rider, now);
      if (back > now && back < days_end_ + cfg_.drain) {
        rider_flags_[rider] |= kCheckPending;
        sim_.schedule_at(back, kPhoneCheck, rider);
      }
    }
    return;
  }
  kpis_->token_requests.sent.add();
  kpis_->token_requests.per_minute.add(now);
  kpis_->segments.token_request(rider, now);
  if (cfg_.cloud.zero_latency) {
    w.request_sent(now);
    issuing_notice(Notice{NoticeKind::kAnswered, rider, 0, Duration::zero()});
    return;
  }
  if (issuing_.submit(sim_, rider, 0) == Admission::kRefused) {
    kpis_->token_requests.queue_refused.add();
    w.request_failed(now);
    plan_retry(rider, w);
    return;
  }
  w.request_sent(now);
  rider_flags_[rider] |= kRequestPending;
}

void CityRun::issuing_notice(const Notice& n) {
  if (n.client >= wallet_of_.size()) {
    adversaries_->issuing_notice(n); // issue 16: a flooder's request
    return;
  }
  const uint32_t rider = n.client;
  if (wallet_of_[rider] == kNoWallet) {
    // The phone was lost while its request was out (issue 16): nobody takes the answer.
    rider_flags_[rider] = static_cast<uint8_t>(rider_flags_[rider] & ~kRequestPending);
    kpis_->token_requests.wasted.add();
    return;
  }
  hce::Wallet& w = wallets_[wallet_of_[rider]];
  const Time now = sim_.now();
  const AccountId account(rider + 1);
  const DeviceId device(rider + 1);
  auto retry_later = [&] {
    w.request_failed(now);
    plan_retry(rider, w);
  };
  switch (n.kind) {
  case NoticeKind::kTimedOut:
    rider_flags_[rider] = static_cast<uint8_t>(rider_flags_[rider] & ~kRequestPending);
    kpis_->token_requests.timed_out.add();
    retry_later();
    return;
  case NoticeKind::kWasted:
  case NoticeKind::kLost: {
    // The server did the work; nobody takes the grant.
    kpis_->token_requests.wasted.add();
    const hce::IssueOutcome lost =
        issuer_->issue(account, device, now, issue_policy_, issuer_random_);
    if (lost.granted()) {
      count_undelivered(lost.grant, *kpis_);
    }
    return;
  }
  case NoticeKind::kAnswered:
    rider_flags_[rider] = static_cast<uint8_t>(rider_flags_[rider] & ~kRequestPending);
    break;
  }
  kpis_->token_requests.latency_s.add(n.latency.to_seconds());
  const hce::IssueOutcome out = issuer_->issue(account, device, now, issue_policy_, issuer_random_);
  if (!out.granted()) {
    kpis_->issue_refusals[static_cast<size_t>(out.refusal)].add();
    kpis_->segments.token_request_refused(rider, out.refusal);
    if (out.refusal == hce::IssueRefusal::kRateLimited) {
      retry_later(); // the limit's hour moves on
      return;
    }
    // Asking again cannot help until the rider acts: the phone asks at its next tap, or once the
    // rider has topped up by hand (no polling, which would only load the issuer).
    w.request_failed(now);
    // The app shows why no tokens came: a low balance, or a debt the account is blocked for (the
    // issuer checks the denylist first; paying the debt lifts that block).
    if (out.refusal == hce::IssueRefusal::kBalanceTooLow ||
        (out.refusal == hce::IssueRefusal::kAccountDenylisted &&
         services_->ledger().balance(account).is_negative())) {
      plan_manual_top_up(rider);
    }
    return;
  }
  if (!phones_.online(rider, now, place_of(rider), true)) {
    kpis_->grants_undelivered.add();
    count_undelivered(out.grant, *kpis_);
    retry_later();
    return;
  }
  const auto added = w.accept_grant(out.grant);
  if (!added.ok()) {
    throw std::logic_error("grant: " + added.error().to_string());
  }
  kpis_->grants.add();
  most_fresh_ = std::max(most_fresh_, fresh_tokens(w));
  plan_refill_check(rider);
}

void CityRun::plan_retry(uint32_t rider, const hce::Wallet& w) {
  plan_check(rider, w.retry_at());
}

void CityRun::plan_check(uint32_t rider, Time at) {
  // A check already pending looks itself (and plans a retry if still backing off).
  if ((rider_flags_[rider] & kCheckPending) != 0 || at >= days_end_ + cfg_.drain) {
    return;
  }
  rider_flags_[rider] |= kCheckPending;
  sim_.schedule_at(at, kPhoneCheck, rider);
}

void CityRun::plan_refill_check(uint32_t rider) {
  if (refill_check_s_.empty() || wallet_of_[rider] == kNoWallet) {
    return;
  }
  const Time now = sim_.now();
  Time earliest = Time::max();
  Time latest = Time::epoch();
  for (const hce::HeldToken& t : wallets_[wallet_of_[rider]].held()) {
    if (hce::usable(t, now)) {
      earliest = std::min(earliest, t.expires_at);
      latest = std::max(latest, t.expires_at);
    }
  }
  if (earliest == Time::max()) {
    return; // an empty wallet asks at its next tap or check; a never-expiring one has no need
  }
  // When the wallet's rule can next turn true by time alone: when a usable token expires (taps
  // left drop, the wallet-size cap frees a place), or under BEFORE_EXPIRY when the latest comes
  // within the window (Wallet::wants_tokens: latest - now < before_expiry). Whole seconds,
  // strictly after the time, plus the rider's own draw keyed by that second (the same plan gives
  // the same jitter), so wallets filled together do not all ask together.
  auto jittered = [&](Time t, Duration spread) {
    const int64_t second = second_after(t);
    sim::RandomStream draw(cfg_.seed, sim::Purpose::kPhone,
                           (uint64_t{rider} << 32) ^ static_cast<uint64_t>(second));
    return second + static_cast<int64_t>(draw.uniform_int(
                        static_cast<uint64_t>(std::max<int64_t>(1, spread.us() / 1'000'000))));
  };
  const bool by_window = cfg_.refill.trigger == RefillTrigger::kBeforeExpiry;
  const Duration window = cfg_.refill.before_expiry;
  // At most a quarter of the lifetime (short-lived tokens would sit expired for most of theirs),
  // and under BEFORE_EXPIRY half the window (the request lands before the expiry).
  Duration spread = std::min(cfg_.refill.background_spread, cfg_.token_policy.lifetime / 4);
  if (by_window) {
    spread = std::min(spread, window / 2);
  }
  const bool after_expiry = !by_window || latest - window < now;
  // A look is planned no earlier than the second after its base time: most plans (after each
  // grant) find the pending look earlier still, and stop here without a draw.
  const Time base = after_expiry ? earliest : latest - window;
  if (second_after(base) >= int64_t{refill_check_s_[rider]}) {
    return;
  }
  int64_t planned = 0;
  if (after_expiry) {
    planned = jittered(earliest, spread);
  } else {
    const int64_t in_window = jittered(latest - window, spread);
    // Under DAILY_BOUNDARY a grant before the next boundary would expire with the tokens held
    // (the whole fleet would ask twice a night): look just after they expire instead.
    const std::optional<Time> granted =
        hce::Issuer::fixed_expiry(look_time(in_window), issue_policy_);
    const bool useless = granted && *granted <= latest;
    planned = useless ? jittered(latest, spread) : in_window;
  }
  const Time when = look_time(planned);
  if (when >= days_end_ || planned >= int64_t{refill_check_s_[rider]}) {
    return;
  }
  refill_check_s_[rider] = static_cast<uint32_t>(planned);
  if (looks_.fed(planned)) {
    sim_.schedule_at(when, kRefillCheck, rider);
  } else {
    looks_.add(rider, planned);
  }
}

void CityRun::plan_manual_top_up(uint32_t rider) {
  if (!world_.population.manual_top_up(rider) || (rider_flags_[rider] & kTopUpPlanned) != 0) {
    return;
  }
  // The rider's own draw, keyed by the microsecond it plans at: another rider's refusals never
  // shift it (common random numbers across policies). Inversion, 1 - U in (0, 1]; at least 1 µs,
  // so an offline rider planning again draws from a later key.
  const Time now = sim_.now();
  sim::RandomStream draw(cfg_.seed, sim::Purpose::kTopUp,
                         (uint64_t{rider} << 32) ^ static_cast<uint64_t>(now.us()));
  const double wait_s = -cfg_.top_up.manual_delay.to_seconds() * std::log(1.0 - draw.next_double());
  const Time at = now + Duration::micros(std::max<int64_t>(1, std::llround(wait_s * 1e6)));
  if (at >= days_end_ + cfg_.drain) {
    return;
  }
  rider_flags_[rider] |= kTopUpPlanned;
  sim_.schedule_at(at, kManualTopUp, rider);
}

void CityRun::manual_top_up(uint32_t rider) {
  rider_flags_[rider] = static_cast<uint8_t>(rider_flags_[rider] & ~kTopUpPlanned);
  if (wallet_of_[rider] == kNoWallet) {
    return; // the phone was lost meanwhile (issue 16)
  }
  const AccountId account(rider + 1);
  const Time now = sim_.now();
  // Restored meanwhile (a refund, an earlier top-up): nothing to do. Enough is the more of the
  // issuer's minimum and the rider's threshold (never below zero: a debt is never enough).
  const Money enough = std::max(cfg_.top_up.threshold, cfg_.token_policy.issuing_minimum_balance);
  if (services_->ledger().balance(account) >= enough) {
    return;
  }
  if (!phones_.online(rider, now, place_of(rider), true)) {
    plan_manual_top_up(rider); // tries again later
    return;
  }
  // No client reference: the run never re-sends a request, so there is nothing to recognise.
  const auto asked = services_->top_up(account, cfg_.top_up.amount, now);
  if (!asked.ok()) {
    throw std::logic_error("manual top-up: " + asked.error().to_string());
  }
  kpis_->top_ups_manual.add();
  bank_.flush(sim_, *services_);
  // The rider is in the app: it asks for tokens once the top-up has had time to land.
  plan_check(rider,
             std::max(wallets_[wallet_of_[rider]].retry_at(), now + cfg_.refill.retry_backoff));
}

void CityRun::upload(uint32_t v) {
  const Duration every = directory_.kind(v) == ValidatorKind::kStationGate
                             ? cfg_.validators.station_upload_interval
                             : cfg_.validators.bus_upload_interval;
  sim_.schedule_in(every, kUpload, v);
  hce::Validator& val = *validators_[v];
  if (val.store().size() == 0 && uploading_[v] == 0 && settlement_.available() &&
      !(faults_ && (faults_->link_down(v) || !faults_->cloud_available()))) {
    // Nothing to send: the validator still checks in on schedule, and the check-in brings its
    // clock, keys and denylist up to date (else a quiet gate kept a stale denylist for good).
    sync_validator(v, sim_.now());
  }
  if (uploading_[v] != 0 || val.store().size() == 0) {
    return;
  }
  if (faults_ && faults_->link_down(v)) { // faults hook (issue 16)
    kpis_->faults.uploads_blocked.add();
    return;
  }
  uint32_t slot = 0;
  if (free_batches_.empty()) {
    slot = static_cast<uint32_t>(batches_.size());
    batches_.emplace_back();
  } else {
    slot = free_batches_.back();
    free_batches_.pop_back();
  }
  batches_[slot] = val.make_batch(cfg_.validators.batch_size);
  kpis_->uploads.sent.add();
  kpis_->uploads.per_minute.add(sim_.now());
  kpis_->segments.upload(sim_.now(), batches_[slot].records.size());
  if (faults_ && !upload_reaches_cloud(slot)) { // faults hook (issue 16)
    batches_[slot].records.clear();
    free_batches_.push_back(slot);
    return;
  }
  if (cfg_.cloud.zero_latency) {
    kpis_->uploads.latency_s.add(0.0);
    settle(slot, true);
    return;
  }
  if (settlement_.submit(sim_, v, slot) == Admission::kRefused) {
    kpis_->uploads.queue_refused.add();
    batches_[slot].records.clear();
    free_batches_.push_back(slot);
    return;
  }
  uploading_[v] = 1;
}

void CityRun::settlement_notice(const Notice& n) {
  const uint32_t v = n.client;
  switch (n.kind) {
  case NoticeKind::kTimedOut:
    // The batch stays in its slot until the server finishes it (kWasted); the validator may
    // upload again (the same records: duplicates if the late one was settled).
    kpis_->uploads.timed_out.add();
    uploading_[v] = 0;
    return;
  case NoticeKind::kWasted:
  case NoticeKind::kLost: // settled, but the acknowledgement never reaches the validator
    kpis_->uploads.wasted.add();
    settle(n.tag, false);
    return;
  case NoticeKind::kAnswered:
    kpis_->uploads.latency_s.add(n.latency.to_seconds());
    settle(n.tag, true);
    uploading_[v] = 0;
    return;
  }
}

void CityRun::settle(uint32_t slot, bool acknowledge) {
  const Time now = sim_.now();
  hce::TapBatch& batch = batches_[slot];
  // The records reaching the cloud for the first time are no longer fares on the validators.
  int64_t arriving_minor = 0;
  for (const hce::TapRecord& r : batch.records) {
    if (!checks_->seen(hce::RecordId{r.validator, r.sequence})) {
      arriving_minor += fares_.at_risk(r.validator.value() - 1, r.challenge.kind).minor();
    }
  }
  auto receipt = services_->settle_batch(batch, now);
  if (slot < batch_twice_.size() && batch_twice_[slot] != 0) { // faults hook: it arrives again
    batch_twice_[slot] = 0;
    const auto again = services_->settle_batch(batch, now);
    receipt.accepted += again.accepted;
    receipt.duplicates += again.duplicates;
    receipt.flagged += again.flagged;
    receipt.not_genuine += again.not_genuine;
    receipt.day_closed += again.day_closed;
  }
  bank_.flush(sim_, *services_);
  // A tap of a closed service day is settled too (journaled, final), only charged nobody.
  const uint32_t settled = receipt.accepted + receipt.day_closed;
  // Records the checks refused as not genuine (a forging validator's) reached the cloud too: they
  // are no longer money on the validators (fares_unsent).
  received_total_ += settled + receipt.not_genuine;
  unsent_minor_ -= arriving_minor;
  kpis_->records_settled.add(settled);
  kpis_->taps_after_close.add(receipt.day_closed);
  kpis_->records_duplicate.add(receipt.duplicates);
  kpis_->records_flagged.add(receipt.flagged);
  kpis_->records_not_genuine.add(receipt.not_genuine);
  witness_->refused_by_checks(receipt.not_genuine); // invariants hook
  if (acknowledge) {
    hce::Validator& val = *validators_[static_cast<uint32_t>(batch.validator.value() - 1)];
    hce::BatchAck ack{batch.validator, batch.batch, {}};
    ack.sequences.reserve(batch.records.size());
    for (const hce::TapRecord& r : batch.records) {
      ack.sequences.push_back(r.sequence);
    }
    val.acknowledge(ack);
    sync_validator(static_cast<uint32_t>(batch.validator.value() - 1), now);
  }
  batch.records.clear();
  free_batches_.push_back(slot);
}

void CityRun::sync_validator(uint32_t v, Time now) {
  hce::Validator& val = *validators_[v];
  if (faults_) {
    faults_->synced(v, now); // clock set right
  }
  rotation_.sync(v, val, now);
  // The denylist is brought up to date too: in steps the validator accepts, when it is further
  // behind than one step.
  while (services_->denylist().version() > val.denylist().version()) {
    const hce::DenylistUpdate update = services_->denylist().update_for(
        val.denylist().version(), cloud_denylist_key_, val.denylist().max_version_jump());
    if (val.apply_denylist(update) != hce::DenylistApply::kApplied) {
      break;
    }
    kpis_->denylist_updates_applied.add();
  }
}

void CityRun::warmup_end() {
  const Time now = sim_.now();
  before_warmup_reset(now);
  kpis_storage_ = std::make_unique<RunKpis>(now);
  kpis_ = kpis_storage_.get();
  kpis_->peak_unpaid_debt = Money(0, cfg_.city.currency);
  journal_.count_fares_from(now);
  start_results(now);
  if (faults_) { // faults hook (issue 16)
    kpis_->faults.on = true;
    faults_->restart_counts(now);
  }
  issuing_.restart_statistics(now);
  settlement_.restart_statistics(now);
  bank_.queue().restart_statistics(now);
  for (uint8_t& f : rider_flags_) {
    f = static_cast<uint8_t>(f & ~kRefusedEver);
  }
}

void CityRun::finish() {
  const Time now = sim_.now();
  for (hce::Wallet& w : wallets_) {
    drop_spent(w); // tokens still held that expired unused are wasted too
  }
  issuing_.advance(now);
  settlement_.advance(now);
  bank_.queue().advance(now);
  services_->advance(now);
  kpis_->cloud = services_->figures(now);
  // Settlement's figures count from the run's start; the measured days' flows are the journal's
  // (its counts restart at the warm-up's end). Debt and pending fares are the end's stocks.
  cloud::CloudFigures& figures = kpis_->cloud;
  figures.fraud_loss = Money(journal_.fraud_loss_minor(), cfg_.city.currency);
  figures.journeys_charged = journal_.journeys_charged();
  figures.mean_lag = journal_.mean_lag();
  figures.max_lag = journal_.max_lag();
  figures.revenue_at_risk = figures.unpaid_debt + figures.pending_fares + figures.fraud_loss;
  assert(services_->fraud_loss_account() == cloud::SettlementPolicy{}.fraud_loss_account);
  kpis_->fares_settled = Money(journal_.fares_minor(), cfg_.city.currency);
  kpis_->fares_unfinished = at_max_fare(kpis_->journeys_unfinished.value());
  kpis_->records_unsettled = records_held_total();
  kpis_->fares_unsent = series_snapshot().fares_unsent;
  kpis_->revenue_at_risk = kpis_->cloud.revenue_at_risk + kpis_->fares_unsent;
  if (faults_) {
    faults_->finish(now, *kpis_); // faults hook (issue 16)
  }
  if (adversaries_) {
    adversaries_->finish(*kpis_); // issue 16
  }
  finish_results(now);
  violation_ = check_invariants(); // invariants hook
}

std::optional<InvariantViolation> CityRun::check_invariants() {
  return witness_->check(*services_, validators_);
}

uint64_t CityRun::records_held_total() const {
  uint64_t held = 0;
  for (const auto& v : validators_) {
    held += v->store().size();
  }
  return held;
}

const hce::Wallet* CityRun::wallet(uint32_t rider) const {
  return wallet_of_[rider] == kNoWallet ? nullptr : &wallets_[wallet_of_[rider]];
}

size_t CityRun::wallet_bytes_per_hce_rider() const {
  if (wallets_.empty()) {
    return 0;
  }
  size_t bytes = 0;
  for (const hce::Wallet& w : wallets_) {
    bytes += sizeof(hce::Wallet) + w.held().capacity() * sizeof(hce::HeldToken);
  }
  return bytes / wallets_.size();
}

} // namespace hcesim::models
