// The validity mode's scenario fields: defaults, ranges and the rules between fields.
#include "models/scenario/scenario_loader.h"

#include <gtest/gtest.h>

namespace hcesim::models {
namespace {

constexpr const char* kFile = HCESIM_SOURCE_DIR "/scenarios/fields_test.txtpb";

LoadedScenario load(const std::string& text) {
  return load_scenario_text(text, kFile, false, {});
}

std::vector<std::string> messages(const LoadedScenario& s) {
  std::vector<std::string> out;
  for (const Error& e : s.errors) {
    out.push_back(e.to_string());
  }
  return out;
}

TEST(ValidityFields, DefaultsAreTripChainsAndACloudWithLatency) {
  const LoadedScenario s = load("");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.config.population.trip_model, TripModel::kTripChains);
  EXPECT_FALSE(s.config.cloud.zero_latency);
  // The unused rate is not written into the resolved scenario (it would not reload).
  EXPECT_FALSE(s.resolved.population().has_taps_per_hour());
  EXPECT_TRUE(load(scenario_to_text(s.resolved)).ok());
}

TEST(ValidityFields, PoissonTapsTakeTheirRateWithItsDefault) {
  const LoadedScenario s = load("population { trip_model: POISSON_TAPS }");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.config.population.trip_model, TripModel::kPoissonTaps);
  EXPECT_DOUBLE_EQ(s.config.population.taps_per_hour, 1.0);
  const LoadedScenario t =
      load("population { trip_model: POISSON_TAPS taps_per_hour: 2.5 } cloud { zero_latency: "
           "true }");
  ASSERT_TRUE(t.ok());
  EXPECT_DOUBLE_EQ(t.config.population.taps_per_hour, 2.5);
  EXPECT_TRUE(t.config.cloud.zero_latency);
  EXPECT_TRUE(load(scenario_to_text(t.resolved)).ok());
}

TEST(ValidityFields, EveryBadValueIsReportedWithItsPlaceAndRule) {
  const LoadedScenario s = load("population {\n"
                                "  trip_model: POISSON_TAPS\n"
                                "  taps_per_hour: 0\n"
                                "}\n"
                                "city { synthetic { bus_routes: 0 } }\n"
                                "cloud {\n"
                                "  outages { start: \"08:00\" duration: \"1h\" }\n"
                                "  zero_latency: true\n"
                                "}\n");
  const std::string f = kFile;
  EXPECT_EQ(messages(s),
            (std::vector<std::string>{
                f + ":2:3: population.trip_model: POISSON_TAPS needs bus routes "
                    "(city.synthetic.bus_routes >= 1)",
                f + ":3:3: population.taps_per_hour: must be (0..60], got 0",
                f + ":8:3: cloud.zero_latency: must be false when cloud.outages are given (a "
                    "cloud that answers at once has no outage)"}));
}

TEST(ValidityFields, ARateWithTripChainsIsAnError) {
  const LoadedScenario s = load("population { taps_per_hour: 3 }");
  ASSERT_EQ(s.errors.size(), 1u);
  EXPECT_EQ(s.errors[0].to_string(),
            std::string(kFile) +
                ":1:14: population.taps_per_hour: is used only with trip_model POISSON_TAPS");
}

TEST(ValidityFields, PoissonTapsNeedTheSyntheticCity) {
  const LoadedScenario s =
      load_scenario_text("population { trip_model: POISSON_TAPS }", kFile, false,
                         {"city.gtfs.folder=" HCESIM_SOURCE_DIR "/scenarios"});
  ASSERT_FALSE(s.ok());
  bool found = false;
  for (const Error& e : s.errors) {
    found = found || e.what == "population.trip_model: POISSON_TAPS needs the synthetic city (its "
                               "taps are at bus readers)";
  }
  EXPECT_TRUE(found) << messages(s).front();
}

} // namespace
} // namespace hcesim::models
