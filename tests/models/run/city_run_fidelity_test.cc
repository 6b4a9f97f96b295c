// The run's model of the world, item by item: top-ups wait for the top-up service and the bank,
// tokens wasted are counted wherever they are lost, a phone has one token request out at a time,
// an upload answered during an outage frees its batch, and keys rotate.
#include "models/run/city_run.h"

#include "small_run.h"

#include <gtest/gtest.h>

#include <set>
#include <utility>

namespace hcesim::models {
namespace {

using run_test::collect_entries;
using run_test::small_run;

struct Ran {
  explicit Ran(const ScenarioConfig& c) : cfg(c), world(build_world(cfg)) {
    EXPECT_TRUE(world.ok());
    run = std::make_unique<CityRun>(cfg, *world);
    run->observe_journal(
        [this](const cloud::JournalRecord& rec) { collect_entries(rec, entries); });
    run->run();
  }
  ScenarioConfig cfg;
  Result<World> world;
  std::unique_ptr<CityRun> run;
  std::vector<cloud::LedgerEntry> entries; //!< every entry posted (the run's ledger archives them)
};

TEST(CityRunModel, TopUpsWaitForTheTopUpServiceAndTheBanksLatency) {
  Ran r(small_run("", {"population.initial_balance=3.00", "top_up.auto_share=1",
                       "top_up.threshold=20.00", "top_up.amount=30.00", "bank.mean_latency=20s",
                       "bank.timeout=2min"}));
  const RunKpis& k = r.run->kpis();
  ASSERT_GT(k.top_ups.sent.value(), 20);
  // Every charge went through the top-up queue.
  EXPECT_EQ(r.run->bank().queue().accepted().value() + r.run->bank().queue().refused().value(),
            k.top_ups.sent.value());
  EXPECT_GT(k.top_ups.latency_s.mean(), 5.0);
  // No top-up is credited at the moment it was requested: the bank's answer takes time.
  std::set<std::pair<uint64_t, int64_t>> requested;
  for (const auto& [id, q] : r.run->services().top_ups().state().requests) {
    requested.emplace(id.account.value(), q.requested_at.us());
  }
  uint64_t credits = 0;
  for (const cloud::LedgerEntry& e : r.entries) {
    if (e.reason == cloud::EntryReason::kTopUp) {
      ++credits;
      EXPECT_EQ(requested.count({e.account.value(), e.at.us()}), 0U);
    }
  }
  EXPECT_GT(credits, 10U);
}

TEST(CityRunModel, AtTheEndNoExpiredTokenIsLeftUncounted) {
  Ran r(small_run("", {"token_policy.lifetime=1h"}));
  const Time end = r.run->end_time();
  uint64_t held_expired = 0;
  for (uint32_t rider = 0; rider < r.cfg.population.riders; ++rider) {
    if (const hce::Wallet* w = r.run->wallet(rider)) {
      for (const hce::WalletToken& t : w->tokens()) {
        held_expired += t.token.header.expires_at < end ? 1U : 0U;
      }
    }
  }
  EXPECT_EQ(held_expired, 0U);
  EXPECT_GT(r.run->kpis().tokens_expired_unused.value(), 200);
}

TEST(CityRunModel, GrantsToPhonesThatWentOfflineAreWastedTokens) {
  // Tokens that never expire within the run: every wasted token is one never delivered.
  // Phones online for a minute at a time, grants 30 s after the request on average.
  Ran r(small_run("cloud { issuing { servers: 100 mean_service_time: \"30s\" "
                  "client_timeout: \"5min\" } }\n",
                  {"token_policy.lifetime=30d", "token_policy.key_rotation=40d",
                   "network.mean_online=1min", "network.mean_offline=5min"}));
  const RunKpis& k = r.run->kpis();
  ASSERT_GT(k.grants_undelivered.value(), 0);
  EXPECT_GE(k.tokens_expired_unused.value(), k.grants_undelivered.value());
  EXPECT_EQ(k.taps_expired_unused.value(),
            k.tokens_expired_unused.value() * int64_t{r.cfg.token_policy.offline_limit});
}

TEST(CityRunModel, APhoneNeverHasTwoTokenRequestsOut) {
  // A slow, overloaded issuing service and a wallet that stops waiting after 2 min (before
  // the service's 10 min): a phone asks again while the server still works on its first
  // request, whose grant then reaches nobody; without the rule it would collect both grants.
  Ran r(small_run("cloud { issuing { servers: 1 mean_service_time: \"20s\" "
                  "client_timeout: \"10min\" } }\n",
                  {"refill.request_timeout=2min", "token_policy.tokens_per_grant=1",
                   "token_policy.wallet_size=2"}));
  EXPECT_GT(r.run->kpis().grants.value(), 100);
  EXPECT_GT(r.run->kpis().token_requests.timed_out.value(), 0); // the phone's own 2 min
  EXPECT_LE(r.run->most_fresh_tokens(), 2U);
}

TEST(CityRunModel, AnUploadAnsweredDuringAnOutageFreesItsBatch) {
  // Slow settlement with many servers, so batches are in service when the cloud goes down.
  Ran r(small_run("cloud { settlement { servers: 50 mean_service_time: \"20s\" "
                  "client_timeout: \"5min\" } "
                  "outages { start: \"08:00\" duration: \"30min\" } "
                  "outages { start: \"17:30\" duration: \"20min\" } }\n",
                  {"validators.station_upload_interval=1min"}));
  EXPECT_GT(r.run->kpis().uploads.wasted.value(), 0);
  EXPECT_EQ(r.run->batches_in_flight(), 0U);
  EXPECT_EQ(r.run->records_received_total(), r.run->taps_accepted_total());
}

TEST(CityRunModel, KeysRotateAndValidatorsLearnTheNewGenerationWhenTheySync) {
  // One rotation, at 30 h (the run ends at 60 h).
  Ran r(small_run("", {"days=2", "token_policy.key_rotation=30h"}));
  const KeyRotation& keys = r.run->key_rotation();
  EXPECT_EQ(keys.generation(), 2U);
  EXPECT_GT(keys.validators_current(), 0U);
  // Tokens issued after the rotation are under generation 2; the wallets hold some at the end.
  const Time rotation = Time::epoch() + Duration::hours(30);
  uint32_t new_generation = 0;
  for (uint32_t rider = 0; rider < r.cfg.population.riders; ++rider) {
    if (const hce::Wallet* w = r.run->wallet(rider)) {
      for (const hce::WalletToken& t : w->tokens()) {
        const auto& h = t.token.header;
        EXPECT_EQ(h.key_version, h.issued_at >= rotation ? 2U : 1U);
        new_generation += h.key_version == 2 ? 1U : 0U;
      }
    }
  }
  EXPECT_GT(new_generation, 100U);
  // Every tap accepted under either generation settles as genuine.
  EXPECT_EQ(r.run->kpis().records_not_genuine.value(), 0);
  EXPECT_EQ(r.run->records_received_total(), r.run->taps_accepted_total());
}

} // namespace
} // namespace hcesim::models
