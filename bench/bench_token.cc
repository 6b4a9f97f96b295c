// Token protocol speed (DESIGN §7): the validator's whole tap path, the phone's answer, the
// issuer's grant and the cloud's settlement checks, each over distinct tokens and accounts.
#include "hce/random_source.h"
#include "hce/token/account_status.h"
#include "hce/token/denylist.h"
#include "hce/token/issuer.h"
#include "hce/token/settlement_check.h"
#include "hce/token/token_keys.h"
#include "hce/token/validator.h"
#include "hce/token/wallet.h"
#include "hce/token/wire.h"

#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

using namespace hcesim;
using namespace hcesim::hce;

namespace {

const Currency kCny = Currency::from_code("CNY").value();
const Time kT0 = Time::epoch() + Duration::days(1);

Key128 key_from(uint8_t seed) {
  Key128 k{};
  for (size_t i = 0; i < k.size(); ++i) {
    k[i] = static_cast<uint8_t>(seed * 31 + i * 7 + 1);
  }
  return k;
}

const MasterKeys kKeys{1, key_from(1), key_from(2)};

// Distinct tokens of distinct accounts, with their keys (what phones hold).
std::vector<GrantedToken> make_tokens(size_t n) {
  IssuerKeyring ring;
  (void)ring.add(kKeys);
  SeededRandomSource random(3);
  std::vector<GrantedToken> out(n);
  for (size_t i = 0; i < n; ++i) {
    TokenHeader& h = out[i].header;
    h.id = TokenId{random.next_u64() | 1, random.next_u64()};
    h.account = AccountId(1'000'000 + i);
    h.device = DeviceId(5'000'000 + i);
    h.issued_at = kT0;
    h.expires_at = kT0 + Duration::hours(24);
    h.offline_limit = 65535;
    h.key_version = 1;
    ring.derive(h, out[i].validator_key, out[i].issuer_key);
  }
  return out;
}

// The phone's work for one tap.
TapResponse answer(AesCmac& cmac, const GrantedToken& t, const TapChallenge& c, uint16_t counter) {
  TapResponse r;
  r.header = t.header;
  r.counter = counter;
  cmac.rekey(t.validator_key);
  r.validator_cryptogram = compute_cryptogram(cmac, CryptogramRole::kValidator, c, counter);
  cmac.rekey(t.issuer_key);
  r.issuer_cryptogram = compute_cryptogram(cmac, CryptogramRole::kIssuer, c, counter);
  return r;
}

// Decode the response bytes, derive the token key, check cryptogram, expiry, limit, denylist,
// replay memory, store the record (DESIGN §7). Responses to the validator's coming challenges
// are prepared in batches outside the timing (the gate's random source is predictable here).
void BM_Validator_VerifyTap(benchmark::State& state) {
  constexpr size_t kTokens = 100'000;
  constexpr size_t kBatch = 8192;
  const auto tokens = make_tokens(kTokens);
  ValidatorConfig cfg;
  cfg.id = ValidatorId(7);
  cfg.stop = StopId(1);
  cfg.store_capacity = 1 << 17;
  Validator v(cfg, key_from(9));
  (void)v.install_key(1, kKeys.validator);
  {
    // A realistic denylist of 10,000 tokens and 10,000 accounts (none of ours).
    DenylistPublisher pub(key_from(9), 4);
    SeededRandomSource r(11);
    for (int i = 0; i < 10'000; ++i) {
      pub.add_token(TokenId{r.next_u64(), r.next_u64()});
      pub.add_account(AccountId(r.next_u64()));
    }
    pub.commit();
    (void)v.apply_denylist(pub.full_update());
  }
  SeededRandomSource gate_random(21);
  AesCmac phone(Key128{});
  std::vector<std::string> bytes(kBatch);
  std::vector<Time> times(kBatch);
  size_t next_token = 0;
  uint16_t counter = 1;
  size_t i = kBatch;
  Time now = kT0 + Duration::hours(1);
  uint64_t accepted = 0;
  for (auto _ : state) {
    if (i == kBatch) {
      state.PauseTiming();
      if (v.store().size() + kBatch > v.store().capacity()) {
        const TapBatch b = v.make_batch(kMaxBatchRecords);
        BatchAck ack{v.id(), b.batch, {}};
        for (size_t s = v.last_sequence() - v.store().size() + 1; s <= v.last_sequence(); ++s) {
          ack.sequences.push_back(s);
          if (ack.sequences.size() == kMaxBatchRecords) {
            v.acknowledge(ack);
            ack.sequences.clear();
          }
        }
        v.acknowledge(ack);
      }
      SeededRandomSource predict = gate_random;
      for (size_t k = 0; k < kBatch; ++k) {
        now += Duration::micros(50);
        times[k] = now;
        const TapChallenge c{v.id(), now, predict.next_u64(), TapKind::kFlat};
        bytes[k] = encode(answer(phone, tokens[next_token], c, counter));
        if (++next_token == kTokens) {
          next_token = 0;
          ++counter;
        }
      }
      i = 0;
      state.ResumeTiming();
    }
    v.challenge(times[i], TapKind::kFlat, gate_random);
    const TapOutcome out = v.verify(as_bytes(bytes[i]), times[i]);
    accepted += out.accepted() ? 1u : 0u;
    ++i;
  }
  if (accepted != static_cast<uint64_t>(state.iterations())) {
    state.SkipWithError("a tap was refused");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Validator_VerifyTap);

// The phone: choose a token, consume its counter, both cryptograms, encode.
void BM_Wallet_AnswerChallenge(benchmark::State& state) {
  InMemoryAccountStatus accounts(kCny);
  IssuerKeyring ring;
  (void)ring.add(kKeys);
  Issuer issuer(ring, key_from(5), accounts);
  accounts.add_device(AccountId(1), DeviceId(2));
  accounts.set_balance(AccountId(1), Money(5000, kCny));
  IssuePolicy policy;
  policy.offline_limit = 65535;
  policy.tokens_per_grant = 3;
  policy.requests_per_device_per_hour = 1'000'000;
  policy.issuing_minimum = Money(0, kCny);
  SeededRandomSource random(1);
  const Enrolment e = issuer.enrol(AccountId(1), DeviceId(2));
  Wallet wallet(e.account, e.device, e.device_key, {});
  (void)wallet.accept_grant(issuer.issue(e.account, e.device, kT0, policy, random).grant);
  AesCmac scratch(Key128{}); // the phone app's one context
  Time now = kT0;
  for (auto _ : state) {
    now += Duration::micros(10);
    const TapChallenge c{ValidatorId(3), now, random.next_u64(), TapKind::kFlat};
    auto r = wallet.answer(c, now, scratch);
    if (!r) {
      state.PauseTiming();
      wallet.drop_spent(now);
      (void)wallet.accept_grant(issuer.issue(e.account, e.device, now, policy, random).grant);
      state.ResumeTiming();
      continue;
    }
    benchmark::DoNotOptimize(encode(*r));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Wallet_AnswerChallenge);

// A validator's denylist sync: one small delta (2 tokens and 1 account added, 1 token removed) on
// a list of range(0) tokens and as many accounts; a sync should cost the delta, not the list.
void BM_Denylist_ApplyDelta(benchmark::State& state) {
  const auto listed = static_cast<size_t>(state.range(0));
  constexpr size_t kDeltas = 256;
  DenylistPublisher pub(key_from(9), kDeltas + 1);
  SeededRandomSource r(11);
  for (size_t i = 0; i < listed; ++i) {
    pub.add_token(TokenId{r.next_u64(), r.next_u64()});
    pub.add_account(AccountId(r.next_u64()));
  }
  pub.commit();
  const DenylistUpdate full = pub.full_update();
  std::vector<DenylistUpdate> deltas;
  std::vector<TokenId> added;
  for (size_t d = 0; d < kDeltas; ++d) {
    for (int k = 0; k < 2; ++k) {
      added.push_back(TokenId{r.next_u64(), r.next_u64()});
      pub.add_token(added.back());
    }
    pub.add_account(AccountId(r.next_u64()));
    pub.remove_token(added[d]);
    const uint64_t before = pub.version();
    pub.commit();
    deltas.push_back(pub.update_for(before));
  }
  std::unique_ptr<Denylist> gate;
  size_t i = kDeltas;
  for (auto _ : state) {
    if (i == kDeltas) { // back to the full list, untimed
      state.PauseTiming();
      gate = std::make_unique<Denylist>(key_from(9), 1'000'000);
      (void)gate->apply(full);
      i = 0;
      state.ResumeTiming();
    }
    benchmark::DoNotOptimize(gate->apply(deltas[i++]));
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("deltas/s; list of " + std::to_string(listed) + " tokens + accounts each");
}
BENCHMARK(BM_Denylist_ApplyDelta)->Arg(1'000)->Arg(100'000);

// The issuer: checks, token ids, both key derivations per token, AES-GCM seal, encode; a
// different account and device every request.
void BM_Issuer_IssueGrant(benchmark::State& state) {
  const auto per_grant = static_cast<uint32_t>(state.range(0));
  constexpr uint64_t kAccounts = 100'000;
  InMemoryAccountStatus accounts(kCny);
  for (uint64_t a = 1; a <= kAccounts; ++a) {
    accounts.add_device(AccountId(a), DeviceId(a));
    accounts.set_balance(AccountId(a), Money(5000, kCny));
  }
  IssuerKeyring ring;
  (void)ring.add(kKeys);
  Issuer issuer(ring, key_from(5), accounts);
  IssuePolicy policy;
  policy.tokens_per_grant = per_grant;
  policy.requests_per_device_per_hour = 1'000'000;
  policy.issuing_minimum = Money(0, kCny);
  SeededRandomSource random(1);
  uint64_t a = 0;
  Time now = kT0;
  for (auto _ : state) {
    a = a % kAccounts + 1;
    now += Duration::micros(10);
    const IssueOutcome out = issuer.issue(AccountId(a), DeviceId(a), now, policy, random);
    benchmark::DoNotOptimize(encode(out.grant));
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("grants/s; tokens per grant " + std::to_string(per_grant));
}
BENCHMARK(BM_Issuer_IssueGrant)->Arg(1)->Arg(4);

// The cloud: decode an uploaded batch of 500 records and check each (both cryptograms, duplicate,
// clone, limit, travel, time bounds); distinct tokens, accounts and validators.
void BM_Settlement_CheckTaps(benchmark::State& state) {
  constexpr size_t kTokens = 100'000;
  constexpr size_t kPerBatch = 500;
  constexpr size_t kBatches = 64;
  const auto tokens = make_tokens(kTokens);
  IssuerKeyring ring;
  (void)ring.add(kKeys);
  SettlementChecker checker(
      ring, [](StopId x, StopId y) { return uint64_t{x.value() > y.value() ? 1000u : 500u}; });
  AesCmac phone(Key128{});
  SeededRandomSource random(4);
  std::vector<std::string> batches(kBatches);
  size_t next_token = 0;
  uint16_t counter = 1;
  uint32_t next_validator = 1;
  size_t b = kBatches;
  Time now = kT0 + Duration::hours(1);
  for (auto _ : state) {
    if (b == kBatches) {
      state.PauseTiming();
      checker.forget_before(now - Duration::hours(2));
      for (auto& bytes : batches) {
        TapBatch batch;
        batch.validator = ValidatorId(next_validator++);
        batch.batch = 1;
        for (uint64_t s = 1; s <= kPerBatch; ++s) {
          now += Duration::micros(100);
          TapRecord rec;
          rec.validator = batch.validator;
          rec.sequence = s;
          rec.stop = StopId(static_cast<uint32_t>(s % 50));
          rec.challenge = TapChallenge{batch.validator, now, random.next_u64(), TapKind::kFlat};
          rec.response = answer(phone, tokens[next_token], rec.challenge, counter);
          if (++next_token == kTokens) {
            next_token = 0;
            ++counter;
          }
          batch.records.push_back(rec);
        }
        bytes = encode(batch);
      }
      b = 0;
      state.ResumeTiming();
    }
    auto batch = decode_tap_batch(as_bytes(batches[b++]));
    if (!batch.ok()) {
      state.SkipWithError(batch.error().to_string().c_str());
      break;
    }
    benchmark::DoNotOptimize(checker.check(batch.value(), now));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kPerBatch));
}
BENCHMARK(BM_Settlement_CheckTaps);

} // namespace
