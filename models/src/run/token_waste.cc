#include "models/run/token_waste.h"

namespace hcesim::models {

namespace {

bool measured(Time expires_at, const RunKpis& kpis, Time until) {
  return expires_at >= kpis.from && expires_at < until;
}

} // namespace

void drop_spent_tokens(hce::Wallet& w, Time now, RunKpis& kpis, Time until) {
  for (const hce::HeldToken& t : w.held()) {
    if (now > t.expires_at && t.used < t.offline_limit && measured(t.expires_at, kpis, until)) {
      kpis.tokens_expired_unused.add();
      kpis.segments.token_expired(static_cast<uint32_t>(w.account().value() - 1));
      kpis.taps_expired_unused.add(t.offline_limit - t.used);
    }
  }
  w.drop_spent(now);
}

void count_undelivered(const hce::TokenGrant& grant, RunKpis& kpis) {
  for (const hce::TokenHeader& h : grant.headers) {
    kpis.tokens_expired_unused.add();
    kpis.segments.token_expired(static_cast<uint32_t>(grant.account.value() - 1));
    kpis.taps_expired_unused.add(h.offline_limit);
  }
}

} // namespace hcesim::models
