// Fuzzes the scenario parser (load_scenario_text), text format or JSON: input starting with '{'
// (after blanks) is JSON, anything else text format. A scenario that loads must have every field
// in its documented range, and its resolved form must load again to the same resolved form.
#include "fuzz_check.h"
#include "models/scenario/scenario_loader.h"

#include <google/protobuf/util/message_differencer.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

using namespace hcesim;
using namespace hcesim::models;

namespace {

// Beside the shipped fare rules, so the default metro_fare_rules path resolves.
const std::string kFile = std::string(HCESIM_SOURCE_DIR) + "/scenarios/fuzz.txtpb";

bool in(double v, double lo, double hi) {
  return std::isfinite(v) && v >= lo && v <= hi;
}

void check_ranges(const ScenarioConfig& c) {
  FUZZ_CHECK(c.days >= 1 && c.days <= 366, "days");
  FUZZ_CHECK(c.warmup >= Duration::zero() && c.warmup % Duration::days(1) == Duration::zero(),
             "warmup whole days");
  FUZZ_CHECK(c.first_weekday >= 0 && c.first_weekday <= 6, "first_weekday");
  if (c.city.source == CitySource::kSynthetic) {
    FUZZ_CHECK(c.city.metro_lines >= 1 && c.city.metro_lines <= 12, "metro_lines");
    FUZZ_CHECK(c.city.bus_fare.currency() == c.city.currency, "bus_fare currency");
    FUZZ_CHECK(c.city.transfer_discount <= c.city.bus_fare, "transfer_discount <= bus_fare");
    FUZZ_CHECK(c.city.bus_fare.minor() >= 0, "bus_fare >= 0");
  }
  FUZZ_CHECK(c.population.riders >= 1 && c.population.riders <= 20'000'000, "riders");
  FUZZ_CHECK(in(c.population.hce_share, 0, 1), "hce_share");
  FUZZ_CHECK(!c.population.classes.empty(), "rider classes");
  double total = 0;
  for (const RiderClassConfig& rc : c.population.classes) {
    FUZZ_CHECK(in(rc.share, 0, 1) && rc.share > 0, "class share");
    FUZZ_CHECK(!rc.name.empty(), "class name");
    total += rc.share;
  }
  FUZZ_CHECK(std::fabs(total - 1.0) <= 1e-6, "class shares add up to 1");
  total = 0;
  FUZZ_CHECK(!c.network.coverage.empty(), "coverage classes");
  for (const CoverageClassConfig& cc : c.network.coverage) {
    FUZZ_CHECK(in(cc.share, 0, 1) && cc.share > 0, "coverage share");
    total += cc.share;
  }
  FUZZ_CHECK(std::fabs(total - 1.0) <= 1e-6, "coverage shares add up to 1");
  const auto& t = c.token_policy;
  FUZZ_CHECK(t.offline_limit >= 1 && t.offline_limit <= 100, "offline_limit");
  FUZZ_CHECK(t.lifetime >= Duration::hours(1) && t.lifetime <= Duration::days(30), "lifetime");
  FUZZ_CHECK(t.jitter >= Duration::zero() && t.jitter <= t.lifetime, "jitter");
  FUZZ_CHECK(t.wallet_size >= t.tokens_per_grant && t.tokens_per_grant >= 1, "wallet_size");
  FUZZ_CHECK(t.key_rotation > t.lifetime + std::max(c.validators.station_upload_interval,
                                                    c.validators.bus_upload_interval),
             "key_rotation outlives tokens");
  FUZZ_CHECK(c.refill.max_backoff >= c.refill.retry_backoff, "max_backoff");
  FUZZ_CHECK(c.top_up.amount.minor() > 0, "top-up amount");
  FUZZ_CHECK(in(c.top_up.auto_share, 0, 1) && in(c.network.data_off_share, 0, 1) &&
                 in(c.validators.outage_share, 0, 1),
             "shares");
  FUZZ_CHECK(in(c.bank.decline_probability, 0, 1) && in(c.bank.timeout_probability, 0, 1) &&
                 c.bank.decline_probability + c.bank.timeout_probability <= 1.0,
             "bank probabilities");
  FUZZ_CHECK(c.validators.batch_size >= 1 && c.validators.store_capacity >= 10, "validators");
  for (const CloudServiceConfig* s : {&c.cloud.issuing, &c.cloud.settlement, &c.cloud.top_up}) {
    FUZZ_CHECK(s->servers >= 1 && s->mean_service_time > Duration::zero(), "cloud service");
  }
  for (const OutageConfig& o : c.cloud.outages) {
    FUZZ_CHECK(o.duration >= Duration::seconds(1), "outage duration");
  }
  FUZZ_CHECK(c.output.timeseries_interval >= Duration::minutes(1), "timeseries_interval");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const size_t first = text.find_first_not_of(" \t\r\n");
  const bool json = first != std::string::npos && text[first] == '{';
  const LoadedScenario loaded = load_scenario_text(text, kFile, json, {});
  if (!loaded.ok()) {
    for (const Error& e : loaded.errors) {
      FUZZ_CHECK(!e.what.empty(), "every error says what is wrong");
    }
    return 0;
  }
  check_ranges(loaded.config);
  // The resolved scenario (every default written in) is itself a good scenario that resolves to
  // itself: what `hcesim validate --print` writes can be run.
  const std::string resolved = scenario_to_text(loaded.resolved);
  const LoadedScenario again = load_scenario_text(resolved, kFile, false, {});
  FUZZ_CHECK(again.ok(), "the resolved scenario loads");
  FUZZ_CHECK(google::protobuf::util::MessageDifferencer::Equals(again.resolved, loaded.resolved),
             "resolving is idempotent");
  return 0;
}
