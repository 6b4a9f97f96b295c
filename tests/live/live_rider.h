#pragma once
// A rider, a bus validator and the operator as clients of a running server: opens the account,
// fetches tokens, taps and uploads over real connections.
#include "hce/token/validator.h"
#include "hce/token/wallet.h"
#include "hce/token/wire.h"
#include "live/blocking_client.h"
#include "live/cloud_keys.h"
#include "live/request_signer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>

namespace hcesim::live::testing {

inline Time wall_now() {
  return Time::from_us(std::chrono::duration_cast<std::chrono::microseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count());
}

struct LiveRider {
  LiveRider(const CloudKeys& keys, uint64_t account, uint64_t device, uint32_t validator)
      : keys_(keys), account_(account), device_(device),
        op(proto::PRINCIPAL_OPERATOR, 0,
           principal_key(keys.auth_master, proto::PRINCIPAL_OPERATOR, 0)),
        phone(proto::PRINCIPAL_DEVICE, device,
              principal_key(keys.auth_master, proto::PRINCIPAL_DEVICE, device)),
        gate(proto::PRINCIPAL_VALIDATOR, validator,
             principal_key(keys.auth_master, proto::PRINCIPAL_VALIDATOR, validator)),
        bus(hce::ValidatorConfig{ValidatorId(validator), StopId(1)}, keys.denylist) {
    EXPECT_TRUE(bus.install_key(1, keys.validator_master).ok());
  }

  //! Opens the account (balance, card) and builds the wallet from the enrolment's key.
  proto::AccountView open(BlockingClient& c, int64_t balance, int64_t debt_limit = 300) {
    proto::AccountOpening o;
    o.set_account(account_);
    o.set_device(device_);
    o.set_debt_limit_minor(debt_limit);
    o.set_opening_balance_minor(balance);
    o.set_card(9);
    auto r = c.call(op.envelope(proto::REQUEST_OPEN, o.SerializeAsString(), wall_now()));
    EXPECT_TRUE(r.ok() && r->status() == proto::REPLY_OK)
        << (r.ok() ? r->reason() : r.error().what);
    proto::AccountView v;
    if (r.ok()) {
      EXPECT_TRUE(v.ParseFromString(r->body()));
      hce::Key128 key{};
      std::copy(v.device_key().begin(), v.device_key().end(), key.begin());
      wallet = std::make_unique<hce::Wallet>(AccountId(account_), DeviceId(device_), key,
                                             hce::RefillPolicy{});
    }
    return v;
  }

  Result<proto::Reply> request_tokens(BlockingClient& c) {
    const Time now = wall_now();
    return c.call(phone.envelope(
        proto::REQUEST_TOKENS,
        hce::encode(hce::TokenRequest{AccountId(account_), DeviceId(device_), now}), now));
  }

  //! Asks for tokens until the wallet holds some.
  bool ensure_tokens(BlockingClient& c) {
    if (!wallet->tokens().empty()) {
      for (const auto& t : wallet->tokens()) {
        if (t.next_counter <= t.token.header.offline_limit) {
          return true;
        }
      }
    }
    auto r = request_tokens(c);
    if (!r.ok()) {
      return false; // the connection is gone (a crash test's kill): the caller's tap fails
    }
    if (r->status() != proto::REPLY_OK) {
      ADD_FAILURE() << r->reason();
      return false;
    }
    auto g = hce::decode_token_grant(hce::as_bytes(r->body()));
    return g.ok() && wallet->accept_grant(*g).ok();
  }

  //! One accepted tap at the bus validator (stored there until acknowledged).
  bool tap(BlockingClient& c) {
    if (!ensure_tokens(c)) {
      return false;
    }
    const Time now = wall_now();
    auto answer = wallet->answer(bus.challenge(now, hce::TapKind::kFlat, random_), now);
    return answer.has_value() && bus.verify(*answer, now).accepted();
  }

  Result<proto::Reply> upload(BlockingClient& c, uint64_t batch_number, size_t max_records = 1000) {
    hce::TapBatch batch = bus.make_batch(max_records);
    batch.batch = batch_number;
    return c.call(gate.envelope(proto::REQUEST_UPLOAD, hce::encode(batch), wall_now()));
  }

  Result<int64_t> balance(BlockingClient& c) {
    proto::BalanceQuery q;
    q.set_account(account_);
    auto r = c.call(phone.envelope(proto::REQUEST_BALANCE, q.SerializeAsString(), wall_now()));
    if (!r.ok()) {
      return r.error();
    }
    proto::AccountView v;
    if (r->status() != proto::REPLY_OK || !v.ParseFromString(r->body())) {
      return Error{"balance", r->reason()};
    }
    return v.balance_minor();
  }

  //! The balance once it reaches `expected` (the bank answers top-ups a little later), or the
  //! last one read when `patience` runs out.
  Result<int64_t> balance_reaching(BlockingClient& c, int64_t expected,
                                   std::chrono::milliseconds patience = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + patience;
    for (;;) {
      auto b = balance(c);
      if (!b.ok() || *b == expected || std::chrono::steady_clock::now() > deadline) {
        return b;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  CloudKeys keys_;
  uint64_t account_;
  uint64_t device_;
  RequestSigner op;
  RequestSigner phone;
  RequestSigner gate;
  hce::Validator bus;
  std::unique_ptr<hce::Wallet> wallet;
  hce::SeededRandomSource random_{3};
};

} // namespace hcesim::live::testing
