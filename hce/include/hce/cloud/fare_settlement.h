#pragma once
// Fare settlement: turns checked taps (late, out of order, re-sent) into ledger charges. Per
// account it pairs metro entries with exits, prices each service day's journeys in tap order with
// the fare engine, charges a journey once, and posts a correction when a late tap changes an
// already-charged journey, so final balances do not depend on the order taps arrived in (as long
// as each arrives before its journey's day closes: SettlementPolicy::day_closes_after).
#include "hce/cloud/account_index.h"
#include "hce/cloud/clone_policy.h"
#include "hce/cloud/journal.h"
#include "hce/cloud/journey_pricer.h"
#include "hce/cloud/ledger.h"

#include <cstdint>
#include <map>
#include <queue>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace hcesim::cloud {

struct SettlementPolicy {
  //! How long an entry waits for its exit (and an exit for its entry) before the journey is
  //! charged the maximum fare; also the longest entry-to-exit time that pairs.
  Duration exit_window = Duration::hours(3);
  //! Service days start at this time of day (fares, transfers and caps are per service day).
  Duration service_day_start = Duration::zero();
  //! The account clones' taps are charged to (opened by the account services).
  AccountId fraud_loss_account{~uint64_t{0}};
  //! A service day closes this long after it ends: settlement lets go of its journeys and taps
  //! (the journal holds them), so a run of weeks holds about this much history, not all of it. A
  //! tap of a closed day arriving later is journaled but charged nobody (counted:
  //! taps_after_close); a tap whose journey began on a closed day (an exit after midnight) leaves
  //! that journey's charge as it was. A city run sets it from its upload intervals.
  Duration day_closes_after = Duration::days(7);
};

class FareSettlement {
public:
  //! A journey's running charge (what has been posted for it so far). Packed (32 bytes, not 56):
  //! a million riders' books hold a few each.
  struct PostedJourney {
    uint64_t sequence = 0;     //!< the journey's first record: its sequence at `validator`
    int64_t charged_minor = 0; //!< the journey's fare as now posted (≥ 0), in the ledger's currency
    ValidatorId validator;
    int32_t day = 0; //!< service day
    uint32_t revisions = 0;
    bool fraud = false; //!< the fraud-loss account's journey
    JourneyKey key() const { return JourneyKey{TapRecordId{validator, sequence}, fraud}; }
  };
  //! Settlement's view of one account: its taps in tap order and its journeys' charges.
  //! Books are kept by the account's ledger row (an account with no tap yet has an empty one).
  struct Book {
    AccountId account;
    std::vector<BookTap> taps;
    std::vector<PostedJourney> posted;
  };
  struct Deadline {
    Time at;
    uint32_t book = 0; //!< the account's ledger row
    int64_t day = 0;
    //! A total order, so the heap pops the same sequence however it was built (a restored heap
    //! is built differently from the one that ran).
    bool operator>(const Deadline& o) const {
      if (at != o.at) {
        return at > o.at;
      }
      return book != o.book ? book > o.book : day > o.day;
    }
  };
  struct Figures {
    uint64_t taps_received = 0;
    uint64_t journeys_charged = 0; //!< journeys charged at least once
    int64_t lag_sum_us = 0;        //!< Σ over charged journeys of first charge − last tap time
    Duration lag_max;
    int64_t fraud_loss_minor = 0;  //!< Σ of fares booked to the fraud-loss account
    uint64_t taps_after_close = 0; //!< taps of a closed service day: journaled, not charged
  };
  struct State {
    std::vector<Book> books; //!< by ledger row (Ledger::row), so no index of their own
    std::priority_queue<Deadline, std::vector<Deadline>, std::greater<>> deadlines;
    Figures figures;
    std::map<AccountId, Time> lost; //!< accounts whose phone was reported lost, and when
    //! Per account, its tokens with a clone-flagged tap (rare: kept off the books).
    std::map<AccountId, std::vector<TokenId>> cloned_tokens;
  };
  //! kDayClosed: the tap's service day had closed (journaled, charged nobody).
  enum class Receipt : uint8_t { kAccepted, kDuplicate, kUnknownAccount, kDayClosed };
  //! What settlement holds but has not charged: taps waiting for their other end.
  struct Pending {
    uint64_t taps = 0;
    Money max_fares; //!< what they would cost if their other end never came
  };

  FareSettlement(ChangeLog& log, const Ledger& ledger, const JourneyPricer& pricer,
                 SettlementPolicy policy);

  //! Takes one checked tap; reprices the service days it can change and posts what changed.
  //! `touched` collects accounts whose balance may have moved.
  Receipt receive(const SettlementTap& tap, Time now, std::vector<AccountId>& touched);
  //! True when the tap (the same record at the same tap time) is held already: a re-send.
  bool holds(const SettlementTap& tap) const;
  //! Charges journeys whose window has run out by `now`.
  void advance(Time now, std::vector<AccountId>& touched);

  void apply(const TapReceived& received);
  void apply(const JourneyCharged& charged);
  void apply(const DeadlinesPassed& passed);
  //! Notes when an account's phone was reported lost (its first kDenyLost listing).
  void apply(const DenylistChanged& changed);
  //! After a lost report: reprices the account's days with taps from the report on, which the
  //! fraud-loss account pays now (clone_policy.h).
  void reprice_lost(AccountId account, Time now, std::vector<AccountId>& touched);
  //! When the account's phone was reported lost, if it was.
  std::optional<Time> lost_at(AccountId account) const;

  int64_t service_day(Time t) const { return (t - policy_.service_day_start).day(); }
  //! The earliest service day still open at `now` (earlier ones are closed).
  int64_t first_open_day(Time now) const { return service_day(now - policy_.day_closes_after); }
  Time day_start(int64_t day) const {
    return Time::epoch() + policy_.service_day_start + Duration::days(day);
  }
  const Book* book(AccountId account) const;
  const Figures& figures() const { return state_.figures; }
  Pending pending(Time now) const;
  //! Tokens of the account seen in settlement (the denylist lists them with the account).
  std::vector<TokenId> tokens_of(AccountId account) const;
  bool has_clone(AccountId account) const;
  const SettlementPolicy& policy() const { return policy_; }

  const State& state() const { return state_; }
  void restore(State state) { state_ = std::move(state); }

private:
  struct Journey {
    uint32_t first = 0; //!< indexes into the stream
    uint32_t last = 0;
    enum Status : uint8_t { kComplete, kIncomplete, kPending } status = kComplete;
  };
  void reprice(uint32_t book_index, int64_t day, Time now, std::vector<AccountId>& touched);
  void pair(const std::vector<const BookTap*>& stream, Time now, std::vector<Journey>& out) const;
  void charge_stream(const Book& b, int64_t day, bool fraud, Time now);
  std::optional<ClonePoint> clone_point_of(const Book& b, TokenId token) const;
  //! The account's tokens with a clone-flagged tap (none: an empty list).
  const std::vector<TokenId>& cloned_tokens(AccountId account) const;
  void mark_days(const Book& b, Time t, std::vector<int64_t>& days) const;
  //! Lets go of the book's days before `open`: their journeys, and their taps but those within an
  //! exit window of day `open` (a journey crossing midnight keeps both ends) and a clone's.
  void close_days(Book& b, int64_t open) const;
  //! The account's book's row, kNone when it has no tap yet.
  uint32_t book_row(AccountId account) const;

  ChangeLog* log_;
  const Ledger* ledger_;
  const JourneyPricer* pricer_;
  SettlementPolicy policy_;
  State state_;
  // Scratch space reused by reprice (no allocation per tap in the steady state).
  std::vector<const BookTap*> own_, fraud_, token_taps_;
  std::vector<Journey> journeys_;
  std::vector<int64_t> days_;
  std::vector<Deadline> due_; //!< what the DeadlinesPassed being applied popped
  std::vector<JourneyLeg> legs_;
  std::vector<Money> fares_;
  struct Desired {
    JourneyKey key;
    Money fare;
    uint32_t taps = 0;
    Time last_tap;
  };
  std::vector<Desired> desired_;
  static const std::vector<TokenId> kNoTokens;
};

} // namespace hcesim::cloud
