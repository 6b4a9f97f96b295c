#include "models/fares/city_fares.h"

#include "hce/fare/csv_reader.h"
#include "hce/fare/fare_rule_file.h"
#include "hce/fare/service_date.h"

#include <algorithm>

namespace hcesim::models {
namespace {

constexpr const char* kBusNetwork = "bus";

Money highest_fare(const fare::FareEngine& e) {
  Money best(0, e.currency());
  if (const fare::DistanceFares* d = e.distance()) {
    const auto n = static_cast<uint32_t>(d->stations().size());
    for (uint32_t a = 0; a < n; ++a) {
      for (uint32_t b = 0; b < n; ++b) {
        uint32_t band = 0;
        const int64_t m = d->distance_m(a, b);
        if (m >= 0) {
          best = std::max(best, d->fare_for(m, &band));
        }
      }
    }
  }
  if (const fare::GtfsFeed* f = e.feed()) {
    for (const fare::FareAttribute& a : f->fare_attributes) {
      best = std::max(best, a.price);
    }
    for (const fare::FareOffer& o : f->offers) {
      best = std::max(best, o.amount);
    }
  }
  return best;
}

} // namespace

Result<Currency> feed_fare_currency(const std::string& folder) {
  const std::filesystem::path dir(folder);
  for (const auto& [file, column] : {std::pair{"fare_products.txt", "currency"},
                                     std::pair{"fare_attributes.txt", "currency_type"}}) {
    if (!std::filesystem::is_regular_file(dir / file)) {
      continue;
    }
    auto table = fare::CsvTable::read(dir / file);
    if (!table) {
      return table.error();
    }
    auto c = table->require_column(column);
    if (!c) {
      return c.error();
    }
    if (table->rows() == 0) {
      continue;
    }
    auto currency = Currency::from_code(table->field(0, *c));
    if (!currency) {
      return table->error(0, *c, currency.error().what);
    }
    return *currency;
  }
  return Error{folder, "the feed has no fares (fare_products.txt or fare_attributes.txt)"};
}

Result<proto::FareRules> synthetic_city_fare_rules(const ScenarioConfig& cfg, const City& city) {
  const std::string where = "city.synthetic.metro_fare_rules";
  auto read = fare::read_fare_rule_file(cfg.city.metro_fare_rules);
  if (!read) {
    return read.error().within(where);
  }
  proto::FareRules rules = std::move(read).value();
  if (rules.currency() != cfg.city.currency.code()) {
    return Error{where, "the rule file's currency \"" + rules.currency() +
                            "\" is not the scenario's " + std::string(cfg.city.currency.code())};
  }
  if (!rules.has_distance()) {
    return Error{where, "the rule file has no distance fare"};
  }
  // The published bands and steps over the city's own lines.
  proto::DistanceFare& d = *rules.mutable_distance();
  d.clear_lines();
  d.clear_walks();
  for (uint32_t r = 0; r < city.route_count(); ++r) {
    const Route& route = city.route(r);
    if (route.mode != Mode::kMetro) {
      continue;
    }
    proto::Line& line = *d.add_lines();
    line.set_id(route.name);
    for (uint32_t p = 0; p < route.count; ++p) {
      proto::Station& s = *line.add_stations();
      s.set_id(city.stop_name(city.route_stop(r, p)));
      s.set_from_previous_m(
          p == 0 ? 0 : int64_t{city.route_metres(r, p)} - int64_t{city.route_metres(r, p - 1)});
    }
  }
  rules.clear_flat_fares();
  proto::FlatFare& bus = *rules.add_flat_fares();
  bus.set_network(kBusNetwork);
  bus.set_fare(cfg.city.bus_fare.amount_string());
  rules.clear_transfer_discount();
  if (cfg.city.transfer_discount.minor() > 0 && cfg.city.transfer_window > Duration::zero()) {
    rules.mutable_transfer_discount()->set_amount(cfg.city.transfer_discount.amount_string());
    rules.mutable_transfer_discount()->set_window(std::to_string(cfg.city.transfer_window.us()) +
                                                  "us");
  }
  return rules;
}

Result<fare::FareEngine> build_city_fare_engine(const ScenarioConfig& cfg, const City& city,
                                                Errors* warnings) {
  if (cfg.city.source == CitySource::kSynthetic) {
    auto rules = synthetic_city_fare_rules(cfg, city);
    if (!rules) {
      return rules.error();
    }
    return fare::FareEngine::from_rules(*rules, cfg.city.metro_fare_rules);
  }
  auto loaded = fare::FareEngine::from_gtfs(cfg.city.gtfs_folder, {}, warnings);
  if (!loaded) {
    return loaded.error();
  }
  fare::FareEngine engine = std::move(loaded).value();
  if (!engine.feed()->has_v1 && !engine.feed()->has_v2) {
    return Error{cfg.city.gtfs_folder,
                 "the feed has no fares (fare_attributes.txt or fare_products.txt)"};
  }
  if (engine.currency() != cfg.city.currency) {
    return Error{cfg.city.gtfs_folder,
                 "the feed's fares are in " + std::string(engine.currency().code()) +
                     ", the scenario's currency is " + std::string(cfg.city.currency.code())};
  }
  if (!cfg.city.service_date.empty()) {
    auto day = fare::parse_date(cfg.city.service_date);
    if (day) {
      engine.set_service_day0(*day);
    }
  }
  return engine;
}

CityFares::CityFares(const fare::FareEngine& engine, const City& city,
                     const ValidatorDirectory& directory)
    : engine_(&engine), max_fare_(highest_fare(engine)), pricer_(engine, max_fare_) {
  const bool gtfs = engine.feed() != nullptr;
  engine_stop_.assign(city.stop_count(), fare::kNone);
  for (uint32_t s = 0; s < city.stop_count(); ++s) {
    const auto found = engine.find_stop(gtfs ? city.stop_feed_id(s) : city.stop_name(s));
    if (found) {
      engine_stop_[s] = *found;
      pricer_.map_stop(StopId(s), *found);
    }
  }
  const std::optional<uint32_t> bus = engine.find_network(kBusNetwork);
  lines_.assign(directory.count(), cloud::FareLine{});
  for (uint32_t v = 0; v < directory.count(); ++v) {
    cloud::FareLine line;
    if (directory.kind(v) == ValidatorKind::kBusReader) {
      const uint32_t route = directory.place(v);
      if (gtfs) {
        line.route = engine.find_route(city.route_feed_id(route)).value_or(fare::kNone);
      } else {
        line.network = bus.value_or(fare::kNone);
      }
    } else {
      // A gate serving one line knows it (GTFS: its platform); an interchange's serves several.
      const auto calls = city.calls_at(directory.place(v));
      if (gtfs && calls.size() == 1) {
        line.route =
            engine.find_route(city.route_feed_id(calls.front().route)).value_or(fare::kNone);
      }
    }
    lines_[v] = line;
    pricer_.place(ValidatorId(v + 1), line);
  }
  boarding_minor_.assign(directory.count(), 0);
  // A feed with timeframes may price a boarding by its time of day (or day): priced once, it
  // could be under what a tap costs, so such a feed's boardings count at the highest fare.
  const bool by_time = gtfs && !engine.feed()->timeframes.empty();
  const Time morning = Time::epoch() + Duration::hours(8);
  for (uint32_t v = 0; v < directory.count(); ++v) {
    if (directory.kind(v) != ValidatorKind::kBusReader) {
      continue;
    }
    if (by_time) {
      boarding_minor_[v] = max_fare_.minor();
      continue;
    }
    const ValidatorId id(v + 1);
    int64_t dearest = 0;
    for (const uint32_t stop : city.route_stops(directory.place(v))) {
      const cloud::JourneyLeg leg{cloud::LegKind::kFlat, id,      id,     StopId(stop),
                                  StopId(stop),          morning, morning};
      Money fare = max_fare_;
      pricer_.price_day(std::span(&leg, 1), std::span(&fare, 1));
      dearest = std::max(dearest, fare.minor());
    }
    boarding_minor_[v] = dearest;
  }
}

Money CityFares::at_risk(uint32_t v, hce::TapKind kind) const {
  const int64_t minor = kind == hce::TapKind::kEntry  ? max_fare_.minor()
                        : kind == hce::TapKind::kExit ? 0
                                                      : boarding_minor_[v];
  return Money(minor, max_fare_.currency());
}

} // namespace hcesim::models
