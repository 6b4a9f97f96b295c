#pragma once
// FareEngine: the one entry point for pricing, built once from a GTFS folder (Fares v1 or v2; v2
// wins when both are present) or from a distance-band rule file, optionally with caps and
// rider-category discounts. Prices a whole journey, or — for settlement — the next leg of an
// account's day given what the account did earlier (RiderDay); both give the same totals because
// the journey form is the incremental form applied leg after leg.
//
// Times: a leg's Time counts from 00:00 of service day 0, whose calendar date is service_day0()
// (by default the feed's first service day); GTFS timeframes and calendars are checked on that
// date plus Time::day().
//
// Building reads files (once); pricing is pure, allocation-light and clock-free, and the const
// methods may run on several threads at once (each account's RiderDay belongs to one caller).
#include "base/error.h"
#include "hce/fare/distance_fare.h"
#include "hce/fare/fare_caps.h"
#include "hce/fare/fare_leg.h"
#include "hce/fare/fares_v1.h"
#include "hce/fare/fares_v2.h"
#include "hce/fare/flat_fares.h"
#include "hce/fare/gtfs_feed.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace hcesim::fare {

//! Everything the engine remembers about one account's earlier legs (copyable, a few hundred
//! bytes): pass the same RiderDay to each price_next_leg call of that account.
struct RiderDay {
  V2State v2;
  V1State v1;
  CapState caps;
  TransferState transfer; //!< rule files' transfer discount
};

class FareEngine {
public:
  enum class Kind : uint8_t { kGtfsV1, kGtfsV2, kDistance };

  //! Loads a GTFS folder; warnings (rows set aside) are appended to `warnings` when given.
  static Result<FareEngine> from_gtfs(const std::filesystem::path& dir,
                                      const GtfsLoadOptions& options = {},
                                      Errors* warnings = nullptr);
  //! Loads a distance-band rule file (proto/fare_rules.proto, text format), with its caps.
  static Result<FareEngine> from_rule_file(const std::filesystem::path& file);
  //! The same from rules already read (a model may lay its own lines over a published rule's
  //! bands); `where` names them in errors.
  static Result<FareEngine> from_rules(const proto::FareRules& rules, const std::string& where);
  //! Adds caps and discounts from a rule file beside a GTFS feed (same currency).
  Result<void> add_caps(const std::filesystem::path& file);

  Kind kind() const { return kind_; }
  Currency currency() const { return currency_; }
  int32_t service_day0() const { return day0_; }
  //! Rebuilds date-dependent state: call before pricing, not between an account's legs.
  void set_service_day0(int32_t days_since_1970);

  // String ids of the feed or rule file → dense ids for FareLeg.
  std::optional<uint32_t> find_stop(std::string_view id) const;
  std::optional<uint32_t> find_route(std::string_view id) const;
  std::optional<uint32_t> find_network(std::string_view id) const;
  std::optional<uint32_t> find_medium(std::string_view id) const;
  std::optional<uint32_t> find_category(std::string_view id) const;
  const std::string& stop_name(uint32_t stop) const;
  //! A station stands for its platforms: the first platform (in feed order) that the route's
  //! trips serve, when the feed has trips; else the station itself (its areas and zones are its
  //! platforms').
  uint32_t platform_for(uint32_t stop, uint32_t route) const;

  //! Prices the next leg of an account's day and records it in `day`. An unpriced leg (see
  //! LegOutcome) costs nothing and leaves `day` as it was.
  LegPrice price_next_leg(RiderDay& day, const FareLeg& leg) const;
  //! The same, replaying the account's earlier legs of the day first.
  LegPrice price_next_leg(std::span<const FareLeg> earlier, const FareLeg& leg) const;
  //! Prices legs in order as one account's day.
  JourneyPrice price_journey(std::span<const FareLeg> legs) const;
  //! The fare product (GTFS fare_product_id / fare_id) or distance band a priced leg used.
  std::string product_name(const LegPrice& price) const;

  const GtfsFeed* feed() const { return feed_.get(); }
  const DistanceFares* distance() const { return distance_.get(); }

private:
  FareEngine() = default;
  Kind kind_ = Kind::kGtfsV2;
  Currency currency_;
  int32_t day0_ = 0;
  std::unique_ptr<GtfsFeed> feed_;
  std::unique_ptr<FaresV1> v1_;
  std::unique_ptr<FaresV2> v2_;
  std::unique_ptr<DistanceFares> distance_;
  std::unique_ptr<FareCaps> caps_;
  std::unique_ptr<FlatFares> flat_; //!< rule files: flat fares and the transfer discount
  IdTable categories_;              //!< the feed's rider categories, then those only caps name
  IdTable media_;                   //!< rule files: none; GTFS: the feed's
};

} // namespace hcesim::fare
