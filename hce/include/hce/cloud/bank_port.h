#pragma once
// The bank as the top-up service sees it: charge a bound card once per request key. Answers are
// outcomes of the world (approved, declined with a reason, timed out), never exceptions.
#include "base/ids.h"
#include "base/money.h"
#include "base/time.h"

#include <compare>
#include <cstdint>
#include <string_view>

namespace hcesim::cloud {

//! The bank's reference for a bound card (a token from the bank, never a card number).
struct BankCardRef {
  uint64_t id = 0;
  constexpr auto operator<=>(const BankCardRef&) const = default;
};

//! One top-up request: the account's serial number of it. Also the bank's idempotency key, so a
//! retried or late-answered request charges the card at most once.
struct TopUpId {
  AccountId account;
  uint32_t serial = 0;
  constexpr auto operator<=>(const TopUpId&) const = default;
};

//! kPending: an asynchronous bank port took the charge and its answer comes later, through
//! TopUp::bank_answer (never journaled; a restart retries the request).
enum class BankOutcome : uint8_t { kApproved, kDeclined, kTimedOut, kPending };
enum class DeclineReason : uint8_t {
  kNone,
  kInsufficientFunds,
  kCardExpired,
  kCardBlocked,
  kOther
};
std::string_view to_string(BankOutcome outcome);
std::string_view to_string(DeclineReason reason);

struct BankAnswer {
  BankOutcome outcome = BankOutcome::kTimedOut;
  DeclineReason reason = DeclineReason::kNone; //!< set when declined
};

struct BankCharge {
  TopUpId id; //!< the idempotency key the bank must honour
  BankCardRef card;
  Money amount;
  uint32_t attempt = 1; //!< 1 for the first try, then each retry
};

class BankPort {
public:
  virtual ~BankPort() = default;
  //! Asks the bank to charge the card. kTimedOut means no answer in time: the charge may still
  //! have happened (the bank then reports it later, or approves the retry with the same id).
  virtual BankAnswer charge(const BankCharge& charge, Time now) = 0;
};

} // namespace hcesim::cloud
