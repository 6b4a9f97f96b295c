#pragma once
// The exact continuous-time Markov chain of one rider in the validity mode (models/README.md,
// "Validity mode"), against which a run's refusal share is checked: state = (phone online?, taps
// left in the wallet, tokens used since the last grant?), built from what the wallet and CityRun
// do with instant cloud answers and tokens that outlive the run (the README derives each
// transition), and solved numerically with Eigen from its generator matrix: the stationary law
// from Qᵀπ = 0, Σπ = 1, and the transient law's time average over a window, from the matrix
// exponential. Poisson taps see the chain's time averages (PASTA), so the refusal share is the
// probability mass on "no taps left". Dense matrices: meant for test-sized wallets (at most
// 4 × (W + g) × N states, a few hundred), not for N = 100 with 20 tokens.
#include "base/error.h"
#include "models/scenario/scenario_config.h"

#include <Eigen/Dense>

#include <cstdint>
#include <vector>

namespace hcesim::models {

//! The chain's inputs; rates per hour.
struct RefusalChainParameters {
  double taps_per_hour = 1;      //!< λ: the rider's Poisson tap rate
  double loss_per_hour = 1;      //!< α = 1 / mean time online
  double return_per_hour = 1;    //!< β = 1 / mean time offline
  uint32_t offline_limit = 1;    //!< N: taps per token
  uint32_t tokens_per_grant = 1; //!< g
  uint32_t wallet_size = 1;      //!< W: the phone asks while it holds fewer unused tokens
};

//! What a scenario must set for the chain to describe its run: one error per unmet condition,
//! naming the field and the rule (empty when the scenario is in the validity mode).
Errors validity_mode_errors(const ScenarioConfig& cfg);
//! The chain's inputs from a scenario in the validity mode.
RefusalChainParameters refusal_chain_parameters(const ScenarioConfig& cfg);

class RefusalChain {
public:
  struct State {
    bool online = false;
    uint32_t taps_left = 0;
    bool used = false; //!< a tap answered since the last grant (the wallet's after-use trigger)
    bool operator==(const State&) const = default;
  };

  //! Builds the generator over the states reachable from the run's start (a full wallet).
  explicit RefusalChain(const RefusalChainParameters& p);

  size_t size() const { return states_.size(); }
  const State& state(size_t i) const { return states_[i]; }
  //! Index of a state, or size() if it is not reachable.
  size_t index_of(const State& s) const;
  //! Q, per hour: Q(i, j) the rate from state i to j (i ≠ j), rows summing to 0.
  const Eigen::MatrixXd& generator() const { return q_; }
  //! Taps left in the wallet at the start: ceil(W / g) grants of g tokens of N taps.
  uint32_t full_wallet() const { return full_; }

  //! The stationary law π: Qᵀπ = 0, Σπ = 1.
  Eigen::VectorXd stationary() const;
  //! The run's start: a full wallet not yet used, the network in its stationary on/off law.
  Eigen::VectorXd start() const;
  //! The time-average of the law over [from_h, to_h] hours after starting in `p0`:
  //! (1 / (to − from)) ∫ p0ᵀ exp(Q s) ds, from exp([[Q, I], [0, 0]] t).
  Eigen::VectorXd window_average(const Eigen::VectorXd& p0, double from_h, double to_h) const;
  //! The law at t_h hours after starting in `p0`.
  Eigen::VectorXd at(const Eigen::VectorXd& p0, double t_h) const;
  //! Probability of no taps left: the share of Poisson taps refused.
  double refusal_share(const Eigen::VectorXd& law) const;
  //! Probability of being online.
  double online_share(const Eigen::VectorXd& law) const;

private:
  struct Move {
    State to;
    double rate;
  };
  //! The transitions out of s, by what the wallet and the run do.
  std::vector<Move> moves(const State& s) const;
  //! After an event while online: one grant of g tokens if the wallet wants tokens.
  State refill_if_wanted(State s) const;
  //! ∫₀ᵗ exp(Q s) ds.
  Eigen::MatrixXd integral(double t_h) const;

  RefusalChainParameters p_;
  uint32_t full_ = 0;
  std::vector<State> states_;
  Eigen::MatrixXd q_;
};

} // namespace hcesim::models
