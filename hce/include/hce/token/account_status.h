#pragma once
// What the token issuer reads about an account (DESIGN §4). The cloud's Ledger implements it;
// tests use InMemoryAccountStatus.
#include "base/ids.h"
#include "base/money.h"

#include <map>
#include <set>
#include <utility>

namespace hcesim::hce {

class AccountStatus {
public:
  virtual ~AccountStatus() = default;
  //! The account's balance (may be negative: offline taps create debt). Unknown accounts: only
  //! asked after is_known_device() said yes.
  virtual Money balance(AccountId account) const = 0;
  //! Whether the account is denylisted (debt, fraud, reported lost).
  virtual bool is_denylisted(AccountId account) const = 0;
  //! Whether the device is enrolled for the account (false for an unknown account).
  virtual bool is_known_device(AccountId account, DeviceId device) const = 0;
};

//! A map-backed AccountStatus for tests and small tools.
class InMemoryAccountStatus final : public AccountStatus {
public:
  explicit InMemoryAccountStatus(Currency currency) : currency_(currency) {}
  void set_balance(AccountId a, Money m) { balances_.insert_or_assign(a, m); }
  void set_denylisted(AccountId a, bool on) {
    if (on) {
      denylisted_.insert(a);
    } else {
      denylisted_.erase(a);
    }
  }
  void add_device(AccountId a, DeviceId d) { devices_.emplace(a, d); }

  Money balance(AccountId a) const override {
    auto it = balances_.find(a);
    return it == balances_.end() ? Money(0, currency_) : it->second;
  }
  bool is_denylisted(AccountId a) const override { return denylisted_.count(a) != 0; }
  bool is_known_device(AccountId a, DeviceId d) const override {
    return devices_.count({a, d}) != 0;
  }

private:
  Currency currency_;
  std::map<AccountId, Money> balances_;
  std::set<AccountId> denylisted_;
  std::set<std::pair<AccountId, DeviceId>> devices_;
};

} // namespace hcesim::hce
