#pragma once
// One change of one account's balance: the only way a balance ever moves (the ledger keeps them
// all, so a balance always equals the sum of its entries).
#include "base/ids.h"
#include "base/money.h"
#include "base/time.h"
#include "hce/cloud/idempotency_key.h"

#include <cstdint>
#include <string_view>

namespace hcesim::cloud {

enum class EntryReason : uint8_t {
  kFare,           //!< a journey's first charge (negative)
  kFareCorrection, //!< a later change of a journey's charge (either sign)
  kTopUp,          //!< money from the bound bank card (positive)
  kRefund,         //!< money given back to the rider (positive)
  kAdjustment,     //!< an operator's correction, or an account's opening balance
  kFraudLoss,      //!< a clone's fare, booked to the fraud-loss account
};
std::string_view to_string(EntryReason reason);

struct LedgerEntry {
  uint64_t sequence = 0; //!< position in the ledger, assigned when posted
  AccountId account;
  Money amount; //!< signed: negative takes money from the account
  EntryReason reason = EntryReason::kAdjustment;
  IdempotencyKey key;
  Time at; //!< when the cloud posted it
};

} // namespace hcesim::cloud
