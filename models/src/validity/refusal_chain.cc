#include "models/validity/refusal_chain.h"

#include <unsupported/Eigen/MatrixFunctions>

#include <algorithm>
#include <cassert>
#include <deque>

namespace hcesim::models {

Errors validity_mode_errors(const ScenarioConfig& cfg) {
  Errors e;
  auto need = [&](bool ok, const char* field, const char* rule) {
    if (!ok) {
      e.push_back(Error{field, std::string(rule) + " for the Markov check (validity mode)"});
    }
  };
  need(cfg.population.trip_model == TripModel::kPoissonTaps, "population.trip_model",
       "must be POISSON_TAPS");
  need(cfg.population.classes.size() == 1, "population.classes", "must be one class");
  need(cfg.population.on_refusal != RefusalReaction::kRetryThenFallback, "population.on_refusal",
       "must be FALLBACK or GIVE_UP (a retry is a second tap)");
  need(cfg.cloud.zero_latency, "cloud.zero_latency", "must be true");
  need(cfg.refill.trigger == RefillTrigger::kAfterEveryUse, "refill.trigger",
       "must be AFTER_EVERY_USE");
  need(cfg.token_policy.alignment == ExpiryAlignment::kRolling, "token_policy.alignment",
       "must be ROLLING");
  const Duration horizon = cfg.warmup + Duration::days(static_cast<int64_t>(cfg.days)) + cfg.drain;
  need(cfg.token_policy.lifetime > horizon, "token_policy.lifetime",
       "must exceed warmup + days + drain (tokens never expire in the run)");
  need(cfg.network.coverage.size() == 1, "network.coverage", "must be one class");
  need(cfg.network.data_off_share == 0.0, "network.data_off_share", "must be 0");
  return e;
}

RefusalChainParameters refusal_chain_parameters(const ScenarioConfig& cfg) {
  RefusalChainParameters p;
  p.taps_per_hour = cfg.population.taps_per_hour;
  const double on_factor =
      cfg.population.classes.empty() ? 1.0 : cfg.population.classes[0].online_factor;
  const double off_factor =
      cfg.network.coverage.empty() ? 1.0 : cfg.network.coverage[0].offline_factor;
  p.loss_per_hour = 3600.0 / (cfg.network.mean_online.to_seconds() * on_factor);
  p.return_per_hour = 3600.0 / (cfg.network.mean_offline.to_seconds() * off_factor);
  p.offline_limit = cfg.token_policy.offline_limit;
  p.tokens_per_grant = cfg.token_policy.tokens_per_grant;
  p.wallet_size = cfg.token_policy.wallet_size;
  return p;
}

RefusalChain::RefusalChain(const RefusalChainParameters& p) : p_(p) {
  assert(p.offline_limit >= 1 && p.tokens_per_grant >= 1 && p.wallet_size >= 1);
  assert(p.taps_per_hour >= 0 && p.loss_per_hour > 0 && p.return_per_hour > 0);
  // CityRun fills each wallet with ceil(W / g) grants at the start.
  const uint32_t fills = (p.wallet_size + p.tokens_per_grant - 1) / p.tokens_per_grant;
  full_ = fills * p.tokens_per_grant * p.offline_limit;
  // Breadth-first over the reachable states, from both network states with a full wallet.
  std::deque<State> todo{State{true, full_, false}, State{false, full_, false}};
  while (!todo.empty()) {
    const State s = todo.front();
    todo.pop_front();
    if (index_of(s) != size()) {
      continue;
    }
    states_.push_back(s);
    for (const Move& m : moves(s)) {
      todo.push_back(m.to);
    }
  }
  const auto n = static_cast<Eigen::Index>(size());
  q_ = Eigen::MatrixXd::Zero(n, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (const Move& m : moves(states_[static_cast<size_t>(i)])) {
      const auto j = static_cast<Eigen::Index>(index_of(m.to));
      if (j != i) {
        q_(i, j) += m.rate;
        q_(i, i) -= m.rate;
      }
    }
  }
}

size_t RefusalChain::index_of(const State& s) const {
  return static_cast<size_t>(std::find(states_.begin(), states_.end(), s) - states_.begin());
}

RefusalChain::State RefusalChain::refill_if_wanted(State s) const {
  // CityRun::wants_tokens: the wallet asks when it has no taps left or has answered a tap since
  // its last grant (AFTER_EVERY_USE), and it holds fewer than W unused tokens. Tokens are used
  // soonest-expiring first (one partly used token at most), so the unused ones are
  // floor(taps left / N). With zero latency the grant of g tokens arrives at once; the wallet
  // then asks again only after its next tap.
  const uint32_t unused = s.taps_left / p_.offline_limit;
  if ((s.taps_left == 0 || s.used) && unused < p_.wallet_size) {
    s.taps_left += p_.tokens_per_grant * p_.offline_limit;
    s.used = false;
  }
  return s;
}

std::vector<RefusalChain::Move> RefusalChain::moves(const State& s) const {
  std::vector<Move> out;
  // A tap: answered when a tap is left (the wallet marks itself used); a refused tap changes
  // nothing in the wallet. Online, CityRun then asks for tokens at once.
  State tapped = s;
  if (s.taps_left > 0) {
    --tapped.taps_left;
    tapped.used = true;
  }
  if (s.online) {
    tapped = refill_if_wanted(tapped);
  }
  if (p_.taps_per_hour > 0 && !(tapped == s)) {
    out.push_back(Move{tapped, p_.taps_per_hour});
  }
  if (s.online) {
    // Losing the network changes nothing in the wallet.
    out.push_back(Move{State{false, s.taps_left, s.used}, p_.loss_per_hour});
  } else {
    // Back online: CityRun's phone check, scheduled at the end of the outage by the first tap
    // that left the wallet wanting tokens, asks once (this is the same condition as the wallet's
    // at that moment: see the README).
    out.push_back(Move{refill_if_wanted(State{true, s.taps_left, s.used}), p_.return_per_hour});
  }
  return out;
}

Eigen::VectorXd RefusalChain::stationary() const {
  const auto n = static_cast<Eigen::Index>(size());
  Eigen::MatrixXd a = q_.transpose();
  a.row(n - 1).setOnes(); // Σπ = 1 replaces one (redundant) balance equation
  Eigen::VectorXd b = Eigen::VectorXd::Zero(n);
  b(n - 1) = 1.0;
  return a.fullPivLu().solve(b);
}

Eigen::VectorXd RefusalChain::start() const {
  Eigen::VectorXd p = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(size()));
  const double on = p_.return_per_hour / (p_.loss_per_hour + p_.return_per_hour);
  p(static_cast<Eigen::Index>(index_of(State{true, full_, false}))) = on;
  p(static_cast<Eigen::Index>(index_of(State{false, full_, false}))) = 1.0 - on;
  return p;
}

Eigen::MatrixXd RefusalChain::integral(double t_h) const {
  const auto n = static_cast<Eigen::Index>(size());
  Eigen::MatrixXd m = Eigen::MatrixXd::Zero(2 * n, 2 * n);
  m.topLeftCorner(n, n) = q_ * t_h;
  m.topRightCorner(n, n) = Eigen::MatrixXd::Identity(n, n) * t_h;
  const Eigen::MatrixXd e = m.exp();
  return e.topRightCorner(n, n);
}

Eigen::VectorXd RefusalChain::window_average(const Eigen::VectorXd& p0, double from_h,
                                             double to_h) const {
  assert(to_h > from_h && from_h >= 0);
  const Eigen::MatrixXd upto = integral(to_h);
  const Eigen::MatrixXd before =
      from_h > 0 ? integral(from_h) : Eigen::MatrixXd::Zero(upto.rows(), upto.cols());
  return ((upto - before).transpose() * p0) / (to_h - from_h);
}

Eigen::VectorXd RefusalChain::at(const Eigen::VectorXd& p0, double t_h) const {
  const Eigen::MatrixXd e = (q_ * t_h).exp();
  return e.transpose() * p0;
}

double RefusalChain::refusal_share(const Eigen::VectorXd& law) const {
  double p = 0;
  for (size_t i = 0; i < size(); ++i) {
    p += states_[i].taps_left == 0 ? law(static_cast<Eigen::Index>(i)) : 0.0;
  }
  return p;
}

double RefusalChain::online_share(const Eigen::VectorXd& law) const {
  double p = 0;
  for (size_t i = 0; i < size(); ++i) {
    p += states_[i].online ? law(static_cast<Eigen::Index>(i)) : 0.0;
  }
  return p;
}

} // namespace hcesim::models
