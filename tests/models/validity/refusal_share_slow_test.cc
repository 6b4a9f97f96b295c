// Validity (issue 15, DESIGN §7): in the validity mode (Poisson taps, zero cloud latency, tokens
// that outlive the run, one class, exponential on/off network, refill after every use) the whole
// CityRun — real wallets answering real validators, the real issuer refilling them — refuses a
// share of taps inside the 95 % confidence interval of the exact Markov chain's value.
//
// The runs start with full wallets, which sit below the stationary refusal share for hours, so
// the chain's value is its transient solution averaged over the same day (no warm-up to waste).
// The interval comes from independent replications: each run has its own seed, so its riders'
// tap, network and token streams are independent of every other run's; a run's refusal share is
// one observation, and the Student-t interval over them needs no assumption about the
// correlation between a rider's taps (which is strong: refusals come in bursts while offline).
#include "models/run/city_run.h"
#include "models/scenario/scenario_loader.h"
#include "models/validity/refusal_chain.h"
#include "sim/stats/confidence_interval.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

namespace hcesim::models {
namespace {

struct Case {
  const char* name;
  uint32_t offline_limit;
  uint32_t tokens_per_grant;
  uint32_t wallet_size;
  double taps_per_hour;
  const char* mean_online;
  const char* mean_offline;
};

void PrintTo(const Case& c, std::ostream* os) {
  *os << c.name;
}

ScenarioConfig validity_run(const Case& c, uint32_t riders) {
  std::vector<std::string> sets = {
      "population.riders=" + std::to_string(riders),
      "city.synthetic.metro_lines=1",
      "city.synthetic.stations_per_line=4",
      "city.synthetic.bus_routes=12",
      "city.synthetic.stops_per_bus_route=6",
      "city.synthetic.size_km=6",
      "warmup=0s",
      "days=1",
      "drain=1h",
      // The validity mode.
      "population.trip_model=POISSON_TAPS",
      "population.taps_per_hour=" + std::to_string(c.taps_per_hour),
      "population.on_refusal=FALLBACK",
      "population.hce_share=1",
      "cloud.zero_latency=true",
      "token_policy.lifetime=7d",
      "network.data_off_share=0",
      "network.offline_underground=false",
      "network.mean_online=" + std::string(c.mean_online),
      "network.mean_offline=" + std::string(c.mean_offline),
      "token_policy.offline_limit=" + std::to_string(c.offline_limit),
      "token_policy.tokens_per_grant=" + std::to_string(c.tokens_per_grant),
      "token_policy.wallet_size=" + std::to_string(c.wallet_size),
      // Nothing else may refuse a token or a tap: money and the issuer's rate limit are ample.
      "population.initial_balance=10000.00",
      "top_up.auto_share=0",
      "token_policy.requests_per_device_per_hour=3600",
  };
  const LoadedScenario loaded =
      load_scenario_text("", HCESIM_SOURCE_DIR "/scenarios/validity_test.txtpb", false, sets);
  EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.errors.front().to_string());
  return loaded.config;
}

struct Share {
  int64_t refused = 0;
  int64_t taps = 0;
};

Share run_share(const ScenarioConfig& cfg, const World& world) {
  CityRun run(cfg, world);
  run.run();
  const RunKpis& k = run.kpis();
  Share s;
  s.refused = k.taps_refused[kNoTokenRefusal].value();
  s.taps = k.taps_accepted.value() + s.refused;
  // Only an empty wallet may refuse, and the issuer never refuses a request.
  for (int r = 0; r < kNoTokenRefusal; ++r) {
    EXPECT_EQ(k.taps_refused[static_cast<size_t>(r)].value(), 0) << tap_failure_name(r);
  }
  for (const auto& c : k.issue_refusals) {
    EXPECT_EQ(c.value(), 0);
  }
  EXPECT_EQ(k.grants_undelivered.value(), 0);
  return s;
}

class RefusalShare : public ::testing::TestWithParam<Case> {};

TEST_P(RefusalShare, OfTheRunIsInsideTheConfidenceIntervalOfTheMarkovChain) {
  const Case c = GetParam();
  constexpr uint32_t kRiders = 100;
  constexpr int kReplications = 10;
  ScenarioConfig cfg = validity_run(c, kRiders);
  ASSERT_TRUE(validity_mode_errors(cfg).empty()) << validity_mode_errors(cfg).front().to_string();
  auto world = build_world(cfg);
  ASSERT_TRUE(world.ok());

  sim::Tally shares;
  int64_t taps = 0;
  int64_t refused = 0;
  for (int i = 0; i < kReplications; ++i) {
    ScenarioConfig rep = cfg;
    rep.seed = 1 + static_cast<uint64_t>(i);
    const Share s = run_share(rep, *world);
    ASSERT_GT(s.taps, 0);
    shares.add(static_cast<double>(s.refused) / static_cast<double>(s.taps));
    taps += s.taps;
    refused += s.refused;
  }
  const auto ci = sim::confidence_interval(shares, 0.95);
  ASSERT_TRUE(ci.has_value());

  const RefusalChain chain(refusal_chain_parameters(cfg));
  const double horizon_h = 24.0;
  const double transient = chain.refusal_share(chain.window_average(chain.start(), 0.0, horizon_h));
  const double stationary = chain.refusal_share(chain.stationary());
  std::printf("[validity] %s: N=%u g=%u W=%u taps/h=%.2f on=%s off=%s: chain %.5f (stationary "
              "%.5f, %zu states); run %.5f ± %.5f (%lld of %lld taps, %d runs)\n",
              c.name, c.offline_limit, c.tokens_per_grant, c.wallet_size, c.taps_per_hour,
              c.mean_online, c.mean_offline, transient, stationary, chain.size(), ci->mean,
              ci->half_width, static_cast<long long>(refused), static_cast<long long>(taps),
              kReplications);
  EXPECT_TRUE(ci->contains(transient))
      << "chain " << transient << " outside " << ci->mean << " ± " << ci->half_width;
  // The check has teeth: the interval is much narrower than the share it measures, and it
  // excludes the chain of a wallet with one tap more per token.
  EXPECT_LT(ci->half_width, 0.2 * transient);
  RefusalChainParameters more = refusal_chain_parameters(cfg);
  ++more.offline_limit;
  const RefusalChain wrong(more);
  const double wrong_share = wrong.refusal_share(wrong.window_average(wrong.start(), 0, horizon_h));
  std::printf("[validity] %s: the chain with N=%u gives %.5f\n", c.name, more.offline_limit,
              wrong_share);
  EXPECT_FALSE(ci->contains(wrong_share));
}

INSTANTIATE_TEST_SUITE_P(
    ValidityMode, RefusalShare,
    ::testing::Values(Case{"one_tap_tokens", 1, 1, 1, 2.0, "1h", "30min"},
                      Case{"three_taps_two_tokens", 3, 1, 2, 3.0, "30min", "1h"},
                      Case{"two_taps_grants_of_two", 2, 2, 3, 3.0, "20min", "40min"}),
    [](const ::testing::TestParamInfo<Case>& i) { return std::string(i.param.name); });

} // namespace
} // namespace hcesim::models
