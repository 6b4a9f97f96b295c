// Flat fares per boarding beside a distance fare, and the transfer discount within its window
// (our extension: a synthetic city's buses and metro under one rule).
#include "hce/fare/fare_engine.h"

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

using namespace hcesim;
using namespace hcesim::fare;

namespace {

// A 10 km line: A-B 5 km (2 CNY), A-C 10 km (3 CNY); buses 2 CNY; 1 CNY off within 90 min.
proto::FareRules rules(const std::string& more) {
  proto::FareRules r;
  const std::string text = "currency: \"CNY\"\n"
                           "distance {\n"
                           "  bands { up_to_m: 6000 upper_edge_included: true fare: \"2\" }\n"
                           "  bands { up_to_m: 12000 upper_edge_included: true fare: \"3\" }\n"
                           "  lines { id: \"L\" stations { id: \"A\" }\n"
                           "    stations { id: \"B\" from_previous_m: 5000 }\n"
                           "    stations { id: \"C\" from_previous_m: 5000 } }\n"
                           "}\n" +
                           more;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &r));
  return r;
}

const std::string kBusAndDiscount = "flat_fares { network: \"bus\" fare: \"2\" }\n"
                                    "transfer_discount { amount: \"1\" window: \"90min\" }\n";

FareLeg metro(const FareEngine& e, const char* from, const char* to, Time at) {
  FareLeg l;
  l.from_stop = *e.find_stop(from);
  l.to_stop = *e.find_stop(to);
  l.depart = at;
  l.arrive = at + Duration::minutes(20);
  return l;
}

FareLeg bus(const FareEngine& e, Time at) {
  FareLeg l;
  l.network = *e.find_network("bus");
  l.depart = at;
  l.arrive = at;
  return l;
}

int64_t minor(const LegPrice& p) {
  return p.amount.minor();
}

} // namespace

TEST(FlatFares, ABusBoardingPaysTheFlatFareAndAMetroLegItsDistanceBand) {
  auto e = FareEngine::from_rules(rules(kBusAndDiscount), "rules");
  ASSERT_TRUE(e) << e.error().to_string();
  const Time t = Time::epoch() + Duration::hours(8);
  const FareLeg bus_leg = bus(*e, t);
  const FareLeg metro_leg = metro(*e, "A", "C", t + Duration::hours(3));
  const JourneyPrice j = e->price_journey(std::vector<FareLeg>{bus_leg, metro_leg});
  EXPECT_EQ(minor(j.legs[0]), 200);
  EXPECT_EQ(minor(j.legs[1]), 300); // three hours later: no discount
  EXPECT_FALSE(j.legs[1].transfer);
  EXPECT_EQ(e->product_name(j.legs[0]), "flat bus");
}

TEST(FlatFares, ALegStartedWithinTheWindowOfThePreviousLegsEndIsDiscounted) {
  auto e = FareEngine::from_rules(rules(kBusAndDiscount), "rules");
  ASSERT_TRUE(e) << e.error().to_string();
  const Time t = Time::epoch() + Duration::hours(8);
  // Metro A→B ends at 08:20; a bus at 09:50 is exactly 90 min later (discounted), a second bus at
  // 11:21 is 91 min after the first bus (full fare).
  const std::vector<FareLeg> legs{metro(*e, "A", "B", t), bus(*e, t + Duration::minutes(110)),
                                  bus(*e, t + Duration::minutes(201))};
  const JourneyPrice j = e->price_journey(legs);
  EXPECT_EQ(minor(j.legs[0]), 200);
  EXPECT_EQ(minor(j.legs[1]), 100);
  EXPECT_TRUE(j.legs[1].transfer);
  EXPECT_EQ(minor(j.legs[2]), 200);
  EXPECT_EQ(j.total.minor(), 500);
}

TEST(FlatFares, TheDiscountNeverMakesALegNegative) {
  auto e = FareEngine::from_rules(rules("flat_fares { network: \"bus\" fare: \"0.50\" }\n"
                                        "transfer_discount { amount: \"1\" window: \"1h\" }\n"),
                                  "rules");
  ASSERT_TRUE(e) << e.error().to_string();
  const Time t = Time::epoch() + Duration::hours(8);
  const JourneyPrice j =
      e->price_journey(std::vector<FareLeg>{bus(*e, t), bus(*e, t + Duration::minutes(10))});
  EXPECT_EQ(minor(j.legs[1]), 0);
}

TEST(FlatFares, BadFlatFaresAndDiscountsAreErrorsNamingTheField) {
  auto dup = FareEngine::from_rules(rules("flat_fares { network: \"bus\" fare: \"2\" }\n"
                                          "flat_fares { network: \"bus\" fare: \"3\" }\n"),
                                    "r.txtpb");
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().where, "r.txtpb: flat_fares[1].network");
  auto negative =
      FareEngine::from_rules(rules("flat_fares { network: \"bus\" fare: \"-2\" }\n"), "r.txtpb");
  ASSERT_FALSE(negative);
  EXPECT_EQ(negative.error().where, "r.txtpb: flat_fares[0].fare");
  auto window = FareEngine::from_rules(
      rules("transfer_discount { amount: \"1\" window: \"0s\" }\n"), "r.txtpb");
  ASSERT_FALSE(window);
  EXPECT_EQ(window.error().where, "r.txtpb: transfer_discount.window");
}
