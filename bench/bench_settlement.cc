// Cloud settlement speed (DESIGN §7): the whole path of an uploaded tap through the account
// services — batch bytes decoded, the token code's settlement checks (both cryptograms
// re-verified, duplicate, clone, limit, travel and time checks), entry/exit pairing, pricing on
// the Nanchang metro's distance-band fare table, ledger posting and journal appends — over
// distinct accounts and tokens. Target (issue 14): >= 500,000 taps/s on one core, release build.
#include "hce/cloud/account_services.h"
#include "hce/cloud/fare_engine_pricer.h"
#include "hce/fare/fare_engine.h"
#include "hce/random_source.h"
#include "hce/token/settlement_check.h"
#include "hce/token/token_keys.h"
#include "hce/token/wire.h"

#include <benchmark/benchmark.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

using namespace hcesim;
using namespace hcesim::cloud;

namespace {

const Currency kCny = Currency::from_code("CNY").value();
const Time kT0 = Time::epoch() + Duration::days(1);

hce::Key128 key_from(uint8_t seed) {
  hce::Key128 k{};
  for (size_t i = 0; i < k.size(); ++i) {
    k[i] = static_cast<uint8_t>(seed * 31 + i * 7 + 1);
  }
  return k;
}
const hce::MasterKeys kKeys{1, key_from(1), key_from(2)};

//! The bank is never called here (no top-up rules): settlement alone is measured.
class NoBank final : public BankPort {
public:
  BankAnswer charge(const BankCharge&, Time) override { return {}; }
};

std::filesystem::path nanchang_rules() {
  return std::filesystem::path(__FILE__).parent_path().parent_path() / "scenarios" / "fares" /
         "nanchang.txtpb";
}

// One metro journey per account: an entry record at one gate and an exit record at another,
// uploaded by the gates in batches of kPerBatch.
struct Uploads {
  std::vector<std::string> batches; //!< encoded TapBatch bytes, in upload order
  std::vector<AccountId> accounts;
};

constexpr size_t kAccounts = 100'000;
constexpr size_t kPerBatch = 500;

Uploads make_uploads(uint32_t stations) {
  hce::IssuerKeyring ring;
  (void)ring.add(kKeys);
  hce::SeededRandomSource random(3);
  hce::AesCmac phone(hce::Key128{});
  Uploads out;
  hce::TapBatch entries;
  hce::TapBatch exits;
  uint32_t next_gate = 1;
  auto flush = [&] {
    out.batches.push_back(hce::encode(entries));
    out.batches.push_back(hce::encode(exits));
    entries = hce::TapBatch{ValidatorId(next_gate++), 1, {}};
    exits = hce::TapBatch{ValidatorId(next_gate++), 1, {}};
  };
  entries = hce::TapBatch{ValidatorId(next_gate++), 1, {}};
  exits = hce::TapBatch{ValidatorId(next_gate++), 1, {}};
  for (size_t i = 0; i < kAccounts; ++i) {
    hce::TokenHeader h;
    h.id = TokenId{random.next_u64() | 1, random.next_u64()};
    h.account = AccountId(1'000'000 + i);
    h.device = DeviceId(5'000'000 + i);
    h.issued_at = kT0;
    h.expires_at = kT0 + Duration::hours(24);
    h.offline_limit = 10;
    h.key_version = 1;
    hce::Key128 vk;
    hce::Key128 ik;
    ring.derive(h, vk, ik);
    out.accounts.push_back(h.account);
    const Time in = kT0 + Duration::hours(1) + Duration::millis(static_cast<int64_t>(i));
    const uint32_t from = static_cast<uint32_t>(random.next_u64() % stations);
    const uint32_t to = static_cast<uint32_t>(random.next_u64() % stations);
    for (int leg = 0; leg < 2; ++leg) {
      hce::TapBatch& b = leg == 0 ? entries : exits;
      hce::TapRecord r;
      r.validator = b.validator;
      r.sequence = b.records.size() + 1;
      r.stop = StopId(leg == 0 ? from : to);
      r.challenge = hce::TapChallenge{b.validator, leg == 0 ? in : in + Duration::minutes(20),
                                      random.next_u64(),
                                      leg == 0 ? hce::TapKind::kEntry : hce::TapKind::kExit};
      const uint16_t counter = static_cast<uint16_t>(1 + leg);
      r.response.header = h;
      r.response.counter = counter;
      phone.rekey(vk);
      r.response.validator_cryptogram =
          hce::compute_cryptogram(phone, hce::CryptogramRole::kValidator, r.challenge, counter);
      phone.rekey(ik);
      r.response.issuer_cryptogram =
          hce::compute_cryptogram(phone, hce::CryptogramRole::kIssuer, r.challenge, counter);
      b.records.push_back(r);
    }
    if (entries.records.size() == kPerBatch) {
      flush();
    }
  }
  return out;
}

void BM_Settlement_SettleTaps(benchmark::State& state) {
  static auto engine = fare::FareEngine::from_rule_file(nanchang_rules());
  if (!engine) {
    state.SkipWithError(engine.error().to_string().c_str());
    return;
  }
  const auto stations = static_cast<uint32_t>(engine->distance()->stations().size());
  static const Uploads uploads = make_uploads(stations);
  FareEnginePricer pricer(*engine, Money(600, kCny));
  NoBank bank;
  hce::IssuerKeyring ring;
  (void)ring.add(kKeys);
  const Time now = kT0 + Duration::hours(30);
  std::unique_ptr<InMemoryJournal> journal;
  std::unique_ptr<hce::SettlementChecker> checks;
  std::unique_ptr<AccountServices> services;
  size_t next = uploads.batches.size();
  int64_t taps = 0;
  for (auto _ : state) {
    if (next == uploads.batches.size()) {
      // A fresh cloud with every account open (set-up, not timed).
      state.PauseTiming();
      if (services && services->settlement().figures().journeys_charged != kAccounts) {
        state.SkipWithError("not every journey was charged");
        return;
      }
      services.reset();
      journal = std::make_unique<InMemoryJournal>();
      checks = std::make_unique<hce::SettlementChecker>(
          ring, [](StopId a, StopId b) { return uint64_t{a.value() > b.value() ? 900u : 400u}; });
      services = std::make_unique<AccountServices>(
          *journal, pricer, bank, AccountServicesConfig{kCny, SettlementPolicy{}, TopUpPolicy{}},
          nullptr, checks.get());
      for (AccountId a : uploads.accounts) {
        (void)services->open_account(a, Money(2000, kCny), Money(5000, kCny), kT0);
      }
      next = 0;
      state.ResumeTiming();
    }
    auto batch = hce::decode_tap_batch(hce::as_bytes(uploads.batches[next++]));
    const auto receipt = services->settle_batch(batch.value(), now);
    if (receipt.accepted != kPerBatch) {
      state.SkipWithError("a tap was not accepted");
      return;
    }
    taps += receipt.accepted;
  }
  state.SetItemsProcessed(taps);
}
BENCHMARK(BM_Settlement_SettleTaps)->Unit(benchmark::kMicrosecond);

// For reference: the token code's share of the path above (decode and settlement checks only).
void BM_Settlement_ChecksOnly(benchmark::State& state) {
  static auto engine = fare::FareEngine::from_rule_file(nanchang_rules());
  if (!engine) {
    state.SkipWithError(engine.error().to_string().c_str());
    return;
  }
  static const Uploads uploads =
      make_uploads(static_cast<uint32_t>(engine->distance()->stations().size()));
  hce::IssuerKeyring ring;
  (void)ring.add(kKeys);
  const Time now = kT0 + Duration::hours(30);
  std::unique_ptr<hce::SettlementChecker> checks;
  size_t next = uploads.batches.size();
  for (auto _ : state) {
    if (next == uploads.batches.size()) {
      state.PauseTiming();
      checks = std::make_unique<hce::SettlementChecker>(
          ring, [](StopId a, StopId b) { return uint64_t{a.value() > b.value() ? 900u : 400u}; });
      next = 0;
      state.ResumeTiming();
    }
    auto batch = hce::decode_tap_batch(hce::as_bytes(uploads.batches[next++]));
    benchmark::DoNotOptimize(checks->check(batch.value(), now));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kPerBatch));
}
BENCHMARK(BM_Settlement_ChecksOnly)->Unit(benchmark::kMicrosecond);

} // namespace
