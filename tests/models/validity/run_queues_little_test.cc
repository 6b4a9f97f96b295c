// Little's law (DESIGN §7) on the cloud queues inside a normal CityRun, loaded so requests wait,
// time out and are refused: for each queue, three independent estimates — the time-average number
// in system L (integrated from the queue's changes), the arrival rate λ (accepted requests counted
// over the run), and the mean time in system W (a tally of each request's own sojourn) — agree,
// L = λW, within 1 % (the only gap is the few requests still in the system when the run ends,
// whose time so far is in L but not yet in W). The same holds for the servers (busy servers =
// completion rate × mean service time) and for the waiting line (L − busy = λ × mean wait).
#include "models/run/city_run.h"
#include "models/scenario/scenario_loader.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

namespace hcesim::models {
namespace {

ScenarioConfig loaded_cloud_run() {
  const std::vector<std::string> sets = {
      "population.riders=400", "city.synthetic.metro_lines=2",
      "city.synthetic.stations_per_line=10", "city.synthetic.bus_routes=20",
      "city.synthetic.stops_per_bus_route=10", "city.synthetic.size_km=8", "warmup=0s", "days=1",
      "drain=6h",
      // Slow, small services: queueing, timeouts, refusals.
      "cloud.issuing.servers=1", "cloud.issuing.mean_service_time=8s", "cloud.issuing.buffer=3",
      "cloud.issuing.client_timeout=10s", "cloud.settlement.servers=1",
      "cloud.settlement.mean_service_time=15s", "cloud.settlement.buffer=4",
      "cloud.settlement.client_timeout=40s"};
  const LoadedScenario loaded =
      load_scenario_text("", HCESIM_SOURCE_DIR "/scenarios/little_test.txtpb", false, sets);
  EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.errors.front().to_string());
  return loaded.config;
}

void expect_littles_law(const ServiceQueue& q, const char* name) {
  SCOPED_TRACE(name);
  const double span = q.number_in_system().span().to_seconds();
  ASSERT_GT(span, 0);
  const double l = q.number_in_system().average();
  const double lambda = static_cast<double>(q.accepted().value()) / span;
  const double w = q.sojourn().mean();
  std::printf("[little] %s: L %.5f, lambda %.6f/s (%lld accepted, %lld refused, %lld timed out), W "
              "%.4f s, wait %.4f s, busy %.5f\n",
              name, l, lambda, static_cast<long long>(q.accepted().value()),
              static_cast<long long>(q.refused().value()),
              static_cast<long long>(q.timed_out().value()), w, q.wait().mean(),
              q.busy_servers().average());
  // Enough traffic for the check to mean something: queueing and lost patience both happen.
  ASSERT_GT(q.accepted().value(), 300);
  ASSERT_GT(q.wait().mean(), 0.1 * w);
  EXPECT_GT(q.timed_out().value(), 0);
  EXPECT_NEAR(l, lambda * w, 0.01 * l) << "L " << l << ", λ " << lambda << "/s, W " << w << " s";

  const double busy = q.busy_servers().average();
  const double completion = static_cast<double>(q.completed().value()) / span;
  const double service = w - q.wait().mean();
  EXPECT_NEAR(busy, completion * service, 0.01 * busy);
  EXPECT_NEAR(l - busy, lambda * q.wait().mean(), 0.01 * (l - busy));
}

TEST(RunQueues, LittlesLawHoldsOnEachCloudQueueFromThreeIndependentEstimates) {
  const ScenarioConfig cfg = loaded_cloud_run();
  auto world = build_world(cfg);
  ASSERT_TRUE(world.ok());
  CityRun run(cfg, *world);
  run.run();
  expect_littles_law(run.issuing_queue(), "issuing");
  expect_littles_law(run.settlement_queue(), "settlement");
  // Top-ups do not go through a queue in CityRun (the bank answers the top-up service at once).
}

} // namespace
} // namespace hcesim::models
