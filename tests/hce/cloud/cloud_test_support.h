#pragma once
// Test doubles for the cloud account services: a small fare table with transfers and a daily cap
// (so pricing depends on earlier legs), and a bank whose answers are a fixed function of
// (seed, request, attempt) and that charges each request at most once, like a real bank.
#include "hce/cloud/bank_port.h"
#include "hce/cloud/journey_pricer.h"
#include "hce/cloud/settlement_tap.h"

#include <cstdint>
#include <map>
#include <span>
#include <vector>

namespace hcesim::cloud::testing {

inline Currency cny() {
  return Currency::from_code("CNY").value();
}
inline Money fen(int64_t minor) {
  return Money(minor, cny());
}

//! A tap of `kind` (not clone-flagged, no flags, no stop): record (validator, sequence) of
//! `account`'s token at its `counter`.
inline SettlementTap settlement_tap(uint32_t validator, uint64_t sequence, AccountId account,
                                    TokenId token, uint16_t counter, Time tapped_at, TapKind kind) {
  return SettlementTap{.record = TapRecordId{ValidatorId(validator), sequence},
                       .account = account,
                       .token = token,
                       .tapped_at = tapped_at,
                       .counter = counter,
                       .flags = 0,
                       .stop = StopId(),
                       .kind = kind,
                       .clone_flagged = false};
}

//! A bus tap (flat fare).
inline SettlementTap bus_tap(uint32_t validator, uint64_t sequence, AccountId account,
                             TokenId token, uint16_t counter, Time tapped_at) {
  return settlement_tap(validator, sequence, account, token, counter, tapped_at, TapKind::kFlat);
}

//! Bus readers are validators 1..999 (flat 200); metro gates are 1000 + station. A metro ride
//! costs 300 + 100 per 3 stations; a leg starting within 30 min of the previous leg's end gets
//! 100 off; a day costs at most 1000. Unknown validators cost the maximum fare, 900.
class TestPricer final : public JourneyPricer {
public:
  static constexpr int64_t kFlat = 200;
  static constexpr int64_t kMax = 900;
  static constexpr int64_t kCap = 1000;
  void price_day(std::span<const JourneyLeg> legs, std::span<Money> out) const override {
    int64_t spent = 0;
    for (size_t i = 0; i < legs.size(); ++i) {
      const JourneyLeg& l = legs[i];
      int64_t fare = kFlat;
      if (l.kind == LegKind::kMetro) {
        const int64_t a = static_cast<int64_t>(l.from.value()) - 1000;
        const int64_t b = static_cast<int64_t>(l.to.value()) - 1000;
        fare = 300 + 100 * ((a > b ? a - b : b - a) / 3);
      }
      if (i > 0 && l.start - legs[i - 1].end <= Duration::minutes(30)) {
        fare = fare > 100 ? fare - 100 : 0;
      }
      if (spent + fare > kCap) {
        fare = kCap - spent;
      }
      spent += fare;
      out[i] = fen(fare);
    }
  }
  Money max_fare(ValidatorId) const override { return fen(kMax); }
};

//! A bank with scripted answers: per (request, attempt) a fixed draw among approve, decline,
//! time out without charging, and time out after charging (then a notice may come later, maybe
//! twice). A request is charged at most once; a retry of a charged request is approved.
class FakeBank final : public BankPort {
public:
  struct Notice {
    Time at;
    TopUpId id;
    BankAnswer answer;
  };
  explicit FakeBank(uint64_t seed, int decline_pct = 10, int timeout_pct = 15,
                    int charged_timeout_pct = 15)
      : seed_(seed), decline_pct_(decline_pct), timeout_pct_(timeout_pct),
        charged_timeout_pct_(charged_timeout_pct) {}

  BankAnswer charge(const BankCharge& c, Time now) override {
    ++calls_;
    const uint64_t h = mix(seed_ ^ mix(c.id.account.value() * 1000003u + c.id.serial) ^
                           (uint64_t{c.attempt} << 40));
    const int roll = static_cast<int>(h % 100);
    const bool charged = charged_.count(c.id) != 0;
    if (roll < timeout_pct_) {
      return BankAnswer{BankOutcome::kTimedOut, DeclineReason::kNone};
    }
    if (roll < timeout_pct_ + charged_timeout_pct_) {
      if (!charged) {
        charged_[c.id] = c.amount.minor();
        const int64_t delay = static_cast<int64_t>((h >> 8) % 7200);
        if ((h >> 24) % 10 < 7) {
          notices_.push_back(Notice{now + Duration::seconds(delay), c.id,
                                    BankAnswer{BankOutcome::kApproved, DeclineReason::kNone}});
          if ((h >> 32) % 4 == 0) { // the bank repeats itself
            notices_.push_back(Notice{now + Duration::seconds(delay + 60), c.id,
                                      BankAnswer{BankOutcome::kApproved, DeclineReason::kNone}});
          }
        }
      }
      return BankAnswer{BankOutcome::kTimedOut, DeclineReason::kNone};
    }
    if (charged) {
      return BankAnswer{BankOutcome::kApproved, DeclineReason::kNone};
    }
    if (roll < timeout_pct_ + charged_timeout_pct_ + decline_pct_) {
      return BankAnswer{BankOutcome::kDeclined, DeclineReason::kInsufficientFunds};
    }
    charged_[c.id] = c.amount.minor();
    return BankAnswer{BankOutcome::kApproved, DeclineReason::kNone};
  }

  //! Notices due by `now`, in the order the bank sends them; removes them.
  std::vector<Notice> take_notices(Time now) {
    std::vector<Notice> due;
    std::vector<Notice> later;
    for (const Notice& n : notices_) {
      (n.at <= now ? due : later).push_back(n);
    }
    notices_ = later;
    return due;
  }
  //! Σ charged to the account's card.
  int64_t charged_to(AccountId account) const {
    int64_t sum = 0;
    for (const auto& [id, amount] : charged_) {
      if (id.account == account) {
        sum += amount;
      }
    }
    return sum;
  }
  const std::map<TopUpId, int64_t>& charged() const { return charged_; }
  uint64_t calls() const { return calls_; }

private:
  static uint64_t mix(uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  }
  uint64_t seed_;
  int decline_pct_;
  int timeout_pct_;
  int charged_timeout_pct_;
  std::map<TopUpId, int64_t> charged_;
  std::vector<Notice> notices_;
  uint64_t calls_ = 0;
};

} // namespace hcesim::cloud::testing
