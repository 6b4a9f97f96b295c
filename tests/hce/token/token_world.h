#pragma once
// A small token world for tests: one key version, an issuer, accounts, wallets and validators
// built the way production wires them.
#include "hce/random_source.h"
#include "hce/token/account_status.h"
#include "hce/token/issuer.h"
#include "hce/token/token_keys.h"
#include "hce/token/validator.h"
#include "hce/token/wallet.h"
#include "hce/token/wire.h"

#include <gtest/gtest.h>

#include <memory>

namespace hcesim::hce::testing {

inline Key128 key_from(uint8_t seed) {
  Key128 k{};
  for (size_t i = 0; i < k.size(); ++i) {
    k[i] = static_cast<uint8_t>(seed * 31 + i * 7 + 1);
  }
  return k;
}

inline MasterKeys master_keys(uint32_t version) {
  return MasterKeys{version, key_from(static_cast<uint8_t>(10 + version)),
                    key_from(static_cast<uint8_t>(100 + version))};
}

inline const Currency kCny = Currency::from_code("CNY").value();
inline Money yuan(int64_t y) {
  return Money(y * 100, kCny);
}
inline const Time kT0 = Time::from_us(0) + Duration::days(1) + Duration::hours(8);

struct TokenWorld {
  SeededRandomSource random{7};
  IssuerKeyring keys;
  InMemoryAccountStatus accounts{kCny};
  Key128 device_master = key_from(200);
  Key128 denylist_key = key_from(201);
  std::unique_ptr<Issuer> issuer;
  IssuePolicy policy;
  AesCmac scratch{Key128{}}; //!< shared by every wallet's answer()

  TokenWorld() {
    EXPECT_TRUE(keys.add(master_keys(1)).ok());
    issuer = std::make_unique<Issuer>(keys, device_master, accounts);
    policy.issuing_minimum = yuan(0);
  }

  //! An enrolled account with a balance and a wallet holding one grant.
  std::unique_ptr<Wallet> rider(uint64_t account, uint64_t device, Time now,
                                RefillPolicy refill = {}) {
    accounts.add_device(AccountId(account), DeviceId(device));
    accounts.set_balance(AccountId(account), yuan(50));
    const Enrolment e = issuer->enrol(AccountId(account), DeviceId(device));
    auto w = std::make_unique<Wallet>(e.account, e.device, e.device_key, refill);
    auto out = issuer->issue(e.account, e.device, now, policy, random);
    EXPECT_TRUE(out.granted()) << to_string(out.refusal);
    EXPECT_TRUE(w->accept_grant(out.grant).ok());
    return w;
  }

  std::unique_ptr<Validator> validator(uint32_t id, uint32_t stop = 1, size_t store = 1000) {
    ValidatorConfig c;
    c.id = ValidatorId(id);
    c.stop = StopId(stop);
    c.store_capacity = store;
    auto v = std::make_unique<Validator>(c, denylist_key);
    EXPECT_TRUE(v->install_key(1, master_keys(1).validator).ok());
    return v;
  }

  //! One whole tap through the wire: challenge, phone answer, bytes, verify.
  TapOutcome tap(Validator& v, Wallet& w, Time now, TapKind kind = TapKind::kFlat) {
    return tap_clocks(v, w, now, now, kind);
  }

  //! A tap where the validator's clock (`validator_now`) and the phone's differ.
  TapOutcome tap_clocks(Validator& v, Wallet& w, Time validator_now, Time phone_now,
                        TapKind kind = TapKind::kFlat) {
    const TapChallenge c = v.challenge(validator_now, kind, random);
    const auto r = w.answer(c, phone_now, scratch);
    const Time now = validator_now;
    EXPECT_TRUE(r.has_value());
    if (!r) {
      return TapOutcome{TapRefusal::kMalformed, 0, {}};
    }
    const std::string bytes = encode(*r);
    return v.verify(as_bytes(bytes), now);
  }
};

} // namespace hcesim::hce::testing

namespace hcesim::hce::testing {

//! Stops on a straight line, one kilometre apart: stop n sits at n km.
inline uint64_t line_distance(StopId a, StopId b) {
  const uint64_t x = a.value();
  const uint64_t y = b.value();
  return (x > y ? x - y : y - x) * 1000;
}

//! Answers `challenge` with a stolen token's keys and any counter (what a key holder can do).
inline TapResponse forge_answer(const GrantedToken& stolen, const TapChallenge& challenge,
                                uint16_t counter) {
  TapResponse r;
  r.header = stolen.header;
  r.counter = counter;
  AesCmac v(stolen.validator_key);
  r.validator_cryptogram = compute_cryptogram(v, CryptogramRole::kValidator, challenge, counter);
  AesCmac i(stolen.issuer_key);
  r.issuer_cryptogram = compute_cryptogram(i, CryptogramRole::kIssuer, challenge, counter);
  return r;
}

} // namespace hcesim::hce::testing
