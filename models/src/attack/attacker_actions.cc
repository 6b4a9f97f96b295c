// What each attacker does when it acts (Adversaries, adversaries.h): an accomplice phone's or a
// relay's tap, a forged record, a flood request, and how a validator's answer is counted.
#include "attack_detail.h"
#include "hce/token/token_keys.h"
#include "models/attack/adversaries.h"

#include <algorithm>

namespace hcesim::models {

using attack_detail::denylisted;
using attack_detail::must;
using attack_detail::record_key;

void Adversaries::keep_split(uint32_t a) {
  const Actor& act = actors_[a];
  if (act.split == 0) {
    return;
  }
  hce::Wallet& w = phones_[act.wallet];
  hce::WalletState st = w.save();
  bool changed = false;
  for (hce::WalletToken& t : st.tokens) {
    const uint32_t limit = t.token.header.offline_limit;
    const uint32_t half = limit / 2;
    if (act.split == 1 && t.next_counter > half && t.next_counter <= limit) {
      t.next_counter = limit + 1; // the lower half is used up: the other phone has the rest
      changed = true;
    } else if (act.split == 2 && t.next_counter <= half) {
      t.next_counter = half + 1;
      changed = true;
    }
  }
  if (changed) {
    must(w.restore(st), "split counters");
  }
}

void Adversaries::phone_tap(uint32_t a) {
  const Time now = run_.sim_.now();
  const Actor act = actors_[a];
  Attacker& at = attackers_[act.attacker];
  AttackerKindKpis& k = kpis_.of(at.kind);
  hce::Wallet& w = phones_[act.wallet];
  w.drop_spent(now);
  keep_split(a);
  if (w.taps_left(now) == 0) {
    // The key holder's own device asks for tokens (straight to the issuer, not through the
    // issuing queue: a handful of requests); every phone gets the grant.
    ++k.token_requests;
    const hce::IssueOutcome out =
        run_.issuer_->issue(at.account, at.device, now, run_.issue_policy_, random_);
    if (!out.granted()) {
      ++k.token_requests_refused;
      k.token_requests_rate_limited += out.refusal == hce::IssueRefusal::kRateLimited ? 1U : 0U;
      if (out.refusal == hce::IssueRefusal::kAccountDenylisted) {
        // He learns his account is listed: every phone of his is burnt.
        for (uint32_t p = at.first_actor; p < at.first_actor + at.actors; ++p) {
          actors_[p].stopped = true;
        }
        if (!at.detected) {
          ++k.stopped_at_issuer;
        }
      }
      return;
    }
    for (uint32_t p = at.first_actor; p < at.first_actor + at.actors; ++p) {
      hce::Wallet& copy = phones_[actors_[p].wallet];
      copy.drop_spent(now);
      const auto added = copy.accept_grant(out.grant);
      if (!added.ok()) {
        throw std::logic_error("attackers: grant: " + added.error().to_string());
      }
      keep_split(p);
    }
  }
  const std::optional<bool> denylisted = tap_anywhere(a, w, now);
  if (!denylisted) {
    ++k.taps_refused; // nothing left on this phone's half of the counters
  } else if (*denylisted) {
    actors_[a].stopped = true; // refused as denylisted: this phone is burnt
  }
}

hce::TapKind Adversaries::kind_at(uint32_t v) const {
  // An attacker enters at a gate (no exit follows) or taps a bus reader.
  return run_.directory_.kind(v) == ValidatorKind::kStationGate ? hce::TapKind::kEntry
                                                                : hce::TapKind::kFlat;
}

hce::TapChallenge Adversaries::challenge_at(uint32_t v, Time now) {
  return run_.validators_[v]->challenge(now, kind_at(v), random_);
}

std::optional<bool> Adversaries::tap_anywhere(uint32_t a, hce::Wallet& w, Time now) {
  const uint32_t v = static_cast<uint32_t>(streams_[a].uniform_int(run_.directory_.count()));
  const hce::TapChallenge c = challenge_at(v, now);
  const auto answer = w.answer(c, now, run_.scratch_);
  if (!answer) {
    return std::nullopt;
  }
  return count_tap(actors_[a].attacker, v, run_.validators_[v]->verify(*answer, now), now);
}

void Adversaries::relay_tap(uint32_t a) {
  const Time now = run_.sim_.now();
  const Actor act = actors_[a];
  const Attacker& at = attackers_[act.attacker];
  hce::Wallet& w = rider_wallet(at.rider);
  run_.drop_spent(w);
  // The challenge travels to the victim's phone and its answer back: the victim's real wallet.
  if (!tap_anywhere(a, w, now)) {
    ++kpis_.of(at.kind).taps_refused;
    return;
  }
  run_.maybe_request(at.rider, true); // the victim's app, open, asks for tokens as after any use
}

void Adversaries::forge(uint32_t a) {
  const Time now = run_.sim_.now();
  const Actor act = actors_[a];
  // The header says when its token expires: the forger uses only those still valid.
  std::vector<Seen>& seen = seen_[act.wallet];
  std::erase_if(seen, [now](const Seen& h) { return h.header.expires_at <= now || h.next == 0; });
  if (seen.empty()) {
    return; // nothing seen to forge over
  }
  Seen& pick = seen[streams_[a].uniform_int(seen.size())];
  const hce::TokenHeader header = pick.header;
  const uint16_t counter = pick.next--;
  const hce::MasterKeys* keys = run_.keys_.find(header.key_version);
  if (keys == nullptr) {
    return;
  }
  // The SAM's master key gives the token's validator key; the issuer key is out of reach, so
  // the issuer cryptogram is a guess.
  hce::AesCmac sam(keys->validator);
  const hce::Key128 token_key = hce::derive_token_key(sam, hce::CryptogramRole::kValidator, header);
  hce::Validator& val = *run_.validators_[act.validator];
  const hce::TapChallenge c = challenge_at(act.validator, now);
  hce::TapResponse r;
  r.header = header;
  r.counter = counter;
  hce::AesCmac k(token_key);
  r.validator_cryptogram =
      hce::compute_cryptogram(k, hce::CryptogramRole::kValidator, c, r.counter);
  random_.fill(r.issuer_cryptogram.data(), r.issuer_cryptogram.size());
  (void)count_tap(act.attacker, act.validator, val.verify(r, now), now);
}

void Adversaries::flood(uint32_t a) {
  Actor& act = actors_[a];
  Attacker& at = attackers_[act.attacker];
  AttackerKindKpis& k = kpis_.of(at.kind);
  const uint32_t account = at.first_actor + act.next_account;
  act.next_account = (act.next_account + 1) % at.actors;
  ++k.token_requests;
  const uint32_t client = static_cast<uint32_t>(rider_role_.size()) + a;
  if (run_.cfg_.cloud.zero_latency) {
    issuing_notice(Notice{NoticeKind::kAnswered, client, account, Duration::zero()});
    return;
  }
  if (run_.issuing_.submit(run_.sim_, client, account) == Admission::kRefused) {
    ++k.token_requests_refused;
  }
}

void Adversaries::issuing_notice(const Notice& n) {
  const uint32_t a = n.client - static_cast<uint32_t>(rider_role_.size());
  AttackerKindKpis& k = kpis_.of(attackers_[actors_[a].attacker].kind);
  switch (n.kind) {
  case NoticeKind::kTimedOut:
    ++k.token_requests_refused;
    return;
  case NoticeKind::kWasted:
  case NoticeKind::kLost:
    return; // the time-out was counted
  case NoticeKind::kAnswered:
    break;
  }
  const auto& [account, device] = flood_accounts_[n.tag];
  const hce::IssueOutcome out =
      run_.issuer_->issue(account, device, run_.sim_.now(), run_.issue_policy_, random_);
  if (!out.granted()) {
    ++k.token_requests_refused;
    k.token_requests_rate_limited += out.refusal == hce::IssueRefusal::kRateLimited ? 1U : 0U;
  }
  // A granted throwaway token is never used: the flood's aim is the load.
}

void Adversaries::lost_phone(uint32_t a) {
  const Time now = run_.sim_.now();
  Actor& act = actors_[a];
  const Attacker& at = attackers_[act.attacker];
  if (act.reports) {
    must(run_.services_->report_lost(at.account, now), "report lost");
    act.stopped = true;
    return;
  }
  if (act.wallet == kNone) {
    act.wallet = static_cast<uint32_t>(phones_.size());
    phones_.push_back(run_.lose_phone(at.rider));
    return; // the finder's first tap comes after a gap
  }
  // The finder taps with what the phone holds: the app cannot refill it (the owner's account
  // signs in no more), so the tokens' offline taps are the most he gets.
  hce::Wallet& w = phones_[act.wallet];
  w.drop_spent(now);
  if (w.taps_left(now) == 0) {
    act.stopped = true;
    return;
  }
  // No answer (nothing left), or refused as denylisted: he throws the phone away.
  if (tap_anywhere(a, w, now).value_or(true)) {
    act.stopped = true;
  }
}

bool Adversaries::count_tap(uint32_t who, uint32_t v, const hce::TapOutcome& out, Time now) {
  Attacker& at = attackers_[who];
  AttackerKindKpis& k = kpis_.of(at.kind);
  if (out.accepted()) {
    ++k.taps_accepted;
    run_.tap_stored(v, kind_at(v));
    if (at.kind == AttackerKind::kForgingValidator) { // invariants: it must never settle
      run_.witness_->record_forged(v, out.sequence);
    } else {
      run_.witness_->tap_accepted(v, out.sequence);
    }
    records_[record_key(ValidatorId(v + 1), out.sequence)] = who;
    if (!at.fraud_started) {
      at.fraud_started = true;
      at.first_fraud = now;
    }
    if (!at.detected) {
      ++k.taps_accepted_before_detection;
    }
    return false;
  }
  ++k.taps_refused;
  if (denylisted(static_cast<int>(out.refusal))) {
    ++k.taps_refused_denylisted;
    count_detection(at, now);
    return true;
  }
  return false;
}

void Adversaries::count_detection(Attacker& at, Time now) {
  if (at.detected) {
    return;
  }
  at.detected = true;
  AttackerKindKpis& k = kpis_.of(at.kind);
  ++k.detected;
  if (at.fraud_started) {
    k.detection_delay_s.push_back((now - at.first_fraud).to_seconds());
  }
}

hce::Wallet& Adversaries::rider_wallet(uint32_t rider) {
  return run_.wallets_[run_.wallet_of_[rider]];
}

} // namespace hcesim::models
