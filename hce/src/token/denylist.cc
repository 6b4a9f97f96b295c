#include "hce/token/denylist.h"

#include "hce/token/token_header.h"

namespace hcesim::hce {

namespace {

void put_tokens(std::vector<uint8_t>& out, const std::vector<TokenId>& ts) {
  uint8_t b[8];
  put_u64(b, ts.size());
  out.insert(out.end(), b, b + 8);
  for (const auto& t : ts) {
    put_u64(b, t.hi);
    out.insert(out.end(), b, b + 8);
    put_u64(b, t.lo);
    out.insert(out.end(), b, b + 8);
  }
}

void put_accounts(std::vector<uint8_t>& out, const std::vector<AccountId>& as) {
  uint8_t b[8];
  put_u64(b, as.size());
  out.insert(out.end(), b, b + 8);
  for (const auto& a : as) {
    put_u64(b, a.value());
    out.insert(out.end(), b, b + 8);
  }
}

TokenId account_key(AccountId a) {
  return TokenId{0, a.value()};
}

} // namespace

Mac128 denylist_update_mac(AesCmac& cloud_key, const DenylistUpdate& u) {
  std::vector<uint8_t> in;
  in.reserve(32 + 16 * (u.add_tokens.size() + u.remove_tokens.size()) +
             8 * (u.add_accounts.size() + u.remove_accounts.size()));
  const char kTag[] = "hcesim-denylist-v1";
  in.insert(in.end(), kTag, kTag + sizeof kTag - 1);
  uint8_t b[8];
  put_u64(b, u.version);
  in.insert(in.end(), b, b + 8);
  put_u64(b, u.base_version);
  in.insert(in.end(), b, b + 8);
  put_tokens(in, u.add_tokens);
  put_accounts(in, u.add_accounts);
  put_tokens(in, u.remove_tokens);
  put_accounts(in, u.remove_accounts);
  return cloud_key.mac(in);
}

const char* to_string(DenylistApply a) {
  switch (a) {
  case DenylistApply::kApplied:
    return "applied";
  case DenylistApply::kForged:
    return "forged";
  case DenylistApply::kStale:
    return "stale";
  case DenylistApply::kVersionJump:
    return "version jump";
  case DenylistApply::kBaseMismatch:
    return "base mismatch";
  }
  return "?";
}

Denylist::Denylist(const Key128& cloud_key, uint64_t max_version_jump)
    : key_(cloud_key), max_jump_(max_version_jump) {}

DenylistApply Denylist::apply(const DenylistUpdate& u) {
  if (!mac_equal(denylist_update_mac(key_, u), u.mac)) {
    return DenylistApply::kForged;
  }
  if (u.version <= version_) {
    return DenylistApply::kStale;
  }
  if (u.version - version_ > max_jump_) {
    return DenylistApply::kVersionJump;
  }
  if (u.base_version != 0 && u.base_version != version_) {
    return DenylistApply::kBaseMismatch;
  }
  if (u.base_version == 0) {
    // A full list replaces everything (removes in it have nothing to remove).
    tokens_.assign(u.add_tokens);
    std::vector<TokenId> accounts;
    accounts.reserve(u.add_accounts.size());
    for (AccountId a : u.add_accounts) {
      accounts.push_back(account_key(a));
    }
    accounts_.assign(accounts);
  } else {
    for (const auto& t : u.remove_tokens) {
      tokens_.erase(t);
    }
    for (AccountId a : u.remove_accounts) {
      accounts_.erase(account_key(a));
    }
    for (const auto& t : u.add_tokens) {
      tokens_.insert(t);
    }
    for (AccountId a : u.add_accounts) {
      accounts_.insert(account_key(a));
    }
  }
  version_ = u.version;
  return DenylistApply::kApplied;
}

DenylistPublisher::DenylistPublisher(const Key128& cloud_key, size_t log_versions)
    : key_(cloud_key), log_versions_(log_versions) {}

void DenylistPublisher::add_token(const TokenId& t) {
  staged_.remove_tokens.erase(t);
  staged_.add_tokens.insert(t);
}
void DenylistPublisher::add_account(AccountId a) {
  staged_.remove_accounts.erase(a);
  staged_.add_accounts.insert(a);
}
void DenylistPublisher::remove_token(const TokenId& t) {
  staged_.add_tokens.erase(t);
  staged_.remove_tokens.insert(t);
}
void DenylistPublisher::remove_account(AccountId a) {
  staged_.add_accounts.erase(a);
  staged_.remove_accounts.insert(a);
}

uint64_t DenylistPublisher::commit() {
  if (staged_.empty()) {
    return version_;
  }
  for (const auto& t : staged_.add_tokens) {
    tokens_.insert(t);
  }
  for (const auto& t : staged_.remove_tokens) {
    tokens_.erase(t);
  }
  for (const auto& a : staged_.add_accounts) {
    accounts_.insert(a);
  }
  for (const auto& a : staged_.remove_accounts) {
    accounts_.erase(a);
  }
  ++version_;
  log_.emplace(version_, std::move(staged_));
  staged_ = Change{};
  while (log_.size() > log_versions_) {
    log_.erase(log_.begin());
  }
  return version_;
}

DenylistUpdate DenylistPublisher::full_update() {
  DenylistUpdate u;
  u.version = version_;
  u.base_version = 0;
  u.add_tokens.assign(tokens_.begin(), tokens_.end());
  u.add_accounts.assign(accounts_.begin(), accounts_.end());
  u.mac = denylist_update_mac(key_, u);
  return u;
}

DenylistUpdate DenylistPublisher::update_for(uint64_t validator_version) {
  const bool log_reaches = validator_version != 0 && validator_version < version_ &&
                           (!log_.empty() && log_.begin()->first <= validator_version + 1);
  if (!log_reaches) {
    return full_update();
  }
  // Fold the logged changes after validator_version into one net delta.
  std::set<TokenId> add_t, rem_t;
  std::set<AccountId> add_a, rem_a;
  for (auto it = log_.upper_bound(validator_version); it != log_.end(); ++it) {
    for (const auto& t : it->second.add_tokens) {
      rem_t.erase(t);
      add_t.insert(t);
    }
    for (const auto& t : it->second.remove_tokens) {
      add_t.erase(t);
      rem_t.insert(t);
    }
    for (const auto& a : it->second.add_accounts) {
      rem_a.erase(a);
      add_a.insert(a);
    }
    for (const auto& a : it->second.remove_accounts) {
      add_a.erase(a);
      rem_a.insert(a);
    }
  }
  DenylistUpdate u;
  u.version = version_;
  u.base_version = validator_version;
  u.add_tokens.assign(add_t.begin(), add_t.end());
  u.remove_tokens.assign(rem_t.begin(), rem_t.end());
  u.add_accounts.assign(add_a.begin(), add_a.end());
  u.remove_accounts.assign(rem_a.begin(), rem_a.end());
  u.mac = denylist_update_mac(key_, u);
  return u;
}

} // namespace hcesim::hce
