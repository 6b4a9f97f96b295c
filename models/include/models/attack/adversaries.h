#pragma once
// The attackers of a city run (DESIGN §4): key holders whose accomplice phones carry copies of
// their real wallet, honest-but-broke riders whose bank declines every top-up, validators forging
// records with their SAM key, relays of a victim's phone, token-request flooders with
// throwaway accounts, and finders of lost phones. Each attacker's phone is the real hce::Wallet
// with what the attacker has; this model decides where and when it taps, and measures what it costs
// (AttackKpis).
#include "hce/cloud/journal_record.h"
#include "hce/token/tap.h"
#include "hce/token/wallet.h"
#include "models/attack/attack_kpis.h"
#include "models/cloud_queue/service_queue.h"
#include "models/run/city_run.h"
#include "sim/event.h"
#include "sim/random_stream.h"

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

namespace hcesim::models {

class Adversaries {
public:
  //! Picks and sets up every attacker of cfg.attackers in `run` (accounts, devices, wallets); the
  //! run must be fully set up except for its events.
  explicit Adversaries(CityRun& run);

  //! Schedules the attackers' first actions (call from CityRun::run()).
  void start();
  //! One attacker action (event kind CityRun::kAttack, entity = the actor).
  void act(uint32_t actor);

  //! A population rider's tap at validator v: accepted (with the token header used and the
  //! record's sequence) or refused (`reason` ≥ 0).
  void rider_tap_accepted(uint32_t rider, uint32_t v, const hce::TokenHeader& header);
  void rider_tap_refused(uint32_t rider, int reason);
  //! The issuing queue's notice for a client above the riders (a flooder).
  void issuing_notice(const Notice& n);
  //! Every cloud journal record (settled taps: flags per record).
  void observe(const cloud::JournalRecord& record);
  //! True when the bank must decline every charge of this account (a broke rider).
  bool declines(AccountId account) const;

  //! Fills the run's attack KPIs at the end.
  void finish(RunKpis& kpis);

  const AttackKpis& kpis() const { return kpis_; }
  //! Riders who are broke / relay victims (tests).
  bool broke(uint32_t rider) const { return rider_role_[rider] == kRoleBroke; }
  bool victim(uint32_t rider) const { return rider_role_[rider] == kRoleVictim; }
  //! Distinct tokens a broke rider tapped with over the run (the exposure bound's factor).
  uint32_t broke_tokens(uint32_t rider) const;
  //! Forged records settlement accepted (must stay 0).
  uint64_t forged_settled() const { return forged_settled_; }

private:
  static constexpr uint8_t kRoleHonest = 0;
  static constexpr uint8_t kRoleBroke = 1;
  static constexpr uint8_t kRoleVictim = 2;
  static constexpr uint8_t kRoleLost = 3; //!< lost the phone (an honest owner)
  static constexpr uint32_t kNone = UINT32_MAX;

  //! One attacker: an account (key holder, flooder), a broke rider, a forging validator or a relay.
  struct Attacker {
    AttackerKind kind = AttackerKind::kKeyHolder;
    AccountId account;      //!< key holder, broke rider, relay victim
    DeviceId device;        //!< key holder
    uint32_t rider = kNone; //!< broke rider, relay victim
    bool fraud_started = false;
    bool detected = false;
    Time first_fraud;
    uint64_t accepted_before_detection = 0;
    std::vector<TokenId> tokens; //!< broke rider: distinct tokens tapped
    uint32_t first_actor = 0;    //!< key holder's phones, flooder's throwaway accounts: the first
    uint32_t actors = 0;         //!< and how many
    Time lost_at;                //!< lost phone: when it passes to the finder
  };
  //! Something that acts on its own clock: an accomplice phone, a relay, a forging validator or a
  //! flooder.
  struct Actor {
    uint32_t attacker = 0;
    uint32_t wallet = kNone;    //!< accomplice phone: its copy of the key holder's wallet
    uint32_t validator = kNone; //!< forging validator
    uint32_t split = 0;         //!< split counters: 1 = lower half, 2 = upper half, 0 = none
    uint32_t next_account = 0;  //!< flooder: the throwaway account to use next
    bool reports = false;       //!< lost phone: the owner, who reports the loss
    bool stopped = false;
    double per_hour = 1;
  };

  void add_key_holders(uint32_t n);
  void add_broke(uint32_t n);
  void add_forgers(uint32_t n);
  void add_relays(uint32_t n);
  void add_flooders(uint32_t n);
  void add_lost_phones(uint32_t n);
  //! A free HCE rider for `role`; marked not honest for the invariants unless `still_honest`.
  uint32_t pick_hce_rider(sim::RandomStream& s, uint8_t role, bool still_honest = false);
  //! Adds an attacker around honest rider r's account (a relay's victim, a lost phone's owner)
  //! with `actors` actors tapping at `per_hour`; returns the attacker's index.
  uint32_t add_around_rider(AttackerKind kind, uint32_t r, uint32_t actors);
  //! The next time actor a acts (Poisson within 06:00-23:00 of measured days), or none.
  void schedule_next(uint32_t a, Time after);

  //! What an attacker's tap at validator v is: an entry at a gate, a boarding at a bus reader.
  hce::TapKind kind_at(uint32_t v) const;
  //! Validator v's challenge to an attacker's phone now (of kind_at(v)).
  hce::TapChallenge challenge_at(uint32_t v, Time now);
  //! Actor a taps wallet `w` at a random gate or bus reader. None: the wallet had no token to
  //! answer with; else count_tap's verdict (true: refused as denylisted).
  std::optional<bool> tap_anywhere(uint32_t a, hce::Wallet& w, Time now);
  void phone_tap(uint32_t a);
  void relay_tap(uint32_t a);
  void forge(uint32_t a);
  void flood(uint32_t a);
  //! A lost phone's actor: the finder takes the phone or taps with it; the owner reports.
  void lost_phone(uint32_t a);
  //! Keeps a split phone's wallet on its half of every token's counters.
  void keep_split(uint32_t a);
  //! Counts a validator's answer to attacker `who`'s tap; returns true when refused as denylisted.
  bool count_tap(uint32_t who, uint32_t v, const hce::TapOutcome& out, Time now);
  void count_detection(Attacker& at, Time now);
  hce::Wallet& rider_wallet(uint32_t rider);

  CityRun& run_;
  StreamRandomSource random_; //!< the attackers' own token ids, challenges and guesses
  AttackKpis kpis_;
  std::vector<Attacker> attackers_;
  std::vector<Actor> actors_;
  std::vector<sim::RandomStream> streams_; //!< per actor
  std::vector<hce::Wallet> phones_;        //!< accomplice phones' wallets
  std::vector<uint8_t> rider_role_;
  std::vector<uint32_t> attacker_of_rider_; //!< broke rider → attacker (kNone otherwise)
  std::vector<uint32_t> forger_of_;         //!< validator → attacker (kNone otherwise)
  //! A header a forging validator saw and the next counter it will forge over it (counting down
  //! from the limit, so it never repeats one of its own).
  struct Seen {
    hce::TokenHeader header;
    uint16_t next = 0;
  };
  std::vector<std::vector<Seen>> seen_;                        //!< per forging validator
  std::vector<std::pair<AccountId, DeviceId>> flood_accounts_; //!< throwaway accounts
  //! Records made by attackers: (validator, sequence) → attacker.
  std::unordered_map<uint64_t, uint32_t> records_;
  std::vector<uint8_t> forged_; //!< per attacker: is a forging validator
  uint64_t forged_settled_ = 0;
  Money lost_loss_; //!< fraud-loss fares of lost phones' taps after the report
  uint64_t next_account_ = 0;
  Time active_from_;
  Time active_until_;
};

} // namespace hcesim::models
