#pragma once
// The cloud services' properties over one random history (shared by the quick and slow suites).
#include "history.h"

#include <gtest/gtest.h>

namespace hcesim::cloud::testing {

inline int64_t top_ups_of(const Ledger& ledger, AccountId account) {
  int64_t sum = 0;
  for (const LedgerEntry& e : ledger.entries()) {
    if (e.account == account && e.reason == EntryReason::kTopUp) {
      sum += e.amount.minor();
    }
  }
  return sum;
}

//! Every journey charged exactly its oracle fare, money conserved, no top-up applied twice.
inline void expect_settled_exactly(const AccountServices& s, const FakeBank& bank, const History& h,
                                   const std::string& where) {
  const auto expected = oracle(h.records, TestPricer(), SettlementPolicy{}.exit_window);
  std::map<AccountId, int64_t> fares;
  int64_t fraud = 0;
  for (const auto& [key, j] : expected) {
    (key.fraud ? fraud : fares[j.rider]) += j.fare;
  }
  const Ledger& ledger = s.ledger();
  for (const AccountSetup& a : h.accounts) {
    SCOPED_TRACE(where + " account " + a.id.to_string());
    const FareSettlement::Book* book = s.settlement().book(a.id);
    if (book != nullptr) {
      size_t keys = 0;
      for (const FareSettlement::PostedJourney& p : book->posted) {
        auto it = expected.find(p.key());
        const int64_t want = it == expected.end() ? 0 : it->second.fare;
        EXPECT_EQ(p.charged_minor, want)
            << "journey at validator " << p.validator.value() << " seq " << p.sequence;
        keys += it == expected.end() ? 0u : 1u;
      }
      size_t want_keys = 0;
      for (const auto& [key, j] : expected) {
        want_keys += j.rider == a.id ? 1u : 0u;
      }
      EXPECT_EQ(keys, want_keys) << "every journey of the final tap set is posted";
    }
    // Money: balance − opening = top-ups − fares (corrections included), from the entries.
    const int64_t top_ups = top_ups_of(ledger, a.id);
    EXPECT_EQ(ledger.balance(a.id).minor(), a.opening + top_ups - fares[a.id]);
    EXPECT_EQ(ledger.balance(a.id), ledger.sum_of_entries(a.id));
    // No top-up twice: each credit is one request the bank charged, for the amount it charged.
    std::map<TopUpId, int> credits;
    for (const LedgerEntry& e : ledger.entries()) {
      if (e.account == a.id && e.reason == EntryReason::kTopUp) {
        const TopUpId id{a.id, static_cast<uint32_t>(e.key.hi & 0xffffffffu)};
        ++credits[id];
        auto charged = bank.charged().find(id);
        ASSERT_NE(charged, bank.charged().end()) << "credited but never charged";
        EXPECT_EQ(charged->second, e.amount.minor());
      }
    }
    for (const auto& [id, n] : credits) {
      EXPECT_EQ(n, 1);
    }
    EXPECT_LE(top_ups, bank.charged_to(a.id));
  }
  EXPECT_EQ(ledger.balance(s.fraud_loss_account()).minor(), -fraud) << where;
  EXPECT_EQ(s.figures(h.ops.back().at).fraud_loss.minor(), fraud) << where;
  EXPECT_EQ(s.figures(h.ops.back().at).pending_taps, 0u) << where;
}

//! Fares net of top-ups per account, and the fraud-loss balance.
inline std::map<AccountId, int64_t> net_of_top_ups(const AccountServices& s, const History& h) {
  std::map<AccountId, int64_t> out;
  for (const AccountSetup& a : h.accounts) {
    out[a.id] = s.ledger().balance(a.id).minor() - top_ups_of(s.ledger(), a.id);
  }
  out[s.fraud_loss_account()] = s.ledger().balance(s.fraud_loss_account()).minor();
  return out;
}

//! Same ledger, denylist, top-ups and settlement figures.
inline void expect_same_state(const AccountServices& a, const AccountServices& b,
                              const std::string& where) {
  SCOPED_TRACE(where);
  const auto ea = a.ledger().entries();
  const auto eb = b.ledger().entries();
  ASSERT_EQ(ea.size(), eb.size());
  for (size_t i = 0; i < ea.size(); ++i) {
    EXPECT_EQ(ea[i].account, eb[i].account) << i;
    EXPECT_EQ(ea[i].amount, eb[i].amount) << i;
    EXPECT_EQ(ea[i].reason, eb[i].reason) << i;
    EXPECT_EQ(ea[i].key, eb[i].key) << i;
    EXPECT_EQ(ea[i].at, eb[i].at) << i;
  }
  for (const Ledger::Account& acc : a.ledger().accounts()) {
    EXPECT_EQ(acc.balance_minor, b.ledger().balance(acc.id).minor());
    EXPECT_EQ(acc.denylisted, b.ledger().find(acc.id)->denylisted);
  }
  EXPECT_EQ(a.denylist().version(), b.denylist().version());
  EXPECT_EQ(a.denylist().state().listed, b.denylist().state().listed);
  ASSERT_EQ(a.top_ups().state().requests.size(), b.top_ups().state().requests.size());
  for (const auto& [id, r] : a.top_ups().state().requests) {
    const TopUp::Request* other = b.top_ups().find(id);
    ASSERT_NE(other, nullptr);
    EXPECT_EQ(r.status, other->status);
    EXPECT_EQ(r.attempts, other->attempts);
  }
  EXPECT_EQ(a.settlement().figures().journeys_charged, b.settlement().figures().journeys_charged);
  EXPECT_EQ(a.settlement().figures().lag_sum_us, b.settlement().figures().lag_sum_us);
}

//! Runs the history once, checks it settled exactly, and the same with another arrival order.
inline void check_history(uint64_t seed, const HistoryConfig& c) {
  const std::string where = "seed " + std::to_string(seed);
  const History h = make_history(seed, c, seed * 7919 + 1);
  InMemoryJournal journal;
  TestPricer pricer;
  FakeBank bank(seed);
  AccountServices s(journal, pricer, bank, config());
  set_up(s, h);
  run(s, bank, h, 0, h.ops.size());
  expect_settled_exactly(s, bank, h, where);

  const History other = make_history(seed, c, seed * 104729 + 3); // same taps, another order
  InMemoryJournal journal2;
  FakeBank bank2(seed + 1);
  AccountServices s2(journal2, pricer, bank2, config());
  set_up(s2, other);
  run(s2, bank2, other, 0, other.ops.size());
  EXPECT_EQ(net_of_top_ups(s, h), net_of_top_ups(s2, other)) << where;
  if (!c.top_ups) {
    for (const AccountSetup& a : h.accounts) {
      EXPECT_EQ(s.ledger().balance(a.id), s2.ledger().balance(a.id)) << where;
    }
  }
}

//! Restarts (snapshot at a random earlier point + journal replay) at every cut point of the
//! history give the state of the run without a restart.
inline void check_restarts(uint64_t seed, const HistoryConfig& c, size_t cut_step = 1) {
  const History h = make_history(seed, c, seed * 31 + 5);
  TestPricer pricer;
  InMemoryJournal journal;
  FakeBank bank(seed);
  AccountServices whole(journal, pricer, bank, config());
  set_up(whole, h);
  run(whole, bank, h, 0, h.ops.size());
  std::mt19937_64 rng(seed);
  for (size_t cut = 0; cut <= h.ops.size(); cut += cut_step) {
    const std::string where = "seed " + std::to_string(seed) + " cut " + std::to_string(cut);
    const size_t snap = std::uniform_int_distribution<size_t>(0, cut)(rng);
    InMemoryJournal j;
    FakeBank b(seed); // the bank lives on through the services' restart
    AccountServicesSnapshot snapshot;
    {
      AccountServices before(j, pricer, b, config());
      set_up(before, h);
      run(before, b, h, 0, snap);
      snapshot = before.snapshot();
      run(before, b, h, snap, cut);
    } // crash: everything but the journal (and the snapshot) is gone
    AccountServices after(j, pricer, b, config(), snap % 3 == 0 ? nullptr : &snapshot);
    run(after, b, h, cut, h.ops.size());
    expect_same_state(whole, after, where);
    EXPECT_EQ(j.last_sequence(), journal.last_sequence()) << where;
  }
}

//! Crashes inside operations (the journal cut at a random record of the operation, so only its
//! part up to a commit point survives), each followed by a restart and the operation sent again
//! (it was never acknowledged): every tap still settles exactly once and no top-up is doubled.
inline int check_crashes(uint64_t seed, const HistoryConfig& c) {
  const History h = make_history(seed, c, seed * 13 + 7);
  TestPricer pricer;
  InMemoryJournal j;
  FakeBank b(seed);
  auto s = std::make_unique<AccountServices>(j, pricer, b, config());
  set_up(*s, h);
  std::mt19937_64 rng(seed);
  AccountServicesSnapshot snapshot = s->snapshot();
  int crashes = 0;
  for (size_t i = 0; i < h.ops.size();) {
    const Op& op = h.ops[i];
    for (const FakeBank::Notice& n : b.take_notices(op.at)) {
      EXPECT_TRUE(s->bank_notice(n.id, n.answer, op.at).ok());
    }
    const uint64_t before = j.last_sequence();
    run(*s, b, h, i, i + 1);
    const uint64_t after = j.last_sequence();
    if (after > before && rng() % 6 == 0) {
      j.discard_after(before + rng() % (after - before)); // the crash: the ack never went out
      s.reset();
      s = std::make_unique<AccountServices>(j, pricer, b, config(),
                                            rng() % 2 == 0 ? &snapshot : nullptr);
      ++crashes;
      continue; // the caller sends operation i again
    }
    if (rng() % 10 == 0) {
      snapshot = s->snapshot();
    }
    ++i;
  }
  expect_settled_exactly(*s, b, h, "crashes, seed " + std::to_string(seed));
  return crashes;
}

} // namespace hcesim::cloud::testing
