// The validity mode's Markov chain against cases solved by hand, and the scenario conditions it
// needs.
#include "models/validity/refusal_chain.h"

#include "models/scenario/scenario_loader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace hcesim::models {
namespace {

RefusalChainParameters params(double lambda, double alpha, double beta, uint32_t n, uint32_t g,
                              uint32_t w) {
  return RefusalChainParameters{lambda, alpha, beta, n, g, w};
}

using S = RefusalChain::State;

// A scenario file name whose folder holds the default fare rules.
constexpr const char* kScenario = HCESIM_SOURCE_DIR "/scenarios/validity_test.txtpb";

TEST(RefusalChain, OneTapPerTokenAndOneTokenIsAThreeStateChainSolvedByHand) {
  // N = g = W = 1: online the wallet refills after every tap, so it always holds its one tap:
  // A = (on, 1); B = (off, 1); C = (off, 0), where taps are refused. A→B α, B→A β, B→C λ, C→A β.
  // Balance: π_B (β + λ) = α π_A, π_C β = λ π_B, so π_B = α π_A / (β + λ),
  // π_C = λ α π_A / (β (β + λ)). With α = 2, β = 3, λ = 1: π_A : π_B : π_C = 1 : 1/2 : 1/6,
  // π = (3/5, 3/10, 1/10).
  const RefusalChain chain(params(1, 2, 3, 1, 1, 1));
  ASSERT_EQ(chain.size(), 3u);
  const size_t a = chain.index_of(S{true, 1, false});
  const size_t b = chain.index_of(S{false, 1, false});
  const size_t c = chain.index_of(S{false, 0, true});
  ASSERT_LT(a, 3u);
  ASSERT_LT(b, 3u);
  ASSERT_LT(c, 3u);
  const auto& q = chain.generator();
  auto at = [](size_t i) { return static_cast<Eigen::Index>(i); };
  EXPECT_DOUBLE_EQ(q(at(a), at(b)), 2.0);
  EXPECT_DOUBLE_EQ(q(at(b), at(a)), 3.0);
  EXPECT_DOUBLE_EQ(q(at(b), at(c)), 1.0);
  EXPECT_DOUBLE_EQ(q(at(c), at(a)), 3.0);
  EXPECT_DOUBLE_EQ(q(at(a), at(c)), 0.0);
  EXPECT_NEAR(q.rowwise().sum().cwiseAbs().maxCoeff(), 0.0, 1e-12);
  const Eigen::VectorXd pi = chain.stationary();
  EXPECT_NEAR(pi(at(a)), 0.6, 1e-12);
  EXPECT_NEAR(pi(at(b)), 0.3, 1e-12);
  EXPECT_NEAR(pi(at(c)), 0.1, 1e-12);
  EXPECT_NEAR(chain.refusal_share(pi), 0.1, 1e-12);
  EXPECT_NEAR(chain.online_share(pi), 3.0 / 5.0, 1e-12);
}

TEST(RefusalChain, ASecondTokenOfOneTapOnlyDelaysTheFirstRefusal) {
  // N = g = 1, W = 2: the run starts with 2 taps. Online each tap is replaced at once (2 → 1, one
  // unused token < 2, a grant: 2). Offline taps drain it; back online the phone asks once and gets
  // one token, and from then on each tap is replaced one for one: the wallet never holds 2 again.
  // So {(on,2), (off,2), (off,1,used)} are transient, and the recurrent states (on,1), (off,1),
  // (off,0) are the three-state chain of the test above: the same stationary refusal share 1/10.
  const RefusalChain chain(params(1, 2, 3, 1, 1, 2));
  ASSERT_EQ(chain.size(), 6u);
  const Eigen::VectorXd pi = chain.stationary();
  auto mass = [&](S s) {
    const size_t i = chain.index_of(s);
    EXPECT_LT(i, chain.size());
    return pi(static_cast<Eigen::Index>(i));
  };
  EXPECT_NEAR(mass(S{true, 2, false}), 0.0, 1e-12);
  EXPECT_NEAR(mass(S{false, 2, false}), 0.0, 1e-12);
  EXPECT_NEAR(mass(S{false, 1, true}), 0.0, 1e-12);
  EXPECT_NEAR(mass(S{true, 1, false}), 0.6, 1e-12);
  EXPECT_NEAR(mass(S{false, 1, false}), 0.3, 1e-12);
  EXPECT_NEAR(mass(S{false, 0, true}), 0.1, 1e-12);
  EXPECT_NEAR(chain.refusal_share(pi), 0.1, 1e-12);
  // Before it is absorbed the second token does protect: the first hour refuses less.
  const double first_hour = chain.refusal_share(chain.window_average(chain.start(), 0, 1));
  const RefusalChain one(params(1, 2, 3, 1, 1, 1));
  EXPECT_LT(first_hour, one.refusal_share(one.window_average(one.start(), 0, 1)));
}

TEST(RefusalChain, TheWalletAsksOnlyWhileItHoldsFewerUnusedTokensThanItsSize) {
  // N = 3, g = 1, W = 2: the run starts with 2 tokens (6 taps); an online tap leaves 5 taps, one
  // unused token (< 2), so a grant brings 8; the next online tap leaves 7 = two unused + one
  // partly used: no request.
  const RefusalChain chain(params(1, 1, 1, 3, 1, 2));
  EXPECT_EQ(chain.full_wallet(), 6u);
  EXPECT_LT(chain.index_of(S{true, 8, false}), chain.size());
  EXPECT_LT(chain.index_of(S{true, 7, true}), chain.size());
  // A grant comes only while fewer than 2 tokens are unused (at most 5 taps left), so no state
  // holds more than 5 + 3 = 8 taps.
  uint32_t most = 0;
  for (size_t i = 0; i < chain.size(); ++i) {
    most = std::max(most, chain.state(i).taps_left);
  }
  EXPECT_EQ(most, 8u);
  EXPECT_EQ(chain.index_of(S{true, 10, false}), chain.size());
}

TEST(RefusalChain, TheTransientLawMatchesTheTwoStateNetworkByHand) {
  // Without taps only the network moves: P(on at t | on at 0) = p + (1 − p) e^{−(α+β)t} with
  // p = β / (α + β), and its time average over [0, T] is p + (1 − p)(1 − e^{−(α+β)T}) / ((α+β)T).
  const double alpha = 0.5;
  const double beta = 2.0;
  const RefusalChain chain(params(0, alpha, beta, 2, 1, 1));
  ASSERT_EQ(chain.size(), 2u);
  Eigen::VectorXd p0 = Eigen::VectorXd::Zero(2);
  p0(static_cast<Eigen::Index>(chain.index_of(S{true, 2, false}))) = 1.0;
  const double p = beta / (alpha + beta);
  const double s = alpha + beta;
  EXPECT_NEAR(chain.online_share(chain.at(p0, 0.7)), p + (1 - p) * std::exp(-s * 0.7), 1e-10);
  const double t = 3.0;
  EXPECT_NEAR(chain.online_share(chain.window_average(p0, 0.0, t)),
              p + (1 - p) * (1 - std::exp(-s * t)) / (s * t), 1e-10);
  // Over [1, 3]: (∫₀³ − ∫₀¹) / 2.
  const double i3 = p * 3 + (1 - p) * (1 - std::exp(-s * 3)) / s;
  const double i1 = p * 1 + (1 - p) * (1 - std::exp(-s * 1)) / s;
  EXPECT_NEAR(chain.online_share(chain.window_average(p0, 1.0, 3.0)), (i3 - i1) / 2, 1e-10);
}

TEST(RefusalChain, AFullWalletStartsBelowTheStationaryRefusalShareAndConvergesToIt) {
  const RefusalChain chain(params(2, 1, 0.5, 2, 1, 1));
  const double stationary = chain.refusal_share(chain.stationary());
  const Eigen::VectorXd p0 = chain.start();
  EXPECT_NEAR(p0.sum(), 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(chain.refusal_share(p0), 0.0);
  const double first_hour = chain.refusal_share(chain.window_average(p0, 0, 1));
  EXPECT_LT(first_hour, 0.5 * stationary);
  EXPECT_NEAR(chain.refusal_share(chain.at(p0, 200)), stationary, 1e-9);
  EXPECT_NEAR(chain.refusal_share(chain.window_average(p0, 100, 200)), stationary, 1e-9);
}

TEST(RefusalChain, AScenarioOutsideTheValidityModeNamesEveryUnmetCondition) {
  const LoadedScenario normal = load_scenario_text("", kScenario, false, {});
  ASSERT_TRUE(normal.ok());
  const Errors e = validity_mode_errors(normal.config);
  std::vector<std::string> fields;
  for (const Error& x : e) {
    fields.push_back(x.where);
  }
  EXPECT_EQ(fields, (std::vector<std::string>{"population.trip_model", "population.on_refusal",
                                              "cloud.zero_latency", "token_policy.lifetime",
                                              "network.data_off_share"}));
  EXPECT_NE(e.front().what.find("must be POISSON_TAPS"), std::string::npos);

  const LoadedScenario mode = load_scenario_text(
      "", kScenario, false,
      {"population.trip_model=POISSON_TAPS", "population.taps_per_hour=2",
       "population.on_refusal=FALLBACK", "cloud.zero_latency=true", "token_policy.lifetime=7d",
       "network.data_off_share=0", "network.mean_online=30min", "network.mean_offline=20min",
       "token_policy.offline_limit=4", "token_policy.tokens_per_grant=2",
       "token_policy.wallet_size=3"});
  ASSERT_TRUE(mode.ok()) << mode.errors.front().to_string();
  EXPECT_TRUE(validity_mode_errors(mode.config).empty());
  const RefusalChainParameters p = refusal_chain_parameters(mode.config);
  EXPECT_DOUBLE_EQ(p.taps_per_hour, 2.0);
  EXPECT_DOUBLE_EQ(p.loss_per_hour, 2.0);
  EXPECT_DOUBLE_EQ(p.return_per_hour, 3.0);
  EXPECT_EQ(p.offline_limit, 4u);
  EXPECT_EQ(p.tokens_per_grant, 2u);
  EXPECT_EQ(p.wallet_size, 3u);
}

} // namespace
} // namespace hcesim::models

namespace hcesim::models {
namespace {

TEST(RefusalChain, TheShippedValidityScenarioIsInTheValidityMode) {
  const LoadedScenario s = load_scenario(HCESIM_SOURCE_DIR "/scenarios/validity.txtpb", {});
  ASSERT_TRUE(s.ok()) << s.errors.front().to_string();
  const Errors e = validity_mode_errors(s.config);
  EXPECT_TRUE(e.empty()) << e.front().to_string();
  const RefusalChain chain(refusal_chain_parameters(s.config));
  const double share = chain.refusal_share(chain.window_average(chain.start(), 0, 24));
  EXPECT_GT(share, 0.01); // refusals happen: the scenario measures something
}

} // namespace
} // namespace hcesim::models
