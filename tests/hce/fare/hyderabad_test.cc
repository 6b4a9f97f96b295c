// Hyderabad Metro (Fares v1, a 59 x 59 origin-destination zone matrix): every pair prices to the
// matrix through platforms and through parent stations, and a weekday journey on real trips.
#include "hce/fare/csv_reader.h"
#include "hce/fare/fare_engine.h"
#include "hce/fare/leg_text.h"
#include "support/shared_data.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

using namespace hcesim;
using namespace hcesim::fare;

namespace {

struct Matrix {
  std::map<std::pair<std::string, std::string>, std::string> fare_id; // (origin, destination)
  std::map<std::string, std::string> price;                           // fare_id -> "10.00"
  std::map<std::string, std::string> platform_of_zone;                // first platform per zone
};

Matrix read_matrix(const std::filesystem::path& dir) {
  Matrix m;
  auto rules = CsvTable::read(dir / "fare_rules.txt");
  auto fares = CsvTable::read(dir / "fare_attributes.txt");
  auto stops = CsvTable::read(dir / "stops.txt");
  EXPECT_TRUE(rules && fares && stops);
  for (size_t r = 0; r < rules->rows(); ++r) {
    m.fare_id[{std::string(rules->field(r, *rules->column("origin_id"))),
               std::string(rules->field(r, *rules->column("destination_id")))}] =
        rules->field(r, *rules->column("fare_id"));
  }
  for (size_t r = 0; r < fares->rows(); ++r) {
    m.price[std::string(fares->field(r, 0))] =
        std::string(fares->field(r, *fares->column("price"))) + ".00";
  }
  for (size_t r = 0; r < stops->rows(); ++r) {
    const std::string zone(stops->field(r, *stops->column("zone_id")));
    if (!zone.empty() && stops->field(r, *stops->column("location_type")) == "0" &&
        !m.platform_of_zone.count(zone)) {
      m.platform_of_zone[zone] = stops->field(r, *stops->column("stop_id"));
    }
  }
  return m;
}

Money price_one(const FareEngine& e, const FareLeg& leg) {
  std::vector<FareLeg> legs{leg};
  const JourneyPrice j = e.price_journey(legs);
  EXPECT_EQ(j.legs[0].outcome, LegOutcome::kPriced);
  return j.total;
}

} // namespace

TEST(Hyderabad, EveryZonePairPricesToTheMatrixThroughPlatformsAndStations) {
  HCESIM_REQUIRE_SHARED_DATA(dir, "gtfs/hmrl-hyderabad-2025");
  auto e = FareEngine::from_gtfs(dir);
  ASSERT_TRUE(e) << e.error().to_string();
  const Matrix m = read_matrix(dir);
  ASSERT_EQ(m.fare_id.size(), 59u * 59u);
  ASSERT_EQ(m.platform_of_zone.size(), 59u);
  const GtfsFeed& feed = *e->feed();
  // The route that serves a platform, from stop_times.
  auto route_of = [&](uint32_t stop) {
    for (uint32_t r = 0; r < feed.route_stops.size(); ++r) {
      if (std::binary_search(feed.route_stops[r].begin(), feed.route_stops[r].end(), stop)) {
        return r;
      }
    }
    return kNone;
  };
  size_t through_stations = 0;
  for (const auto& [pair, fare_id] : m.fare_id) {
    const std::string expected = m.price.at(fare_id);
    const uint32_t from = *e->find_stop(m.platform_of_zone.at(pair.first));
    const uint32_t to = *e->find_stop(m.platform_of_zone.at(pair.second));
    FareLeg leg;
    leg.route = route_of(from);
    leg.from_stop = from;
    leg.to_stop = to;
    EXPECT_EQ(price_one(*e, leg).amount_string(), expected) << pair.first << "→" << pair.second;
    // The same ride named by parent stations: the route picks the platform (and so the zone at
    // the interchanges AME and MGB) when the route serves both stations.
    const uint32_t from_station = feed.stop[from].parent;
    const uint32_t to_station = feed.stop[to].parent;
    if (e->platform_for(to_station, leg.route) == to_station ||
        feed.stop[e->platform_for(to_station, leg.route)].zone != feed.stop[to].zone) {
      continue; // the destination station is not on this route (or is on it in another zone)
    }
    leg.from_stop = e->platform_for(from_station, leg.route);
    leg.to_stop = e->platform_for(to_station, leg.route);
    EXPECT_EQ(price_one(*e, leg).amount_string(), expected)
        << feed.stops.name(from_station) << "→" << feed.stops.name(to_station);
    ++through_stations;
  }
  std::cout << "  " << through_stations << " pairs also priced through parent stations\n";
  EXPECT_GT(through_stations, 1000u);
}

TEST(Hyderabad, InterchangePlatformsHaveTheirOwnZones) {
  HCESIM_REQUIRE_SHARED_DATA(dir, "gtfs/hmrl-hyderabad-2025");
  auto e = FareEngine::from_gtfs(dir);
  ASSERT_TRUE(e);
  const Matrix m = read_matrix(dir);
  // Ameerpet on the Red Line (AME_R) and on the Blue Line (AME_B) to the same station differ
  // where the matrix says so; through the parent station the route decides.
  for (const char* route : {"RED", "BLUE"}) {
    const std::string zone = std::string("AME_") + route[0];
    auto leg = parse_leg(
        *e, std::string(route) + ":AME:" + m.platform_of_zone.at("MGB_G") + ":08:00", 0, "", "");
    ASSERT_TRUE(leg) << leg.error().to_string();
    EXPECT_EQ(e->feed()->stop[leg->from_stop].zone, *e->feed()->zones.find(zone));
    EXPECT_EQ(price_one(*e, *leg).amount_string(), m.price.at(m.fare_id.at({zone, "MGB_G"})));
  }
}

TEST(Hyderabad, AWeekdayJourneyOnRealTripsPricesAsOneTripAcrossTheInterchange) {
  HCESIM_REQUIRE_SHARED_DATA(dir, "gtfs/hmrl-hyderabad-2025");
  auto e = FareEngine::from_gtfs(dir);
  ASSERT_TRUE(e);
  const Matrix m = read_matrix(dir);
  auto st = CsvTable::read(dir / "stop_times.txt");
  ASSERT_TRUE(st);
  // Real trip times: the first weekday Red trip calling at Ameerpet (AME3/AME4) and the first
  // weekday Blue trip leaving Ameerpet (AME1/AME2) after it.
  const size_t trip = *st->column("trip_id"), stop = *st->column("stop_id");
  const size_t arr = *st->column("arrival_time"), dep = *st->column("departure_time");
  std::string red_trip, red_from, red_from_time, red_arrive_time, red_to;
  for (size_t r = 0; r < st->rows() && red_to.empty(); ++r) {
    const std::string t(st->field(r, trip));
    if (t.rfind("WK_", 0) != 0) {
      continue;
    }
    if (red_trip != t) {
      red_trip = t;
      red_from = st->field(r, stop);
      red_from_time = st->field(r, dep);
    } else if ((st->field(r, stop) == "AME3" || st->field(r, stop) == "AME4") &&
               red_from.rfind("AME", 0) != 0) {
      red_to = st->field(r, stop);
      red_arrive_time = st->field(r, arr);
    }
  }
  ASSERT_FALSE(red_to.empty());
  auto red_arrive = parse_time_of_day(red_arrive_time);
  std::string blue_from, blue_time, blue_to, blue_arrive;
  for (size_t r = 0; r + 3 < st->rows() && blue_to.empty(); ++r) {
    const std::string t(st->field(r, trip));
    if (t.rfind("WK_", 0) == 0 && (st->field(r, stop) == "AME1" || st->field(r, stop) == "AME2") &&
        st->field(r + 3, trip) == t && *parse_time_of_day(st->field(r, dep)) > *red_arrive) {
      blue_from = st->field(r, stop);
      blue_time = st->field(r, dep);
      blue_to = st->field(r + 3, stop);
      blue_arrive = st->field(r + 3, arr);
    }
  }
  ASSERT_FALSE(blue_to.empty());
  auto hm = [](const std::string& t) { return t.substr(0, 5); };
  std::vector<FareLeg> legs;
  for (std::string text :
       {"RED:" + red_from + ":" + red_to + ":" + hm(red_from_time) + ":" + hm(red_arrive_time),
        "BLUE:" + blue_from + ":" + blue_to + ":" + hm(blue_time) + ":" + hm(blue_arrive)}) {
    auto leg = parse_leg(*e, text, 0, "", "");
    ASSERT_TRUE(leg) << leg.error().to_string();
    legs.push_back(*leg);
  }
  const JourneyPrice j = e->price_journey(legs);
  ASSERT_TRUE(j.complete);
  const GtfsFeed& feed = *e->feed();
  auto zone = [&](const std::string& s) {
    return feed.zones.name(feed.stop[*e->find_stop(s)].zone);
  };
  const std::string first = m.price.at(m.fare_id.at({zone(red_from), zone(red_to)}));
  const std::string whole = m.price.at(m.fare_id.at({zone(red_from), zone(blue_to)}));
  std::cout << "  " << red_from << "→" << red_to << " then " << blue_from << "→" << blue_to << ": "
            << first << " then " << j.legs[1].amount.amount_string() << '\n';
  EXPECT_EQ(j.legs[0].amount.amount_string(), first);
  EXPECT_TRUE(j.legs[1].transfer);
  // One trip from the first origin to the last destination (never less than already paid).
  EXPECT_EQ(j.total.minor(), std::max(Money::parse(whole, j.total.currency())->minor(),
                                      Money::parse(first, j.total.currency())->minor()));
}
