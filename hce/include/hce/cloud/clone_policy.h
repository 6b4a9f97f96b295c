#pragma once
// Who pays for a cloned token's taps and a lost phone's (DESIGN §4), the one place this policy
// lives: a token's taps before its clone point are the account's; from the clone point on (in tap
// order) they are booked to the fraud-loss account. An account's taps from the time its owner
// reported the phone lost are booked to the fraud-loss account too; before it, the owner's (as
// with a lost bank card). The clone point is the first tap, in tap order, that repeats a
// counter of an earlier tap of the token, so it does not depend on the order taps arrived in.
#include "hce/cloud/settlement_tap.h"

#include <optional>
#include <span>

namespace hcesim::cloud {

//! The first tap of a cloned token that the fraud-loss account pays.
struct ClonePoint {
  Time at;
  TapRecordId record;
};

//! The clone point of one token's taps (sorted by tap_order), or none when no tap is clone-flagged.
//! When the flagged record's twin is not among them (it failed the checks), the earliest flagged
//! tap is the clone point.
std::optional<ClonePoint> find_clone_point(std::span<const BookTap* const> token_taps);

//! True when the fraud-loss account pays for this tap of a token with this clone point.
inline bool paid_by_fraud_loss(const BookTap& tap, const std::optional<ClonePoint>& point) {
  if (!point) {
    return false;
  }
  if (tap.tapped_at != point->at) {
    return tap.tapped_at > point->at;
  }
  return tap.record >= point->record;
}

//! True when the fraud-loss account pays for this tap of an account reported lost at `lost_at`
//! (none: not reported), its token having this clone point.
inline bool paid_by_fraud_loss(const BookTap& tap, const std::optional<ClonePoint>& point,
                               const std::optional<Time>& lost_at) {
  return (lost_at && tap.tapped_at >= *lost_at) || paid_by_fraud_loss(tap, point);
}

} // namespace hcesim::cloud
