#include "hce/cloud/denylist_service.h"

#include <algorithm>
#include <set>

namespace hcesim::cloud {

uint8_t DenylistService::reasons(AccountId account) const {
  if (!ledger_->is_denylisted(account)) {
    return kDenyNone; // the ledger's flag mirrors the list: no tree walk for the many unlisted
  }
  auto it = state_.listed.find(account);
  return it == state_.listed.end() ? uint8_t{kDenyNone} : it->second.reasons;
}

uint8_t DenylistService::reasons_due(AccountId account) const {
  const Ledger::Account* a = ledger_->find(account);
  return a == nullptr ? uint8_t{kDenyNone} : reasons_due(*a, reasons(*a));
}

uint8_t DenylistService::reasons(const Ledger::Account& a) const {
  if (!a.denylisted) {
    return kDenyNone;
  }
  auto it = state_.listed.find(a.id);
  return it == state_.listed.end() ? uint8_t{kDenyNone} : it->second.reasons;
}

uint8_t DenylistService::reasons_due(const Ledger::Account& a, uint8_t current) const {
  if (a.fraud_loss) {
    return kDenyNone;
  }
  const AccountId account = a.id;
  uint8_t due = kDenyNone;
  const bool listed_for_debt = (current & kDenyDebt) != 0;
  // Hysteresis: listed past the limit, lifted only when the debt is cleared.
  if (a.balance_minor < -a.debt_limit_minor || (listed_for_debt && a.balance_minor < 0)) {
    due |= kDenyDebt;
  }
  if (settlement_->has_clone(account)) {
    due |= kDenyClone;
  }
  due |= current & kDenyLost;
  return due;
}

bool DenylistService::review(AccountId account, Time now) {
  const Ledger::Account* a = ledger_->find(account);
  if (a == nullptr) {
    return false;
  }
  const uint8_t current = reasons(*a);
  const uint8_t due = reasons_due(*a, current);
  if (due == current) {
    return false;
  }
  log_->commit(
      DenylistChanged{state_.version + 1, account, due, settlement_->tokens_of(account), now});
  return true;
}

bool DenylistService::report_lost(AccountId account, Time now) {
  const Ledger::Account* a = ledger_->find(account);
  if (a == nullptr || a->fraud_loss) {
    return false;
  }
  const uint8_t current = reasons(*a);
  if ((current & kDenyLost) != 0) {
    return false;
  }
  log_->commit(DenylistChanged{state_.version + 1, account,
                               static_cast<uint8_t>(current | kDenyLost),
                               settlement_->tokens_of(account), now});
  return true;
}

void DenylistService::apply(const DenylistChanged& change) {
  state_.version = change.version;
  if (change.reasons == kDenyNone) {
    state_.listed.erase(change.account);
  } else {
    state_.listed[change.account] = Listing{change.reasons, change.tokens};
  }
  state_.recent.push_back(change);
  if (state_.recent.size() > 2 * kRecentChanges) {
    state_.recent.erase(state_.recent.begin(),
                        state_.recent.end() - static_cast<std::ptrdiff_t>(kRecentChanges));
  }
}

hce::DenylistUpdate DenylistService::full_update(hce::AesCmac& cloud_key) const {
  return full_update(cloud_key, state_.version);
}

hce::DenylistUpdate DenylistService::full_update(hce::AesCmac& cloud_key, uint64_t version) const {
  hce::DenylistUpdate u;
  u.version = version;
  u.base_version = 0;
  std::set<TokenId> tokens;
  for (const auto& [account, listing] : state_.listed) {
    u.add_accounts.push_back(account);
    tokens.insert(listing.tokens.begin(), listing.tokens.end());
  }
  u.add_tokens.assign(tokens.begin(), tokens.end());
  u.mac = hce::denylist_update_mac(cloud_key, u);
  return u;
}

hce::DenylistUpdate DenylistService::update_for(uint64_t validator_version, hce::AesCmac& cloud_key,
                                                uint64_t max_step) const {
  if (validator_version < state_.version && max_step > 0 &&
      state_.version - validator_version > max_step) {
    return full_update(cloud_key, validator_version + max_step);
  }
  const bool reaches = !state_.recent.empty() && validator_version > 0 &&
                       validator_version < state_.version &&
                       state_.recent.front().version <= validator_version + 1;
  if (!reaches) {
    return full_update(cloud_key);
  }
  // Net effect of the changes after the validator's version: each touched account as it is now.
  std::set<AccountId> touched;
  std::set<TokenId> lifted_tokens;
  // Oldest first, by version: start at the validator's (each sync walked the whole log: 10.6 % of
  // a 20k-rider GTFS city run's CPU).
  const auto after =
      std::upper_bound(state_.recent.begin(), state_.recent.end(), validator_version,
                       [](uint64_t v, const DenylistChanged& c) { return v < c.version; });
  for (auto c = after; c != state_.recent.end(); ++c) {
    touched.insert(c->account);
    lifted_tokens.insert(c->tokens.begin(), c->tokens.end());
  }
  std::set<TokenId> add_tokens;
  std::set<AccountId> add_accounts;
  std::set<AccountId> remove_accounts;
  for (AccountId a : touched) {
    auto it = state_.listed.find(a);
    if (it == state_.listed.end()) {
      remove_accounts.insert(a);
    } else {
      add_accounts.insert(a);
      add_tokens.insert(it->second.tokens.begin(), it->second.tokens.end());
    }
  }
  hce::DenylistUpdate u;
  u.version = state_.version;
  u.base_version = validator_version;
  u.add_accounts.assign(add_accounts.begin(), add_accounts.end());
  u.add_tokens.assign(add_tokens.begin(), add_tokens.end());
  u.remove_accounts.assign(remove_accounts.begin(), remove_accounts.end());
  for (const TokenId& t : lifted_tokens) {
    if (add_tokens.count(t) == 0) {
      u.remove_tokens.push_back(t);
    }
  }
  u.mac = hce::denylist_update_mac(cloud_key, u);
  return u;
}

} // namespace hcesim::cloud
