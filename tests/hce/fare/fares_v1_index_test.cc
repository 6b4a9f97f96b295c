// FaresV1 finds fares through an index of the rules by origin and destination zone; these tests
// hold it to the plain reading of the rules (try every fare, cheapest first, against every rule),
// on random feeds that use every rule field and on the real Hyderabad feed.
#include "hce/fare/fares_v1.h"
#include "hce/random_source.h"
#include "support/shared_data.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

using namespace hcesim;
using namespace hcesim::fare;

namespace {

// The rules as fares_v1.h states them, with nothing indexed: every fare, cheapest first, against
// every one of its rules.
class Reading {
public:
  explicit Reading(const GtfsFeed& feed)
      : feed_(feed), rules_of_fare_(feed.fare_attributes.size()) {
    for (const FareRuleV1& r : feed.fare_rules_v1) {
      rules_of_fare_[r.fare].push_back(r);
    }
    order_.resize(feed.fare_attributes.size());
    std::iota(order_.begin(), order_.end(), 0U);
    std::stable_sort(order_.begin(), order_.end(), [&feed](uint32_t a, uint32_t b) {
      return feed.fare_attributes[a].price.minor() < feed.fare_attributes[b].price.minor();
    });
  }

  uint32_t cheapest(uint32_t origin, uint32_t destination,
                    const std::vector<uint32_t>& routes) const {
    return first_allowing(origin, destination, routes, 0);
  }

  // The cheapest matching fare whose `transfers` allows `transfers_needed`.
  uint32_t first_allowing(uint32_t origin, uint32_t destination,
                          const std::vector<uint32_t>& routes, int32_t transfers_needed) const {
    const std::vector<uint32_t> from = zones(origin);
    const std::vector<uint32_t> to = zones(destination);
    auto in = [](const std::vector<uint32_t>& z, uint32_t zone) {
      return std::find(z.begin(), z.end(), zone) != z.end();
    };
    for (uint32_t f : order_) {
      const FareAttribute& fa = feed_.fare_attributes[f];
      bool ok = fa.transfers < 0 || transfers_needed <= fa.transfers;
      for (uint32_t r : routes) {
        ok = ok && (fa.agency == kNone || feed_.route[r].agency == fa.agency);
      }
      for (size_t i = 0; ok && feed_.has_fare_rules_v1_file && i < routes.size(); ++i) {
        ok = std::any_of(
            rules_of_fare_[f].begin(), rules_of_fare_[f].end(), [&](const FareRuleV1& r) {
              return (r.route == kNone || r.route == routes[i]) &&
                     (r.origin == kNone || in(from, r.origin)) &&
                     (r.destination == kNone || in(to, r.destination)) &&
                     (r.contains == kNone || in(from, r.contains) || in(to, r.contains));
            });
      }
      if (ok) {
        return f;
      }
    }
    return kNone;
  }

  // One leg after another as fares_v1.h states it: continue the open fare when it allows one more
  // transfer in time (and a fare for the whole trip costs less extra than a new fare), else buy
  // the cheapest fare for the leg.
  struct Trip {
    bool open = false;
    uint32_t fare = kNone;
    uint32_t origin = kNone;
    uint32_t last_to = kNone;
    Time first_depart;
    int32_t transfers = 0;
    int64_t charged = 0;
    std::vector<uint32_t> routes;
  };
  LegPrice price_next(Trip& trip, const FareLeg& leg) const {
    const uint32_t alone = cheapest(leg.from_stop, leg.to_stop, {leg.route});
    int64_t best = alone == kNone ? -1 : feed_.fare_attributes[alone].price.minor();
    uint32_t joined = kNone;
    if (trip.open && trip.routes.size() < V1State::kMaxRoutes) {
      const FareAttribute& cur = feed_.fare_attributes[trip.fare];
      const bool in_time =
          cur.transfer_duration_s >= 0
              ? leg.depart - trip.first_depart <= Duration::seconds(cur.transfer_duration_s)
              : station(trip.last_to) == station(leg.from_stop);
      if ((cur.transfers < 0 || trip.transfers < cur.transfers) && in_time) {
        std::vector<uint32_t> routes = trip.routes;
        if (std::find(routes.begin(), routes.end(), leg.route) == routes.end()) {
          routes.push_back(leg.route);
        }
        const uint32_t f = first_allowing(trip.origin, leg.to_stop, routes, trip.transfers + 1);
        if (f != kNone) {
          const int64_t extra =
              std::max<int64_t>(0, feed_.fare_attributes[f].price.minor() - trip.charged);
          if (best < 0 || extra <= best) {
            best = extra;
            joined = f;
          }
        }
      }
    }
    LegPrice out;
    if (best < 0) {
      return out; // kNoFareRule
    }
    out.outcome = LegOutcome::kPriced;
    out.amount = Money(best, feed_.currency);
    out.transfer = joined != kNone;
    if (joined != kNone) {
      out.product = trip.fare = joined;
      trip.transfers += 1;
      trip.charged += best;
      if (std::find(trip.routes.begin(), trip.routes.end(), leg.route) == trip.routes.end()) {
        trip.routes.push_back(leg.route);
      }
    } else {
      out.product = trip.fare = alone;
      trip = Trip{true, alone, leg.from_stop, kNone, leg.depart, 0, best, {leg.route}};
    }
    trip.last_to = leg.to_stop;
    return out;
  }

private:
  uint32_t station(uint32_t s) const {
    return feed_.stop[s].parent != kNone ? feed_.stop[s].parent : s;
  }

  // A stop's zones: its own and its platforms' (kNone entries never equal a rule's zone).
  std::vector<uint32_t> zones(uint32_t stop) const {
    std::vector<uint32_t> z{feed_.stop[stop].zone};
    for (uint32_t c : feed_.stop[stop].children) {
      z.push_back(feed_.stop[c].zone);
    }
    return z;
  }

  const GtfsFeed& feed_;
  std::vector<std::vector<FareRuleV1>> rules_of_fare_;
  std::vector<uint32_t> order_;
};

// A feed of `zones` zones: platforms with a zone each, stations over two or three of them, and
// random rules where each field is empty about a third of the time.
GtfsFeed random_feed(uint64_t seed) {
  hce::SeededRandomSource random(seed);
  auto below = [&random](uint64_t n) { return static_cast<uint32_t>(random.next_u64() % n); };
  const Currency usd = Currency::from_code("USD").value();
  GtfsFeed feed;
  feed.currency = usd;
  feed.agencies.intern("A");
  feed.agencies.intern("B");
  for (uint32_t r = 0; r < 5; ++r) {
    feed.routes.intern("R" + std::to_string(r));
    GtfsRoute route;
    route.agency = r % 2;
    feed.route.push_back(route);
  }
  constexpr uint32_t kZones = 12;
  for (uint32_t z = 0; z < kZones; ++z) {
    feed.zones.intern("z" + std::to_string(z));
  }
  for (uint32_t s = 0; s < 24; ++s) { // platforms
    feed.stops.intern("p" + std::to_string(s));
    GtfsStop stop;
    stop.zone = s % 7 == 6 ? kNone : below(kZones); // some platforms have no zone
    feed.stop.push_back(stop);
  }
  for (uint32_t s = 0; s < 6; ++s) { // stations over platforms 3s..3s+2 (some: 2 of them)
    const auto id = static_cast<uint32_t>(feed.stop.size());
    feed.stops.intern("S" + std::to_string(s));
    GtfsStop station;
    station.location_type = 1;
    station.zone = s % 2 == 0 ? kNone : below(kZones);
    feed.stop.push_back(station);
    for (uint32_t c = 3 * s; c < 3 * s + (s % 3 == 0 ? 2 : 3); ++c) {
      feed.stop[c].parent = id;
      feed.stop[id].children.push_back(c);
    }
  }
  const uint32_t fares = 6 + below(6);
  for (uint32_t f = 0; f < fares; ++f) {
    feed.fares_v1.intern("F" + std::to_string(f));
    FareAttribute fa;
    fa.price = Money(100 * (1 + below(4)), usd); // equal prices: ties keep file order
    fa.agency = below(4) == 0 ? below(2) : kNone;
    fa.transfers = static_cast<int32_t>(below(4)) - 1; // -1 (unlimited) .. 2
    fa.transfer_duration_s = below(2) == 0 ? -1 : 1800;
    feed.fare_attributes.push_back(fa);
  }
  auto maybe = [&](uint32_t n) { return below(3) == 0 ? kNone : below(n); };
  const uint32_t rules = 20 + below(60);
  for (uint32_t i = 0; i < rules; ++i) {
    FareRuleV1 r;
    r.fare = below(fares);
    r.route = maybe(5);
    r.origin = maybe(kZones);
    r.destination = maybe(kZones);
    r.contains = below(4) == 0 ? below(kZones) : kNone;
    feed.fare_rules_v1.push_back(r);
  }
  feed.has_fare_rules_v1_file = true;
  feed.has_v1 = true;
  return feed;
}

} // namespace

TEST(FaresV1Index, AgreesWithReadingEveryRuleOnRandomFeeds) {
  size_t priced = 0;
  size_t unpriced = 0;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    const GtfsFeed feed = random_feed(seed);
    const FaresV1 fares(feed);
    const Reading reading(feed);
    const std::vector<std::vector<uint32_t>> route_sets = {{0},    {1},    {3},
                                                           {0, 2}, {1, 4}, {0, 1, 3}};
    for (uint32_t o = 0; o < feed.stop.size(); ++o) {
      for (uint32_t d = 0; d < feed.stop.size(); ++d) {
        for (const auto& routes : route_sets) {
          const uint32_t want = reading.cheapest(o, d, routes);
          ASSERT_EQ(fares.cheapest(o, d, routes.data(), routes.size()), want)
              << "seed " << seed << ", stops " << o << " -> " << d << ", " << routes.size()
              << " route(s) from " << routes.front();
          (want == kNone ? unpriced : priced) += 1U;
        }
      }
    }
  }
  // Both outcomes occur, so the agreement is not all "no fare".
  EXPECT_GT(priced, 10'000u);
  EXPECT_GT(unpriced, 10'000u);
}

// Journeys of up to five legs, some within a transfer window or from the station the last leg
// ended at: the join path asks the index for the cheapest fare allowing one more transfer.
TEST(FaresV1Index, JourneysPriceAsReadingEveryRuleLegAfterLeg) {
  size_t joined = 0;
  size_t legs = 0;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    const GtfsFeed feed = random_feed(seed);
    const FaresV1 fares(feed);
    const Reading reading(feed);
    hce::SeededRandomSource random(seed * 7919);
    auto below = [&random](uint64_t n) { return static_cast<uint32_t>(random.next_u64() % n); };
    const auto stops = static_cast<uint32_t>(feed.stop.size());
    for (int journey = 0; journey < 300; ++journey) {
      V1State state;
      Reading::Trip trip;
      Time t = Time::epoch() + Duration::hours(7);
      uint32_t at = below(stops);
      const uint32_t n = 1 + below(5);
      for (uint32_t i = 0; i < n; ++i) {
        FareLeg leg;
        leg.route = below(5);
        // Often start where the last leg ended, or at another platform of its station.
        leg.from_stop = below(2) == 0 ? at : below(stops);
        leg.to_stop = below(stops);
        t += Duration::minutes(below(2) == 0 ? 10 : 45);
        leg.depart = leg.arrive = t;
        at = leg.to_stop;
        const LegPrice got = fares.price_next(state, leg);
        const LegPrice want = reading.price_next(trip, leg);
        ASSERT_EQ(got.outcome, want.outcome) << "seed " << seed << ", journey " << journey;
        if (want.outcome == LegOutcome::kPriced) {
          ASSERT_EQ(got.amount.minor(), want.amount.minor()) << "seed " << seed << ", " << journey;
          ASSERT_EQ(got.product, want.product) << "seed " << seed << ", journey " << journey;
          ASSERT_EQ(got.transfer, want.transfer) << "seed " << seed << ", journey " << journey;
          joined += want.transfer ? 1U : 0U;
        }
        ++legs;
      }
    }
  }
  EXPECT_GT(joined, legs / 50); // the transfer path is exercised
}

TEST(FaresV1Index, AgreesWithReadingEveryRuleOnTheHyderabadFeed) {
  HCESIM_REQUIRE_SHARED_DATA(dir, "gtfs/hmrl-hyderabad-2025");
  auto load = load_gtfs(dir);
  ASSERT_TRUE(load) << load.error().to_string();
  const GtfsFeed& feed = load->feed;
  const FaresV1 fares(feed);
  const Reading reading(feed);
  // Stations and platforms against each other (entrances have no zone: one row of them).
  std::vector<uint32_t> stops;
  uint32_t entrance = kNone;
  for (uint32_t s = 0; s < feed.stop.size(); ++s) {
    if (feed.stop[s].location_type <= 1) {
      stops.push_back(s);
    } else if (entrance == kNone) {
      entrance = s;
    }
  }
  ASSERT_EQ(stops.size(), 57u + 117u);
  ASSERT_NE(entrance, kNone);
  const std::vector<uint32_t> one_route{0};
  const std::vector<uint32_t> two_routes{0, 2};
  size_t pairs = 0;
  size_t priced = 0;
  for (size_t i = 0; i < stops.size(); ++i) {
    // A third of the pairs, spread over every origin and destination: the reference reads every
    // rule of each fare it tries (348 each), which a sanitized build does slowly.
    for (size_t j = i % 3; j < stops.size(); j += 3) {
      const uint32_t o = stops[i];
      const uint32_t d = stops[j];
      for (const auto* routes : {&one_route, &two_routes}) {
        const uint32_t want = reading.cheapest(o, d, *routes);
        ASSERT_EQ(fares.cheapest(o, d, routes->data(), routes->size()), want)
            << feed.stops.name(o) << " -> " << feed.stops.name(d) << ", " << routes->size()
            << " route(s)";
        pairs += 1;
        priced += want != kNone ? 1U : 0U;
      }
    }
    ASSERT_EQ(fares.cheapest(entrance, stops[i], one_route.data(), 1),
              reading.cheapest(entrance, stops[i], one_route));
  }
  EXPECT_GT(pairs, 20'000u);
  EXPECT_EQ(priced, pairs); // every station and platform pair has a fare
}
