#include "hcesim/fare_command.h"

#include "hce/fare/fare_engine.h"
#include "hce/fare/leg_text.h"
#include "hce/fare/service_date.h"
#include "hcesim/exit_code.h"
#include "hcesim/report_errors.h"

#include <ostream>

namespace hcesim::cli {

int run_fare(const FareOptions& o, std::ostream& out, std::ostream& err) {
  using namespace hcesim::fare;
  if (o.gtfs.empty() == o.rules.empty()) {
    err << "error: give exactly one of --gtfs DIR or --rules FILE\n";
    return kBadInput;
  }
  if (o.legs.empty()) {
    err << "error: no legs given; expected route:from_stop:to_stop:HH:MM[:HH:MM] ...\n";
    return kBadInput;
  }
  Errors warnings;
  GtfsLoadOptions load;
  load.strict = o.strict;
  auto engine = o.gtfs.empty() ? FareEngine::from_rule_file(o.rules)
                               : FareEngine::from_gtfs(o.gtfs, load, &warnings);
  if (!engine) {
    report_errors(err, {engine.error()});
    return kBadInput;
  }
  report_rows_set_aside(err, warnings, "--strict makes them errors");
  if (!o.caps.empty()) {
    if (auto r = engine.value().add_caps(o.caps); !r) {
      report_errors(err, {r.error()});
      return kBadInput;
    }
  }
  if (!o.date.empty()) {
    auto d = parse_date(o.date);
    if (!d) {
      report_errors(err, {Error{"--date", d.error().what}});
      return kBadInput;
    }
    engine.value().set_service_day0(*d);
  }
  const FareEngine& e = *engine;
  std::vector<FareLeg> legs;
  Errors bad;
  for (size_t i = 0; i < o.legs.size(); ++i) {
    auto leg = parse_leg(e, o.legs[i], 0, o.media, o.category);
    if (!leg) {
      bad.push_back(leg.error());
    } else {
      legs.push_back(*leg);
    }
  }
  if (!bad.empty()) {
    report_errors(err, bad);
    return kBadInput;
  }
  const JourneyPrice j = e.price_journey(legs);
  for (size_t i = 0; i < legs.size(); ++i) {
    const LegPrice& p = j.legs[i];
    if (p.outcome != LegOutcome::kPriced) {
      bad.push_back(Error{"leg \"" + o.legs[i] + "\"", to_string(p.outcome)});
      continue;
    }
    out << o.legs[i] << " product=" << e.product_name(p) << " amount=" << p.amount.amount_string();
    if (p.distance_m >= 0) {
      out << " distance_m=" << p.distance_m;
    }
    if (p.transfer) {
      out << " transfer";
    }
    if (p.capped) {
      out << " capped";
    }
    out << '\n';
  }
  if (!bad.empty()) {
    report_errors(err, bad);
    return kBadInput;
  }
  out << "total=" << j.total.amount_string() << ' ' << j.total.currency().code() << '\n';
  return kOk;
}

} // namespace hcesim::cli
