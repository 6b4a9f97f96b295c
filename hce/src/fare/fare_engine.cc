#include "hce/fare/fare_engine.h"

#include "hce/fare/fare_rule_file.h"

namespace hcesim::fare {

Result<FareEngine> FareEngine::from_gtfs(const std::filesystem::path& dir,
                                         const GtfsLoadOptions& options, Errors* warnings) {
  auto load = load_gtfs(dir, options);
  if (!load) {
    return load.error();
  }
  FareEngine e;
  if (warnings != nullptr) {
    warnings->insert(warnings->end(), load->warnings.begin(), load->warnings.end());
  }
  e.feed_ = std::make_unique<GtfsFeed>(std::move(load.value().feed));
  e.kind_ = e.feed_->has_v2 ? Kind::kGtfsV2 : Kind::kGtfsV1;
  e.currency_ = e.feed_->currency;
  e.categories_ = e.feed_->categories;
  e.media_ = e.feed_->media;
  e.v1_ = std::make_unique<FaresV1>(*e.feed_);
  e.set_service_day0(e.feed_->first_service_day);
  return e;
}

Result<FareEngine> FareEngine::from_rule_file(const std::filesystem::path& file) {
  auto rules = read_fare_rule_file(file);
  if (!rules) {
    return rules.error();
  }
  return from_rules(*rules, file.string());
}

Result<FareEngine> FareEngine::from_rules(const proto::FareRules& rules, const std::string& where) {
  auto currency = Currency::from_code(rules.currency());
  if (!currency) {
    return Error{where + ": currency", currency.error().what};
  }
  if (!rules.has_distance()) {
    return Error{where + ": distance", "a rule file priced alone needs a distance fare"};
  }
  auto d = DistanceFares::build(rules.distance(), *currency, where);
  if (!d) {
    return d.error();
  }
  FareEngine e;
  e.kind_ = Kind::kDistance;
  e.currency_ = *currency;
  e.distance_ = std::make_unique<DistanceFares>(std::move(d).value());
  auto caps = FareCaps::build(rules, *currency, e.categories_, where);
  if (!caps) {
    return caps.error();
  }
  if (!caps->empty()) {
    e.caps_ = std::make_unique<FareCaps>(std::move(caps).value());
  }
  auto flat = FlatFares::build(rules, *currency, where);
  if (!flat) {
    return flat.error();
  }
  if (!flat->empty()) {
    e.flat_ = std::make_unique<FlatFares>(std::move(flat).value());
  }
  return e;
}

Result<void> FareEngine::add_caps(const std::filesystem::path& file) {
  auto rules = read_fare_rule_file(file);
  if (!rules) {
    return rules.error();
  }
  if (rules->currency() != currency_.code()) {
    return Error{file.string() + ": currency", "expected " + std::string(currency_.code()) +
                                                   ", the fares' currency; found \"" +
                                                   rules->currency() + "\""};
  }
  if (rules->flat_fares_size() > 0 || rules->has_transfer_discount()) {
    return Error{file.string() + ": flat_fares",
                 "flat fares and a transfer discount go with a distance fare, not beside a feed"};
  }
  auto caps = FareCaps::build(*rules, currency_, categories_, file.string());
  if (!caps) {
    return caps.error();
  }
  caps_ = std::make_unique<FareCaps>(std::move(caps).value());
  return {};
}

void FareEngine::set_service_day0(int32_t days) {
  day0_ = days;
  if (feed_ && feed_->has_v2) {
    v2_ = std::make_unique<FaresV2>(*feed_, day0_);
  }
}

std::optional<uint32_t> FareEngine::find_stop(std::string_view id) const {
  return feed_ ? feed_->stops.find(id) : distance_->stations().find(id);
}
std::optional<uint32_t> FareEngine::find_route(std::string_view id) const {
  return feed_ ? feed_->routes.find(id) : distance_->lines().find(id);
}
std::optional<uint32_t> FareEngine::find_network(std::string_view id) const {
  if (feed_) {
    return feed_->networks.find(id);
  }
  return flat_ ? flat_->networks().find(id) : std::nullopt;
}
std::optional<uint32_t> FareEngine::find_medium(std::string_view id) const {
  return media_.find(id);
}
std::optional<uint32_t> FareEngine::find_category(std::string_view id) const {
  return categories_.find(id);
}
const std::string& FareEngine::stop_name(uint32_t stop) const {
  return feed_ ? feed_->stops.name(stop) : distance_->stations().name(stop);
}

uint32_t FareEngine::platform_for(uint32_t stop, uint32_t route) const {
  if (!feed_ || feed_->stop[stop].children.empty() || route == kNone ||
      route >= feed_->route_stops.size()) {
    return stop;
  }
  const auto& served = feed_->route_stops[route];
  for (uint32_t c : feed_->stop[stop].children) {
    if (std::binary_search(served.begin(), served.end(), c)) {
      return c;
    }
  }
  return stop;
}

LegPrice FareEngine::price_next_leg(RiderDay& day, const FareLeg& leg) const {
  LegPrice p;
  switch (kind_) {
  case Kind::kGtfsV2:
    p = v2_->price_next(day.v2, leg);
    break;
  case Kind::kGtfsV1:
    p = v1_->price_next(day.v1, leg);
    break;
  case Kind::kDistance:
    p = flat_ && leg.network != kNone ? flat_->price(leg) : distance_->price(leg);
    break;
  }
  if (p.outcome != LegOutcome::kPriced) {
    p.amount = Money(0, currency_);
    p.base = p.amount;
    return p;
  }
  if (flat_) {
    flat_->apply_transfer(day.transfer, leg, p);
  }
  if (caps_) {
    caps_->apply(day.caps, leg, p);
  }
  return p;
}

LegPrice FareEngine::price_next_leg(std::span<const FareLeg> earlier, const FareLeg& leg) const {
  RiderDay day;
  for (const FareLeg& l : earlier) {
    (void)price_next_leg(day, l);
  }
  return price_next_leg(day, leg);
}

JourneyPrice FareEngine::price_journey(std::span<const FareLeg> legs) const {
  JourneyPrice j;
  j.total = Money(0, currency_);
  RiderDay day;
  for (const FareLeg& l : legs) {
    j.legs.push_back(price_next_leg(day, l));
    j.total += j.legs.back().amount;
    j.complete = j.complete && j.legs.back().outcome == LegOutcome::kPriced;
  }
  return j;
}

std::string FareEngine::product_name(const LegPrice& price) const {
  if (price.outcome != LegOutcome::kPriced || price.product == kNone) {
    return "-";
  }
  switch (kind_) {
  case Kind::kGtfsV2:
    return feed_->products.name(price.product);
  case Kind::kGtfsV1:
    return feed_->fares_v1.name(price.product);
  case Kind::kDistance:
    if (flat_ && price.product >= FlatFares::kFlatProduct) {
      return "flat " + flat_->networks().name(price.product - FlatFares::kFlatProduct);
    }
    return distance_->band_name(price.product);
  }
  return "-";
}

} // namespace hcesim::fare
