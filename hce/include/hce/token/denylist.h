#pragma once
// Denylists of tokens and accounts, changed by versioned updates authenticated with AES-CMAC under
// a cloud key (DESIGN §4). DenylistPublisher builds updates (cloud side); Denylist applies them
// (validator side) and refuses forged, stale, far-future or out-of-sequence ones.
#include "hce/token/aes_cmac.h"
#include "hce/token/id_set.h"

#include "base/ids.h"

#include <cstdint>
#include <map>
#include <set>
#include <vector>

namespace hcesim::hce {

//! Most entries (adds + removes) one update may carry (the decoder refuses more).
inline constexpr size_t kMaxDenylistEntries = 1'000'000;

//! A change from base_version to version; base_version 0 is a full list replacing everything.
struct DenylistUpdate {
  uint64_t version = 0;
  uint64_t base_version = 0;
  std::vector<TokenId> add_tokens;
  std::vector<AccountId> add_accounts;
  std::vector<TokenId> remove_tokens;
  std::vector<AccountId> remove_accounts;
  Mac128 mac{};
  bool operator==(const DenylistUpdate&) const = default;
};

//! The MAC over the canonical encoding of every field but `mac`.
Mac128 denylist_update_mac(AesCmac& cloud_key, const DenylistUpdate& update);

enum class DenylistApply : uint8_t {
  kApplied,
  kForged,       //!< the MAC does not verify under the cloud key
  kStale,        //!< version not above the current one (old or replayed update)
  kVersionJump,  //!< version more than the bound above the current one
  kBaseMismatch, //!< a delta whose base is not the current version (ask for a full list)
};
const char* to_string(DenylistApply a);

//! The validator's denylist.
class Denylist {
public:
  //! `max_version_jump`: the largest version step accepted in one update.
  Denylist(const Key128& cloud_key, uint64_t max_version_jump);

  DenylistApply apply(const DenylistUpdate& update);
  uint64_t version() const { return version_; }
  //! The largest version step an update may take (the cloud steps a validator further behind).
  uint64_t max_version_jump() const { return max_jump_; }
  bool has_token(const TokenId& t) const { return tokens_.contains(t); }
  bool has_account(AccountId a) const { return accounts_.contains(TokenId{0, a.value()}); }
  size_t size() const { return tokens_.size() + accounts_.size(); }

private:
  AesCmac key_;
  uint64_t max_jump_;
  uint64_t version_ = 0;
  // Changed in place by each delta (a sync costs its entries, not the list's size).
  IdSet tokens_;
  IdSet accounts_; //!< as {0, id}
};

//! The cloud's authoritative denylist: stage changes, commit them as a new version, and build
//! the update that brings a validator at any version up to date (a delta while the change log
//! reaches back that far, else a full list).
class DenylistPublisher {
public:
  //! `log_versions`: how many versions of deltas are kept.
  DenylistPublisher(const Key128& cloud_key, size_t log_versions);

  void add_token(const TokenId& t);
  void add_account(AccountId a);
  void remove_token(const TokenId& t);
  void remove_account(AccountId a);
  //! Makes the staged changes a new version (no-op without changes); returns the version.
  uint64_t commit();
  uint64_t version() const { return version_; }
  bool has_token(const TokenId& t) const { return tokens_.count(t) != 0; }
  bool has_account(AccountId a) const { return accounts_.count(a) != 0; }

  //! The signed update for a validator at `validator_version` (0 or unknown: a full list).
  DenylistUpdate update_for(uint64_t validator_version);
  //! The signed full list at the current version.
  DenylistUpdate full_update();

private:
  struct Change {
    std::set<TokenId> add_tokens, remove_tokens;
    std::set<AccountId> add_accounts, remove_accounts;
    bool empty() const {
      return add_tokens.empty() && remove_tokens.empty() && add_accounts.empty() &&
             remove_accounts.empty();
    }
  };
  AesCmac key_;
  size_t log_versions_;
  uint64_t version_ = 0;
  std::set<TokenId> tokens_;
  std::set<AccountId> accounts_;
  Change staged_;
  std::map<uint64_t, Change> log_; //!< version -> the change that produced it
};

} // namespace hcesim::hce
