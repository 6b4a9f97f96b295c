#include "hce/cloud/denylist_service.h"

namespace hcesim::cloud {

uint8_t DenylistService::reasons(AccountId account) const {
  auto it = state_.listed.find(account);
  return it == state_.listed.end() ? uint8_t{kDenyNone} : it->second;
}

uint8_t DenylistService::reasons_due(AccountId account) const {
  const Ledger::Account* a = ledger_->find(account);
  if (a == nullptr || a->fraud_loss) {
    return kDenyNone;
  }
  uint8_t due = kDenyNone;
  const bool listed_for_debt = (reasons(account) & kDenyDebt) != 0;
  // Hysteresis: listed past the limit, lifted only when the debt is cleared.
  if (ledger_->over_debt_limit(account) || (listed_for_debt && a->balance.is_negative())) {
    due |= kDenyDebt;
  }
  if (settlement_->has_clone(account)) {
    due |= kDenyClone;
  }
  return due;
}

bool DenylistService::review(AccountId account, Time now) {
  const uint8_t due = reasons_due(account);
  if (due == reasons(account)) {
    return false;
  }
  log_->commit(
      DenylistChanged{state_.version + 1, account, due, settlement_->tokens_of(account), now});
  return true;
}

void DenylistService::apply(const DenylistChanged& change) {
  state_.version = change.version;
  if (change.reasons == kDenyNone) {
    state_.listed.erase(change.account);
  } else {
    state_.listed[change.account] = change.reasons;
  }
}

} // namespace hcesim::cloud
