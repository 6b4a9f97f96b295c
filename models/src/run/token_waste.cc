#include "models/run/token_waste.h"

namespace hcesim::models {

void drop_spent_tokens(hce::Wallet& w, Time now, RunKpis& kpis) {
  for (const hce::HeldToken& t : w.held()) {
    if (now > t.expires_at && t.used < t.offline_limit) {
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
