// The gravity model of where trips go.
#include "models/population/destination_choice.h"

#include "../world_config.h"
#include "models/city/synthetic_city.h"
#include "models/population/population.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace hcesim;
using namespace hcesim::models;

namespace {

double km(const City& c, uint32_t a, uint32_t b) {
  const Point p = c.zone_centre(a);
  const Point q = c.zone_centre(b);
  return std::hypot(static_cast<double>(p.x - q.x), static_cast<double>(p.y - q.y)) / 1000.0;
}

} // namespace

TEST(DestinationChoice, NearerZonesOfEqualAttractionAreLikelierByTheDecay) {
  const City c = build_synthetic_city(world_test::small_world());
  const DestinationChoice choice(c, 5000.0);
  const std::vector<double> attraction = destination_weights(c);
  const uint32_t o = c.zone_of(Point{0, 0});
  double total = 0;
  for (uint32_t d = 0; d < c.zone_count(); ++d) {
    total += choice.probability(o, d);
    if (attraction[d] > 0) {
      // P(d) / attraction(d) ∝ exp(−distance / 5 km): compare with the origin zone itself.
      const double ratio =
          (choice.probability(o, d) / attraction[d]) / (choice.probability(o, o) / attraction[o]);
      EXPECT_NEAR(ratio, std::exp(-km(c, o, d) / 5.0), 1e-9);
    } else {
      EXPECT_EQ(choice.probability(o, d), 0.0);
    }
  }
  EXPECT_NEAR(total, 1.0, 1e-9);
}

TEST(DestinationChoice, TripsFromTheEdgeAreShorterThanWithAttractionAlone) {
  const City c = build_synthetic_city(world_test::small_world());
  const DestinationChoice gravity(c);
  const DestinationChoice flat(c, 1e12); // no decay: attraction alone
  const uint32_t o = c.zone_of(Point{9000, 4000});
  sim::RandomStream s(5, sim::Purpose::kTrips, 0);
  double near = 0;
  double far = 0;
  for (int i = 0; i < 4000; ++i) {
    near += km(c, o, gravity.draw(o, s));
    far += km(c, o, flat.draw(o, s));
  }
  EXPECT_LT(near, 0.8 * far);
}
