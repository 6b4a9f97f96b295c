#pragma once
// FareCaps: rider-category discounts and daily / rolling fare caps, an extension GTFS does not
// model (proto/fare_rules.proto: FareCap, CategoryDiscount). Applied after a leg's fare is known:
// first the discount (rounded down to a whole minor unit), then the caps, so a rider pays at most
// the cap per service day or per rolling window.
#include "base/error.h"
#include "base/money.h"
#include "base/time.h"
#include "hce/fare/fare_leg.h"
#include "hce/fare/id_table.h"
#include "proto/fare_rules.pb.h"

#include <string>
#include <utility>
#include <vector>

namespace hcesim::fare {

//! What caps remember of an account's day.
struct CapState {
  int64_t day = INT64_MIN;                      //!< service day of spent_today
  int64_t spent_today = 0;                      //!< minor units charged this service day
  std::vector<std::pair<Time, int64_t>> recent; //!< charges inside the rolling window
};

class FareCaps {
public:
  //! Reads caps and discounts; category names are interned into `categories` (the engine's).
  static Result<FareCaps> build(const proto::FareRules& rules, Currency currency,
                                IdTable& categories, const std::string& where);
  bool empty() const { return caps_.empty() && discounts_.empty(); }
  //! Lowers a priced leg's amount by the discount and caps, and records the charge.
  void apply(CapState& state, const FareLeg& leg, LegPrice& price) const;

private:
  struct Cap {
    uint32_t category = kNone; //!< kNone: every rider without a cap of their own
    int64_t amount = 0;
    Duration window; //!< zero: a daily cap
    Duration day_start;
  };
  const Cap* find(uint32_t category, bool rolling) const;
  std::vector<Cap> caps_;
  std::vector<std::pair<uint32_t, int32_t>> discounts_; //!< (category, percent off)
};

} // namespace hcesim::fare
