#pragma once
// Tokens wasted (DESIGN §6): issued tokens whose offline taps were never used. Counted when a
// wallet drops a token that expired with taps left, at the end of the run for expired tokens the
// wallets still hold, and for grants nobody received (the phone had gone offline, or had given
// up on the request before the issuer answered): those tokens can only expire unused. A held
// token counts when its expiry falls in the measured days [kpis.from, until): one expiring in the
// warm-up or in the drain (no trips then, so every token held "expires unused") is not the
// policy's waste. An undelivered grant counts when it is lost, as grants_undelivered does.
#include "hce/token/grant.h"
#include "hce/token/wallet.h"
#include "models/run/run_kpis.h"

namespace hcesim::models {

//! Counts the tokens of `w` expired by `now` with taps left, then drops them and used-up ones.
void drop_spent_tokens(hce::Wallet& w, Time now, RunKpis& kpis, Time until);
//! Counts a grant's tokens as wasted: issued, never delivered.
void count_undelivered(const hce::TokenGrant& grant, RunKpis& kpis);

} // namespace hcesim::models
