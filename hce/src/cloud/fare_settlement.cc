#include "hce/cloud/fare_settlement.h"

#include <algorithm>
#include <cassert>

namespace hcesim::cloud {

namespace {

// A book holds a day or two of one rider's taps and journeys (a handful): grow by one while
// small, then by half, not by doubling, so a million books do not carry empty room.
template <class T> void room_for_one(std::vector<T>& v) {
  if (v.size() == v.capacity()) {
    v.reserve(v.size() < 8 ? v.size() + 1 : v.size() + v.size() / 2);
  }
}

// When a book lets go of closed days (at its account's next tap), room left mostly empty goes
// too: else each book keeps the room of the busiest days it ever held, and a run of weeks grows
// by that creep (100,000 riders x 26 days: peak 506 MB before, 486 MB after).
template <class T> void give_back_room(std::vector<T>& v) {
  if (v.capacity() > 8 && v.capacity() > 2 * v.size()) {
    v.shrink_to_fit();
  }
}

// Books hold a million riders' taps and journeys: keep them packed.
static_assert(sizeof(SettlementTap) <= 64);
static_assert(sizeof(BookTap) <= 48);
static_assert(sizeof(FareSettlement::PostedJourney) <= 32);

// The first of a book's taps (in tap order) at or after t.
template <class Taps> auto first_tap_from(Taps& taps, Time t) {
  return std::lower_bound(taps.begin(), taps.end(), t,
                          [](const BookTap& x, Time y) { return x.tapped_at < y; });
}

} // namespace

FareSettlement::FareSettlement(ChangeLog& log, const Ledger& ledger, const JourneyPricer& pricer,
                               SettlementPolicy policy)
    : log_(&log), ledger_(&ledger), pricer_(&pricer), policy_(policy) {
  assert(policy_.exit_window > Duration::zero());
}

const std::vector<TokenId> FareSettlement::kNoTokens;

const std::vector<TokenId>& FareSettlement::cloned_tokens(AccountId account) const {
  const auto it = state_.cloned_tokens.find(account);
  return it == state_.cloned_tokens.end() ? kNoTokens : it->second;
}

uint32_t FareSettlement::book_row(AccountId account) const {
  const uint32_t row = ledger_->row(account);
  // kNone is past the end; a row no tap has reached holds an empty book, which is no book.
  return row < state_.books.size() && !state_.books[row].taps.empty() ? row : AccountIndex::kNone;
}

const FareSettlement::Book* FareSettlement::book(AccountId account) const {
  const uint32_t row = book_row(account);
  return row == AccountIndex::kNone ? nullptr : &state_.books[row];
}

FareSettlement::Receipt FareSettlement::receive(const SettlementTap& tap, Time now,
                                                std::vector<AccountId>& touched) {
  // Books are by ledger row: the ledger's own index finds both (no second index to keep).
  const uint32_t row = ledger_->row(tap.account);
  if (row == AccountIndex::kNone) {
    return Receipt::kUnknownAccount;
  }
  const Book* existing = row < state_.books.size() ? &state_.books[row] : nullptr;
  if (existing != nullptr) {
    const BookTap kept = book_tap(tap);
    auto it =
        std::lower_bound(existing->taps.begin(), existing->taps.end(), kept, tap_order<BookTap>);
    if (it != existing->taps.end() && it->record == tap.record) {
      return Receipt::kDuplicate; // the same record at the same time: a re-send
    }
  }
  if (service_day(tap.tapped_at) < first_open_day(now)) {
    log_->commit(TapReceived{tap, now}); // kept in the journal, counted; its day's fares are final
    if (tap.clone_flagged) {
      touched.push_back(tap.account); // its clone flag still lists the account and token
    }
    return Receipt::kDayClosed;
  }
  std::optional<ClonePoint> before;
  const std::vector<TokenId>& cloned = cloned_tokens(tap.account);
  const bool cloned_token =
      tap.clone_flagged || std::find(cloned.begin(), cloned.end(), tap.token) != cloned.end();
  if (cloned_token && existing != nullptr) {
    before = clone_point_of(*existing, tap.token);
  }
  log_->commit(TapReceived{tap, now}); // may grow the books: `existing` is not used after
  std::vector<int64_t>& days = days_;
  days.clear();
  mark_days(state_.books[row], tap.tapped_at, days);
  if (cloned_token) {
    const Book& b = state_.books[row];
    const std::optional<ClonePoint> after = clone_point_of(b, tap.token);
    const bool moved = before.has_value() != after.has_value() ||
                       (before && (before->at != after->at || before->record != after->record));
    if (moved) {
      // Taps of the token may have changed payer: reprice every day they can reach.
      for (const BookTap& t : b.taps) {
        if (t.token == tap.token) {
          mark_days(b, t.tapped_at, days);
        }
      }
    }
  }
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  for (int64_t d : days) {
    reprice(row, d, now, touched);
  }
  touched.push_back(tap.account);
  return Receipt::kAccepted;
}

bool FareSettlement::holds(const SettlementTap& tap) const {
  const Book* b = book(tap.account);
  if (b == nullptr) {
    return false;
  }
  auto it = std::lower_bound(b->taps.begin(), b->taps.end(), book_tap(tap), tap_order<BookTap>);
  return it != b->taps.end() && it->record == tap.record;
}

void FareSettlement::advance(Time now, std::vector<AccountId>& touched) {
  if (state_.deadlines.empty() || state_.deadlines.top().at > now) {
    return;
  }
  log_->commit(DeadlinesPassed{now}); // pops the due deadlines into due_
  const std::vector<Deadline> due = std::move(due_);
  due_.clear();
  for (const Deadline& d : due) {
    reprice(d.book, d.day, now, touched);
    touched.push_back(state_.books[d.book].account);
  }
}

void FareSettlement::apply(const DeadlinesPassed& passed) {
  due_.clear();
  while (!state_.deadlines.empty() && state_.deadlines.top().at <= passed.now) {
    due_.push_back(state_.deadlines.top());
    state_.deadlines.pop();
  }
}

void FareSettlement::apply(const DenylistChanged& changed) {
  if ((changed.reasons & kDenyLost) != 0) {
    state_.lost.emplace(changed.account, changed.at); // the first report counts
  }
}

std::optional<Time> FareSettlement::lost_at(AccountId account) const {
  const auto it = state_.lost.find(account);
  return it == state_.lost.end() ? std::nullopt : std::optional<Time>(it->second);
}

void FareSettlement::reprice_lost(AccountId account, Time now, std::vector<AccountId>& touched) {
  const uint32_t index = book_row(account);
  const std::optional<Time> from = lost_at(account);
  if (index == AccountIndex::kNone || !from) {
    return; // no tap yet (an empty book's row included): nothing to reprice, no one to review
  }
  const Book& b = state_.books[index];
  std::vector<int64_t>& days = days_;
  days.clear();
  for (const BookTap& t : b.taps) {
    if (t.tapped_at >= *from) {
      mark_days(b, t.tapped_at, days);
    }
  }
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  for (int64_t d : days) {
    reprice(index, d, now, touched);
  }
  touched.push_back(account);
}

void FareSettlement::mark_days(const Book& b, Time t, std::vector<int64_t>& days) const {
  // A tap at t can change its own journey and, pairing being local, the journeys of the taps
  // within one window of it (in either stream): their service days are the ones to reprice.
  days.push_back(service_day(t));
  const Duration w = policy_.exit_window;
  for (auto it = first_tap_from(b.taps, t - w); it != b.taps.end() && it->tapped_at <= t + w;
       ++it) {
    if (days.back() != service_day(it->tapped_at)) {
      days.push_back(service_day(it->tapped_at));
    }
  }
}

std::optional<ClonePoint> FareSettlement::clone_point_of(const Book& b, TokenId token) const {
  std::vector<const BookTap*> taps;
  for (const BookTap& t : b.taps) {
    if (t.token == token) {
      taps.push_back(&t);
    }
  }
  return find_clone_point(taps);
}

void FareSettlement::pair(const std::vector<const BookTap*>& stream, Time now,
                          std::vector<Journey>& out) const {
  // A local rule, so any window of the stream pairs its inside as the whole stream does: an
  // entry pairs with the very next tap when that is an exit within the window.
  out.clear();
  const Duration w = policy_.exit_window;
  const auto n = static_cast<uint32_t>(stream.size());
  for (uint32_t i = 0; i < n; ++i) {
    const BookTap& t = *stream[i];
    if (t.kind == TapKind::kFlat) {
      out.push_back(Journey{i, i, Journey::kComplete});
      continue;
    }
    if (t.kind == TapKind::kEntry && i + 1 < n && stream[i + 1]->kind == TapKind::kExit &&
        stream[i + 1]->tapped_at - t.tapped_at <= w) {
      out.push_back(Journey{i, i + 1, Journey::kComplete});
      ++i;
      continue;
    }
    out.push_back(Journey{i, i, now >= t.tapped_at + w ? Journey::kIncomplete : Journey::kPending});
  }
}

void FareSettlement::reprice(uint32_t book_index, int64_t day, Time now,
                             std::vector<AccountId>& touched) {
  if (day < first_open_day(now)) {
    return; // closed: its journeys were let go, so repricing would charge them again
  }
  const Book& b = state_.books[book_index];
  const Duration w = policy_.exit_window;
  const Time hi = day_start(day) + Duration::days(1) + w;
  auto it = first_tap_from(b.taps, day_start(day) - w);
  // Clone points of this account's cloned tokens, found once per reprice.
  std::vector<std::pair<TokenId, std::optional<ClonePoint>>> points;
  for (TokenId token : cloned_tokens(b.account)) {
    points.emplace_back(token, clone_point_of(b, token));
  }
  const std::optional<Time> lost = lost_at(b.account);
  own_.clear();
  fraud_.clear();
  for (; it != b.taps.end() && it->tapped_at <= hi; ++it) {
    std::optional<ClonePoint> clone;
    for (const auto& [token, point] : points) {
      if (token == it->token) {
        clone = point;
      }
    }
    (paid_by_fraud_loss(*it, clone, lost) ? fraud_ : own_).push_back(&*it);
  }
  charge_stream(b, day, false, now);
  if (!fraud_.empty() || !points.empty() || lost) {
    charge_stream(state_.books[book_index], day, true, now);
    touched.push_back(policy_.fraud_loss_account);
  }
}

void FareSettlement::charge_stream(const Book& b, int64_t day, bool fraud, Time now) {
  const std::vector<const BookTap*>& stream = fraud ? fraud_ : own_;
  pair(stream, now, journeys_);
  const Currency currency = ledger_->currency();
  legs_.clear();
  desired_.clear();
  for (const Journey& j : journeys_) {
    const BookTap& first = *stream[j.first];
    const BookTap& last = *stream[j.last];
    if (j.status == Journey::kPending || service_day(first.tapped_at) != day) {
      continue;
    }
    Desired d{JourneyKey{first.record, fraud}, Money(0, currency), j.last - j.first + 1,
              last.tapped_at};
    if (j.status == Journey::kIncomplete) {
      d.fare = pricer_->max_fare(first.record.validator);
    } else {
      legs_.push_back(JourneyLeg{first.kind == TapKind::kFlat ? LegKind::kFlat : LegKind::kMetro,
                                 first.record.validator, last.record.validator, first.stop,
                                 last.stop, first.tapped_at, last.tapped_at});
      d.fare = Money(-1, currency); // priced below
    }
    desired_.push_back(d);
  }
  fares_.assign(legs_.size(), Money(0, currency));
  if (!legs_.empty()) {
    pricer_->price_day(legs_, fares_);
  }
  size_t next_fare = 0;
  for (Desired& d : desired_) {
    if (d.fare.minor() == -1) {
      d.fare = fares_[next_fare++];
    }
    assert(!d.fare.is_negative());
  }

  const AccountId payer = fraud ? policy_.fraud_loss_account : b.account;
  const AccountId rider = b.account;
  auto post = [&](JourneyKey key, Money old_charge, Money new_charge, uint32_t revision,
                  uint32_t taps, Time last_tap) {
    assert(revision < (1u << 23));
    const EntryReason reason = fraud           ? EntryReason::kFraudLoss
                               : revision == 0 ? EntryReason::kFare
                                               : EntryReason::kFareCorrection;
    const uint64_t a = (uint64_t{key.first.validator.value()} << 24) |
                       (uint64_t{fraud ? 1u : 0u} << 23) | revision;
    LedgerEntry entry{ledger_->next_sequence(),
                      payer,
                      old_charge - new_charge,
                      reason,
                      IdempotencyKey::make(KeyScope::kJourney, a, key.first.sequence),
                      now};
    log_->commit(JourneyCharged{entry, rider, key, day, revision, taps,
                                revision == 0 ? now - last_tap : Duration::zero()});
  };
  // Postings go through the change log, which appends to b.posted: index, don't hold iterators.
  const size_t posted_before = b.posted.size();
  for (const Desired& d : desired_) {
    size_t found = posted_before;
    for (size_t i = 0; i < posted_before; ++i) {
      if (b.posted[i].key() == d.key) {
        found = i;
        break;
      }
    }
    if (found == posted_before) {
      post(d.key, Money(0, currency), d.fare, 0, d.taps, d.last_tap);
    } else if (b.posted[found].charged_minor != d.fare.minor()) {
      post(d.key, Money(b.posted[found].charged_minor, currency), d.fare, b.posted[found].revisions,
           d.taps, d.last_tap);
    }
  }
  for (size_t i = 0; i < posted_before; ++i) {
    const PostedJourney& p = b.posted[i];
    if (p.day != day || p.fraud != fraud || p.charged_minor == 0) {
      continue;
    }
    const JourneyKey key = p.key();
    const bool still = std::any_of(desired_.begin(), desired_.end(),
                                   [&](const Desired& d) { return d.key == key; });
    if (!still) {
      post(key, Money(p.charged_minor, currency), Money(0, currency), p.revisions, 0, now);
    }
  }
}

void FareSettlement::apply(const TapReceived& received) {
  const SettlementTap& tap = received.tap;
  const uint32_t row = ledger_->row(tap.account);
  assert(row != AccountIndex::kNone && "receive() refuses an account the ledger does not hold");
  auto& books = state_.books;
  if (row >= books.size()) {
    // One book per ledger row: room for every account opened so far at once (riders' accounts
    // open before they tap), then by half for accounts opened later.
    const size_t rows = ledger_->accounts().size();
    if (rows > books.capacity()) {
      books.reserve(std::max(rows, books.capacity() + books.capacity() / 2));
    }
    books.resize(rows);
  }
  Book& b = books[row];
  b.account = tap.account;
  if (tap.clone_flagged) { // also from a closed day's tap: the token stays a clone's
    std::vector<TokenId>& cloned = state_.cloned_tokens[tap.account];
    if (std::find(cloned.begin(), cloned.end(), tap.token) == cloned.end()) {
      cloned.push_back(tap.token);
    }
  }
  const int64_t open = first_open_day(received.at); // the record's own time: a replay agrees
  close_days(b, open);
  if (service_day(tap.tapped_at) < open) {
    ++state_.figures.taps_after_close;
    return;
  }
  room_for_one(b.taps);
  const BookTap kept = book_tap(tap);
  b.taps.insert(std::upper_bound(b.taps.begin(), b.taps.end(), kept, tap_order<BookTap>), kept);
  ++state_.figures.taps_received;
  if (tap.kind != TapKind::kFlat) {
    state_.deadlines.push(
        Deadline{tap.tapped_at + policy_.exit_window, row, service_day(tap.tapped_at)});
  }
}

void FareSettlement::close_days(Book& b, int64_t open) const {
  if (!b.taps.empty() && service_day(b.taps.front().tapped_at) < open) {
    const auto end = first_tap_from(b.taps, day_start(open) - policy_.exit_window);
    // A cloned token's taps stay (rare): its clone point, and so who pays for its later taps,
    // must not move when the early ones go.
    const std::vector<TokenId>& cloned = cloned_tokens(b.account);
    const auto kept = std::remove_if(b.taps.begin(), end, [&](const BookTap& t) {
      return std::find(cloned.begin(), cloned.end(), t.token) == cloned.end();
    });
    b.taps.erase(kept, end);
  }
  std::erase_if(b.posted, [&](const PostedJourney& p) { return p.day < open; });
  give_back_room(b.taps);
  give_back_room(b.posted);
}

void FareSettlement::apply(const JourneyCharged& charged) {
  const uint32_t row = ledger_->row(charged.rider);
  assert(row < state_.books.size() && "a journey is charged after its taps were received");
  Book& b = state_.books[row];
  auto it = std::find_if(b.posted.begin(), b.posted.end(),
                         [&](const PostedJourney& p) { return p.key() == charged.journey; });
  if (it == b.posted.end()) {
    room_for_one(b.posted);
    PostedJourney& p = b.posted.emplace_back();
    p.sequence = charged.journey.first.sequence;
    p.validator = charged.journey.first.validator;
    p.fraud = charged.journey.fraud;
    p.day = static_cast<int32_t>(charged.day); // service_day of a µs clock: |day| < 2^27
    it = b.posted.end() - 1;
  }
  assert(it->revisions == charged.revision);
  // Through Money: overflow and a foreign currency are errors, as the ledger's own sums.
  it->charged_minor =
      (Money(it->charged_minor, ledger_->currency()) - charged.entry.amount).minor();
  ++it->revisions;
  if (charged.revision == 0) {
    ++state_.figures.journeys_charged;
    state_.figures.lag_sum_us += charged.lag.us();
    state_.figures.lag_max = std::max(state_.figures.lag_max, charged.lag);
  }
  if (charged.journey.fraud) {
    state_.figures.fraud_loss_minor -= charged.entry.amount.minor();
  }
}

FareSettlement::Pending FareSettlement::pending(Time now) const {
  Pending out{0, Money(0, ledger_->currency())};
  std::vector<const BookTap*> own;
  std::vector<const BookTap*> fraud;
  std::vector<Journey> journeys;
  for (const Book& b : state_.books) {
    if (b.taps.empty()) {
      continue; // a row no tap has reached
    }
    own.clear();
    fraud.clear();
    const std::optional<Time> lost = lost_at(b.account);
    const std::vector<TokenId>& cloned_list = cloned_tokens(b.account);
    for (const BookTap& t : b.taps) {
      const bool cloned =
          std::find(cloned_list.begin(), cloned_list.end(), t.token) != cloned_list.end();
      const std::optional<ClonePoint> clone =
          cloned ? clone_point_of(b, t.token) : std::optional<ClonePoint>();
      (paid_by_fraud_loss(t, clone, lost) ? fraud : own).push_back(&t);
    }
    for (const auto* stream : {&own, &fraud}) {
      pair(*stream, now, journeys);
      for (const Journey& j : journeys) {
        if (j.status == Journey::kPending) {
          ++out.taps;
          out.max_fares += pricer_->max_fare((*stream)[j.first]->record.validator);
        }
      }
    }
  }
  return out;
}

std::vector<TokenId> FareSettlement::tokens_of(AccountId account) const {
  std::vector<TokenId> tokens;
  if (const Book* b = book(account)) {
    for (const BookTap& t : b->taps) {
      tokens.push_back(t.token);
    }
  }
  std::sort(tokens.begin(), tokens.end());
  tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
  return tokens;
}

bool FareSettlement::has_clone(AccountId account) const {
  return !cloned_tokens(account).empty();
}

} // namespace hcesim::cloud
