#include "hce/fare/leg_text.h"

#include <string>
#include <vector>

namespace hcesim::fare {

Result<FareLeg> make_leg(const FareEngine& engine, std::string_view route_or_network,
                         std::string_view from_stop, std::string_view to_stop, Time depart,
                         Time arrive, std::string_view medium, std::string_view category) {
  FareLeg leg;
  if (auto r = engine.find_route(route_or_network)) {
    leg.route = *r;
  } else if (auto n = engine.find_network(route_or_network)) {
    leg.network = *n;
  } else {
    return Error{"", "unknown route or network \"" + std::string(route_or_network) + "\""};
  }
  auto from = engine.find_stop(from_stop);
  if (!from) {
    return Error{"", "unknown stop \"" + std::string(from_stop) + "\""};
  }
  auto to = engine.find_stop(to_stop);
  if (!to) {
    return Error{"", "unknown stop \"" + std::string(to_stop) + "\""};
  }
  leg.from_stop = engine.platform_for(*from, leg.route);
  leg.to_stop = engine.platform_for(*to, leg.route);
  if (arrive < depart) {
    return Error{"", "arrival " + format_time_of_day(arrive.time_of_day()) +
                         " is before departure " + format_time_of_day(depart.time_of_day())};
  }
  leg.depart = depart;
  leg.arrive = arrive;
  if (!medium.empty()) {
    auto m = engine.find_medium(medium);
    if (!m) {
      return Error{"", "unknown fare medium \"" + std::string(medium) + "\""};
    }
    leg.medium = *m;
  }
  if (!category.empty()) {
    auto c = engine.find_category(category);
    if (!c) {
      return Error{"", "unknown rider category \"" + std::string(category) + "\""};
    }
    leg.category = *c;
  }
  return leg;
}

Result<FareLeg> parse_leg(const FareEngine& engine, std::string_view text, int64_t day,
                          std::string_view medium, std::string_view category) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ':') {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  auto bad = [&](const std::string& why) {
    return Error{"leg \"" + std::string(text) + "\"",
                 why + "; expected route:from_stop:to_stop:HH:MM[:HH:MM]"};
  };
  if (parts.size() != 5 && parts.size() != 7) {
    return bad("found " + std::to_string(parts.size()) + " ':'-separated fields");
  }
  const Time midnight = Time::epoch() + Duration::days(day);
  auto time_at = [&](size_t i) -> Result<Time> {
    auto d = parse_time_of_day(std::string(parts[i]) + ":" + std::string(parts[i + 1]));
    if (!d) {
      return d.error();
    }
    return midnight + *d;
  };
  auto depart = time_at(3);
  if (!depart) {
    return bad("bad departure time: " + depart.error().what);
  }
  Time arrive = *depart;
  if (parts.size() == 7) {
    auto a = time_at(5);
    if (!a) {
      return bad("bad arrival time: " + a.error().what);
    }
    arrive = *a;
  }
  auto leg = make_leg(engine, parts[0], parts[1], parts[2], *depart, arrive, medium, category);
  if (!leg) {
    return Error{"leg \"" + std::string(text) + "\"", leg.error().what};
  }
  return leg;
}

} // namespace hcesim::fare
