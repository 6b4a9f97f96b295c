#pragma once
// One run of the city: riders' trips from DayPlan, taps with the real Wallet answering the real
// Validator's challenge, token requests through the issuing ServiceQueue to the real Issuer while
// the phone is online, validators' batch uploads through the settlement ServiceQueue to the real
// AccountServices (acknowledgements applied, denylist updates taken at each sync), automatic
// top-ups through the Bank model, days with a warm-up and a drain, and the KPIs of DESIGN §6.
// Per-rider state lives in tables indexed by the dense rider id; events carry (rider or
// validator, a packed index).
#include "hce/cloud/account_services.h"
#include "hce/cloud/journal.h"
#include "hce/random_source.h"
#include "hce/token/issuer.h"
#include "hce/token/settlement_check.h"
#include "hce/token/validator.h"
#include "hce/token/wallet.h"
#include "models/city/journey.h"
#include "models/cloud_queue/service_queue.h"
#include "models/fares/city_fares.h"
#include "models/phone/connectivity.h"
#include "models/population/day_plan.h"
#include "models/population/trip_planner.h"
#include "models/run/bank_link.h"
#include "models/run/fault_schedule.h"
#include "models/run/invariants.h"
#include "models/run/key_rotation.h"
#include "models/run/look_calendar.h"
#include "models/run/run_journal.h"
#include "models/run/run_kpis.h"
#include "models/run/timeseries_writer.h"
#include "models/scenario/scenario_config.h"
#include "models/validator/validator_directory.h"
#include "models/world/world.h"
#include "sim/random_stream.h"
#include "sim/simulator.h"

#include <memory>
#include <optional>
#include <vector>

namespace hcesim::models {

class Adversaries;

//! hce's randomness (token ids, challenge numbers, grant nonces) from one sim stream.
class StreamRandomSource final : public hce::RandomSource {
public:
  explicit StreamRandomSource(sim::RandomStream stream) : stream_(stream) {}
  void fill(uint8_t* out, size_t n) override;

private:
  sim::RandomStream stream_;
};

class CityRun {
public:
  using Sim = sim::Simulator<CityRun>;
  enum Kind : uint32_t {
    kTripStart = 1,
    kTap,
    kPhoneCheck,
    kUpload,
    kCloudTick,
    kWarmupEnd,
    kIssuingDone,
    kIssuingTimeout,
    kSettlementDone,
    kSettlementTimeout,
    kOutageStart,
    kOutageEnd,
    kTopUpDone,
    kTopUpTimeout,
    kBankAnswer,
    kKeyRotation,
    kFault,       //!< issue 16: entity = the fault change's index in FaultSchedule::changes()
    kAttack,      // issue 16: an attacker acts (models/attack/Adversaries)
    kManualTopUp, //!< a rider tops up by hand (entity = rider)
    kRefillCheck, //!< BEFORE_EXPIRY: the phone looks at its tokens' expiry (entity = rider)
  };

  //! Sets up accounts, wallets (each filled once at the start) and validators over `world`, which
  //! must outlive the run.
  CityRun(const ScenarioConfig& cfg, const World& world);
  ~CityRun();
  CityRun(const CityRun&) = delete;
  CityRun& operator=(const CityRun&) = delete;

  //! Runs every day, then the drain; fills kpis(). Call once.
  void run();
  //! Progress lines while running (nullptr: none); the run's end time for the ETA.
  void set_progress(sim::Progress* progress) { sim_.set_progress(progress); }
  Time planned_end() const;
  //! Streams timeseries.csv rows into `series` while running (nullptr: none); set before run().
  void set_timeseries(TimeseriesWriter* series) { series_ = series; }

  const RunKpis& kpis() const { return *kpis_; }
  uint64_t fingerprint() const { return sim_.fingerprint().value(); }
  uint64_t events() const { return sim_.events_executed(); }
  Time end_time() const { return sim_.now(); }
  //! Every day's planned trips in order, folded into a hash (common random numbers check).
  uint64_t trip_hash() const { return trip_hash_; }
  //! The cloud's capacity models, read-only (Little's law checks; unused with zero_latency).
  const ServiceQueue& issuing_queue() const { return issuing_; }
  const ServiceQueue& settlement_queue() const { return settlement_; }

  // Conservation, counted over the whole run (warm-up included).
  uint64_t taps_accepted_total() const { return accepted_total_; }
  //! Records the cloud received and checked: settled (charged, or of a closed day) or refused as
  //! not genuine; duplicates not counted.
  uint64_t records_received_total() const { return received_total_; }
  uint64_t records_held_total() const;
  const cloud::AccountServices& services() const { return *services_; }
  const BankLink& bank() const { return bank_; }
  const KeyRotation& key_rotation() const { return rotation_; }
  //! The most unused tokens a wallet held just after a grant (≤ wallet_size when a phone never
  //! has two token requests out at once and grants hold one token).
  uint32_t most_fresh_tokens() const { return most_fresh_; }
  //! Rider r's wallet (nullptr for a rider without HCE).
  const hce::Wallet* wallet(uint32_t rider) const;
  //! Validator v (0-based; ValidatorId v + 1) as it stands, and how many there are.
  const hce::Validator& validator(uint32_t v) const { return *validators_[v]; }
  uint32_t validator_count() const { return static_cast<uint32_t>(validators_.size()); }
  //! Upload batches held in the settlement queue's slots (none once every answer is in).
  uint32_t batches_in_flight() const {
    return static_cast<uint32_t>(batches_.size() - free_batches_.size());
  }
  //! The city's fares as settlement prices them.
  const CityFares& fares() const { return fares_; }
  //! The cloud's journal, streamed: fares and top-ups tallied, records not kept.
  const RunJournal& journal() const { return journal_; }
  //! Every cloud journal record as it is written (call before run(); the run keeps none).
  void observe_journal(RunJournal::Observer observer) { journal_observer_ = std::move(observer); }

  // ---- invariants (issue 16): checked at the end of run() ----
  //! The first invariant the run broke, or none.
  const std::optional<InvariantViolation>& invariant_violation() const { return violation_; }
  //! The witness fed while running (tests inject breaches through it, then check again).
  InvariantWitness& invariants() { return *witness_; }
  //! Checks the invariants over the run's state now (run() does it once at its end).
  std::optional<InvariantViolation> check_invariants();
  //! Σ opening balances of riders' accounts.
  Money opening_balances() const { return opening_; }
  //! Bytes of one rider's Wallet object and its heap (tokens held) on average at the end.
  size_t wallet_bytes_per_hce_rider() const;

  //! The run's attackers (nullptr without any; issue 16).
  const Adversaries* adversaries() const { return adversaries_.get(); }

  // The simulator's interface.
  void handle(const sim::Event& e, Sim& sim);
  //! Staged prefetch of a rider event's state (stage 0: the rider's wallet slot, flags and trip
  //! row; 1: the wallet and the trip's path offsets; 2: the wallet's tokens and the path's legs),
  //! so a tap's chain of cache misses overlaps the events before it.
  //! noipa: it only reads and prefetches, so GCC's analysis finds it free of side effects and
  //! drops every call (measured: no prefetch left in the event loop). Clang has no noipa and
  //! keeps the calls (its prefetch intrinsic counts as touching memory).
#if defined(__clang__)
  void prefetch(const sim::Event& e, int stage) const;
#else
  __attribute__((noipa)) void prefetch(const sim::Event& e, int stage) const;
#endif
  const char* kind_name(uint32_t kind) const;

private:
  friend class Adversaries; // issue 16: attackers act on the run's validators, wallets and cloud

  struct TapRef {
    uint32_t trip = 0;
    uint32_t tap = 0;
    bool retry = false;
    bool fallback = false;
    uint32_t parity = 0;
  };
  static uint32_t pack(const TapRef& t);
  static TapRef unpack(uint32_t payload);

  void start_day(uint32_t day);
  void trip_start(uint32_t rider, uint32_t payload);
  void tap(uint32_t rider, uint32_t payload);
  //! Fills rides_ and taps_ for a planned trip (a journey, or a Poisson tap).
  void expand(const PlannedTrip& trip);
  void next_tap(uint32_t rider, TapRef ref, Time when);
  //! -1 when the tap was accepted, else the failure reason (kNoTokenRefusal or a TapRefusal).
  int hce_tap(uint32_t rider, const PlannedTap& t, uint32_t validator);
  void maybe_request(uint32_t rider, bool app_open);
  bool wants_tokens(const hce::Wallet& w) const;
  uint32_t fresh_tokens(const hce::Wallet& w) const;
  void drop_spent(hce::Wallet& w);
  void issuing_notice(const Notice& n);
  //! A rider told by the issuer that the balance is too low (or the account blocked for debt)
  //! plans a manual top-up, if it is one who tops up by hand and has none planned: after an
  //! exponential wait of mean manual_delay.
  void plan_manual_top_up(uint32_t rider);
  // After a failed token request the phone asks again by itself when its back-off ends.
  void plan_retry(uint32_t rider, const hce::Wallet& w);
  void plan_check(uint32_t rider, Time at); //!< a phone check at `at`, unless one is pending
  //! With refill.background the phone looks at its tokens in the background when its rule can
  //! next turn true by time alone (no tap need come first): under BEFORE_EXPIRY when the latest
  //! usable token comes within before_expiry of its expiry, or, if that has passed (the
  //! wallet-size cap held the request back), when the earliest usable one expires; under the other
  //! rules when the earliest usable token expires (taps left drop; the last one empties the
  //! wallet). Whole seconds, plus the rider's own jitter (refill.background_spread, under
  //! BEFORE_EXPIRY at most half the window), so wallets filled together do not all ask together.
  //! Planned after every grant and look (and tap, under BEFORE_EXPIRY); a plan earlier than the
  //! pending one replaces it.
  //! None after the measured days.
  void plan_refill_check(uint32_t rider);
  void manual_top_up(uint32_t rider);
  void upload(uint32_t v);
  void settlement_notice(const Notice& n);
  void settle(uint32_t slot, bool acknowledge);
  void warmup_end();
  // Faults hooks (issue 16).
  void fault(uint32_t change);
  void restart_app(uint32_t rider, bool wallet_lost);
  //! The rider's phone is lost (issue 16): returns its wallet; the rider has no HCE phone from
  //! now on (taps by physical card) and an answer to a request in flight is wasted.
  hce::Wallet lose_phone(uint32_t rider);
  //! Applies the upload's fate to the batch in `slot`; false when nothing reaches the cloud.
  bool upload_reaches_cloud(uint32_t slot);
  void finish();
  Place place_of(uint32_t rider) const;
  // Results beyond the counters (city_run_results.cc): the credit exposure check at each minute and
  // the timeseries rows at each minute tick, what the warm-up reset must carry, the last row.
  void start_results(Time from);
  void observe_tick();
  //! Closes the timeseries rows that end at or before `now`, before an event at `now` runs: a
  //! row [start, end) holds what happened before its end, as the hour segments count it.
  void close_series_rows(Time now);
  void before_warmup_reset(Time now);
  void finish_results(Time now);
  TimeseriesWriter::Totals series_totals(Time now) const;
  TimeseriesWriter::Snapshot series_snapshot() const;
  //! `count` journeys or taps at the city's maximum fare (0 when the fares are in another
  //! currency than the city's).
  Money at_max_fare(int64_t count) const;
  //! A tap of `kind` validator v accepted and stored: counted, and its fare at risk
  //! (CityFares::at_risk) held as unsent until the cloud receives its record.
  void tap_stored(uint32_t v, hce::TapKind kind);
  //! Validator v has reached the cloud at `now` (an acknowledged upload, or a check-in with
  //! nothing to send): its clock is set right, and it learns the current keys and denylist.
  void sync_validator(uint32_t v, Time now);

  const ScenarioConfig& cfg_;
  const World& world_;
  RunKpis* kpis_ = nullptr;
  std::unique_ptr<RunKpis> kpis_storage_;
  Sim sim_;
  TripPlanner planner_;
  DayPlan plans_[2];
  Connectivity phones_;
  ValidatorDirectory directory_;
  CityFares fares_;
  BankLink bank_;
  RunJournal journal_;
  hce::IssuerKeyring keys_;
  KeyRotation rotation_;
  std::unique_ptr<hce::SettlementChecker> checks_;
  std::unique_ptr<cloud::AccountServices> services_;
  std::unique_ptr<hce::Issuer> issuer_;
  hce::IssuePolicy issue_policy_;
  hce::AesCmac cloud_denylist_key_;
  hce::AesCmac scratch_;
  hce::TapResponseEncoder response_encoder_; //!< every phone's answer goes through the wire
  StreamRandomSource issuer_random_;
  StreamRandomSource validator_random_;
  ServiceQueue issuing_;
  ServiceQueue settlement_;

  // Per rider.
  std::vector<uint32_t> wallet_of_; //!< index into wallets_, or kNoWallet
  std::vector<hce::Wallet> wallets_;
  std::vector<uint8_t> rider_flags_;
  //! refill.background only: each rider's pending check, whole seconds from the epoch (4 bytes,
  //! not 8: one a rider), kNoRefillCheck for none.
  std::vector<uint32_t> refill_check_s_;
  LookCalendar looks_; //!< the looks planned beyond the next minute

  // Per validator.
  std::vector<std::unique_ptr<hce::Validator>> validators_;
  std::vector<uint8_t> uploading_;
  // Batches in the settlement queue, by tag.
  std::vector<hce::TapBatch> batches_;
  std::vector<uint32_t> free_batches_;

  std::vector<Ride> rides_;
  std::vector<PlannedTap> taps_;
  Money opening_;
  uint64_t trip_hash_ = 0;
  uint32_t most_fresh_ = 0;
  uint64_t accepted_total_ = 0;
  uint64_t received_total_ = 0;
  int64_t unsent_minor_ = 0; //!< Σ at_risk of accepted taps whose records the cloud lacks
  Time days_end_;
  TimeseriesWriter* series_ = nullptr;
  // Invariants hook (issue 16).
  std::unique_ptr<InvariantWitness> witness_;
  std::optional<InvariantViolation> violation_;
  RunJournal::Observer journal_observer_;
  // Faults hook (issue 16): null without a faults block (the run is then exactly as before).
  std::unique_ptr<FaultSchedule> faults_;
  std::vector<uint8_t> batch_twice_; //!< by batch slot: the upload arrives twice
  // Issue 16: the attackers (none unless the scenario has some) and a test's journal observer.
  std::unique_ptr<Adversaries> adversaries_;
};

} // namespace hcesim::models
