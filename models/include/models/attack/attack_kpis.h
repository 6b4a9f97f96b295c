#pragma once
// What the attackers in a run cost and how soon they were stopped (docs/results.md, "Attack
// KPIs"): overall and per attacker kind. Counted over the whole run.
#include "base/money.h"

#include <array>
#include <cstdint>
#include <vector>

namespace hcesim::models {

enum class AttackerKind : uint8_t {
  kKeyHolder,
  kBroke,
  kForgingValidator,
  kRelay,
  kFlooder,
  kLostPhone
};
inline constexpr int kAttackerKinds = 6;
//! "key_holder", "broke", "forging_validator", "relay", "flooder", "lost_phone" (segment
//! attacker:<name>).
const char* attacker_kind_name(AttackerKind kind);

struct AttackerKindKpis {
  uint64_t attackers = 0;
  uint64_t taps_accepted = 0; //!< the attackers' taps (or forged records) validators accepted
  uint64_t taps_refused = 0;
  uint64_t taps_refused_denylisted = 0;
  //! Accepted before the attacker's first refusal as denylisted (all of them if never refused).
  uint64_t taps_accepted_before_detection = 0;
  uint64_t detected = 0; //!< attackers refused as denylisted at least once
  //! Key holders whose phones stopped because the issuer refused their denylisted account tokens
  //! before any validator refused them (not in the detection delays).
  uint64_t stopped_at_issuer = 0;
  //! Per detected attacker: first fraudulent tap accepted → first refusal as denylisted, seconds.
  std::vector<double> detection_delay_s;
  uint64_t records_settled = 0;         //!< their records settlement accepted (charged to someone,
                                        //!< unless their service day had closed)
  uint64_t impossible_travel_flags = 0; //!< of those, flagged impossible travel
  uint64_t clone_flags = 0;             //!< of those, flagged clone
  Money loss;                           //!< what the operator does not collect (results.md)
  uint64_t token_requests = 0;
  uint64_t token_requests_refused = 0; //!< queue full, timed out or refused by the issuer
  uint64_t token_requests_rate_limited = 0;
};

struct AttackKpis {
  std::array<AttackerKindKpis, kAttackerKinds> kinds;
  //! Settled taps of honest riders (not attackers, not broke, not relay victims) after warm-up.
  uint64_t honest_taps_settled = 0;
  uint64_t honest_false_flags = 0; //!< of those, flagged impossible travel
  //! Broke riders whose unpaid debt exceeds distinct tokens tapped × offline limit × max fare.
  uint64_t broke_over_bound = 0;
  AttackerKindKpis& of(AttackerKind k) { return kinds[static_cast<size_t>(k)]; }
  const AttackerKindKpis& of(AttackerKind k) const { return kinds[static_cast<size_t>(k)]; }
};

//! The nearest-rank quantile q ∈ [0, 1] of `values` (NaN when empty).
double nearest_rank(std::vector<double> values, double q);

} // namespace hcesim::models
