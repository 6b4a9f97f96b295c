#pragma once
// Random histories for the cloud services' property tests: riders' taps over days (bus taps,
// metro entries and exits, some ends missing, some tokens cloned), uploaded in batches that are
// duplicated, reordered, delayed and re-sent; manual top-ups; time advancing. Plus an oracle that
// prices the final tap set straight from the rules, and a driver that runs a history.
#include "hce/cloud/account_services.h"

#include "cloud_test_support.h"

#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <vector>

#include <gtest/gtest.h>

namespace hcesim::cloud::testing {

struct HistoryConfig {
  int accounts = 4;
  int days = 2;
  bool top_ups = true;
  bool clones = true;
};

struct AccountSetup {
  AccountId id;
  int64_t opening = 0;
  int64_t debt_limit = 0;
  bool card = false;
  bool automatic = false;
};

struct Op {
  enum Kind : uint8_t { kBatch, kAdvance, kTopUp } kind = kAdvance;
  Time at;
  std::vector<SettlementTap> taps;
  AccountId account;
  int64_t amount = 0;
};

struct History {
  std::vector<AccountSetup> accounts;
  std::vector<SettlementTap> records; //!< every distinct record, unflagged
  std::vector<Op> ops;                //!< in time order; taps flagged in arrival order
};

inline Time hours(int64_t h) {
  return Time::epoch() + Duration::hours(h);
}

//! The records of a history (depends on `seed` only).
inline std::vector<SettlementTap> make_records(std::mt19937_64& rng, const HistoryConfig& c) {
  auto uniform = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  std::vector<SettlementTap> records;
  std::map<uint32_t, uint64_t> next_seq;
  auto record = [&](uint32_t validator, AccountId account, TokenId token, uint16_t counter, Time t,
                    TapKind kind) {
    records.push_back(
        settlement_tap(validator, ++next_seq[validator], account, token, counter, t, kind));
  };
  for (int a = 1; a <= c.accounts; ++a) {
    const AccountId account(static_cast<uint64_t>(a));
    for (int day = 0; day < c.days; ++day) {
      const TokenId token{static_cast<uint64_t>(a), static_cast<uint64_t>(day)};
      uint16_t counter = 0;
      std::vector<int64_t> starts;
      for (int64_t k = uniform(1, 6); k > 0; --k) {
        starts.push_back(uniform(0, 20 * 60) + (24 * day + 5) * 60); // minutes, to 01:00 next day
      }
      std::sort(starts.begin(), starts.end());
      std::vector<Time> genuine;
      for (int64_t m : starts) {
        const Time t = Time::epoch() + Duration::minutes(m);
        genuine.push_back(t);
        if (uniform(0, 2) == 0) {
          record(static_cast<uint32_t>(uniform(1, 30)), account, token, ++counter, t,
                 TapKind::kFlat);
          continue;
        }
        const int64_t roll = uniform(0, 99);
        if (roll >= 5) { // 5 %: the entry is lost
          record(static_cast<uint32_t>(1000 + uniform(0, 20)), account, token, ++counter, t,
                 TapKind::kEntry);
        }
        if (roll < 5 || roll >= 15) { // 10 %: the exit is lost
          record(static_cast<uint32_t>(1000 + uniform(0, 20)), account, token, ++counter,
                 t + Duration::minutes(uniform(5, 50)), TapKind::kExit);
        }
      }
      if (c.clones && counter > 0 && uniform(0, 99) < 20) {
        // A key holder reuses counters of this token elsewhere, after some genuine tap.
        const Time from =
            genuine[static_cast<size_t>(uniform(0, static_cast<int64_t>(genuine.size()) - 1))];
        for (int64_t k = uniform(1, 3); k > 0; --k) {
          record(static_cast<uint32_t>(uniform(500, 510)), account, token,
                 static_cast<uint16_t>(uniform(1, counter)),
                 from + Duration::minutes(uniform(1, 600)), TapKind::kFlat);
        }
      }
    }
  }
  return records;
}

//! A delivery of `records`: batches, delays, duplicates, re-sends; flags set in arrival order
//! as the token code's settlement checks would (the second record of a (token, counter) pair).
inline std::vector<Op> deliver(std::mt19937_64& rng, std::vector<SettlementTap> records) {
  auto uniform = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  std::shuffle(records.begin(), records.end(), rng);
  std::vector<Op> ops;
  for (size_t i = 0; i < records.size();) {
    const size_t n = std::min(records.size() - i, static_cast<size_t>(uniform(1, 6)));
    Op op{Op::kBatch,
          Time::epoch(),
          {records.begin() + static_cast<std::ptrdiff_t>(i),
           records.begin() + static_cast<std::ptrdiff_t>(i + n)},
          AccountId(),
          0};
    i += n;
    Time latest = Time::epoch();
    for (const auto& t : op.taps) {
      latest = std::max(latest, t.tapped_at);
    }
    op.at = latest + Duration::minutes(uniform(0, 8 * 60));
    if (uniform(0, 9) == 0) { // the first upload was dropped; the retry comes much later
      op.at += Duration::minutes(uniform(60, 12 * 60));
    }
    if (uniform(0, 4) == 0) { // sent twice
      Op again = op;
      again.at += Duration::minutes(uniform(0, 4 * 60));
      ops.push_back(again);
    }
    if (uniform(0, 6) == 0) { // part of it re-sent
      Op part = op;
      part.taps.resize(static_cast<size_t>(uniform(1, static_cast<int64_t>(part.taps.size()))));
      part.at += Duration::minutes(uniform(0, 6 * 60));
      ops.push_back(part);
    }
    ops.push_back(op);
  }
  std::stable_sort(ops.begin(), ops.end(), [](const Op& a, const Op& b) { return a.at < b.at; });
  std::map<std::pair<TokenId, uint32_t>, TapRecordId> first_use;
  for (Op& op : ops) {
    for (SettlementTap& t : op.taps) {
      auto [it, fresh] = first_use.emplace(std::make_pair(t.token, t.counter), t.record);
      t.clone_flagged = !fresh && it->second != t.record;
    }
  }
  return ops;
}

inline History make_history(uint64_t seed, const HistoryConfig& c, uint64_t delivery_seed) {
  std::mt19937_64 rng(seed);
  History h;
  for (int a = 1; a <= c.accounts; ++a) {
    AccountSetup s{AccountId(static_cast<uint64_t>(a)),
                   std::uniform_int_distribution<int64_t>(0, 3000)(rng),
                   std::uniform_int_distribution<int64_t>(0, 2000)(rng), false, false};
    if (c.top_ups) {
      s.card = std::uniform_int_distribution<int>(0, 3)(rng) != 0;
      s.automatic = s.card && std::uniform_int_distribution<int>(0, 1)(rng) == 1;
    }
    h.accounts.push_back(s);
  }
  h.records = make_records(rng, c);
  std::mt19937_64 drng(delivery_seed);
  h.ops = deliver(drng, h.records);
  const int64_t end_h = 24 * (c.days + 2);
  for (int k = 0; k < 10 * c.days; ++k) {
    h.ops.push_back(Op{
        Op::kAdvance,
        hours(0) + Duration::minutes(std::uniform_int_distribution<int64_t>(0, end_h * 60)(drng)),
        {},
        AccountId(),
        0});
  }
  if (c.top_ups) {
    for (int k = 0; k < 2 * c.days; ++k) {
      const auto& s = h.accounts[static_cast<size_t>(
          std::uniform_int_distribution<int>(0, c.accounts - 1)(drng))];
      if (s.card) {
        h.ops.push_back(Op{Op::kTopUp,
                           hours(std::uniform_int_distribution<int64_t>(0, 24 * c.days)(drng)),
                           {},
                           s.id,
                           1000});
      }
    }
  }
  std::stable_sort(h.ops.begin(), h.ops.end(),
                   [](const Op& a, const Op& b) { return a.at < b.at; });
  for (int64_t k = 0; k < 3; ++k) { // all data in; windows, retries and notices run out
    h.ops.push_back(Op{Op::kAdvance, hours(end_h + 24 * k), {}, AccountId(), 0});
  }
  return h;
}

inline AccountServicesConfig config() {
  return AccountServicesConfig{cny(), SettlementPolicy{}, TopUpPolicy{}};
}

inline void set_up(AccountServices& s, const History& h) {
  for (const AccountSetup& a : h.accounts) {
    ASSERT_TRUE(s.open_account(a.id, fen(a.debt_limit), fen(a.opening), Time::epoch()).ok());
    if (a.card) {
      ASSERT_TRUE(s.bind_card(a.id, BankCardRef{a.id.value()}).ok());
      ASSERT_TRUE(s.set_top_up_rule(a.id, a.automatic, fen(500), fen(2000)).ok());
    }
  }
}

//! Runs ops [from, to): the bank's notices due by each op are delivered first.
inline void run(AccountServices& s, FakeBank& bank, const History& h, size_t from, size_t to) {
  for (size_t i = from; i < to; ++i) {
    const Op& op = h.ops[i];
    for (const FakeBank::Notice& n : bank.take_notices(op.at)) {
      ASSERT_TRUE(s.bank_notice(n.id, n.answer, op.at).ok());
    }
    switch (op.kind) {
    case Op::kBatch:
      s.settle(op.taps, op.at);
      break;
    case Op::kAdvance:
      s.advance(op.at);
      break;
    case Op::kTopUp:
      ASSERT_TRUE(s.top_up(op.account, fen(op.amount), op.at, i + 1).ok());
      break;
    }
  }
}

//! What each journey should finally cost, priced from the rules over the final tap set.
struct OracleJourney {
  AccountId rider;
  int64_t fare = 0;
};
inline std::map<JourneyKey, OracleJourney> oracle(const std::vector<SettlementTap>& records,
                                                  const JourneyPricer& pricer, Duration window) {
  std::map<AccountId, std::vector<SettlementTap>> by_account;
  for (const SettlementTap& t : records) {
    by_account[t.account].push_back(t);
  }
  std::map<JourneyKey, OracleJourney> out;
  for (auto& [account, taps] : by_account) {
    std::sort(taps.begin(), taps.end(), tap_order<SettlementTap>);
    // Clone point per token: the first tap repeating an earlier tap's counter.
    std::map<TokenId, std::pair<Time, TapRecordId>> clone_at;
    std::set<std::pair<TokenId, uint32_t>> used;
    for (const SettlementTap& t : taps) {
      if (!used.insert({t.token, t.counter}).second && clone_at.count(t.token) == 0) {
        clone_at[t.token] = {t.tapped_at, t.record};
      }
    }
    for (bool fraud : {false, true}) {
      std::vector<const SettlementTap*> s;
      for (const SettlementTap& t : taps) {
        auto it = clone_at.find(t.token);
        const bool f = it != clone_at.end() && std::make_pair(t.tapped_at, t.record) >= it->second;
        if (f == fraud) {
          s.push_back(&t);
        }
      }
      std::map<int64_t, std::vector<std::pair<JourneyKey, JourneyLeg>>> days;
      for (size_t i = 0; i < s.size(); ++i) {
        const JourneyKey key{s[i]->record, fraud};
        const int64_t day = s[i]->tapped_at.day();
        if (s[i]->kind == TapKind::kFlat) {
          days[day].push_back(
              {key, JourneyLeg{LegKind::kFlat, s[i]->record.validator, s[i]->record.validator,
                               s[i]->stop, s[i]->stop, s[i]->tapped_at, s[i]->tapped_at}});
        } else if (s[i]->kind == TapKind::kEntry && i + 1 < s.size() &&
                   s[i + 1]->kind == TapKind::kExit &&
                   s[i + 1]->tapped_at - s[i]->tapped_at <= window) {
          days[day].push_back(
              {key, JourneyLeg{LegKind::kMetro, s[i]->record.validator, s[i + 1]->record.validator,
                               s[i]->stop, s[i + 1]->stop, s[i]->tapped_at, s[i + 1]->tapped_at}});
          ++i;
        } else {
          out[key] = OracleJourney{account, pricer.max_fare(s[i]->record.validator).minor()};
        }
      }
      for (auto& [day, journeys] : days) {
        std::vector<JourneyLeg> legs;
        for (auto& j : journeys) {
          legs.push_back(j.second);
        }
        std::vector<Money> fares(legs.size());
        pricer.price_day(legs, fares);
        for (size_t i = 0; i < journeys.size(); ++i) {
          out[journeys[i].first] = OracleJourney{account, fares[i].minor()};
        }
      }
    }
  }
  return out;
}

} // namespace hcesim::cloud::testing
