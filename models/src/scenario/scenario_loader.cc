#include "models/scenario/scenario_loader.h"

#include "hce/fare/service_date.h"
#include "models/cloud_queue/cloud_calibration.h"
#include "models/fares/city_fares.h"
#include "models/scenario/attacker_fields.h"
#include "models/scenario/faults_fields.h"
#include "models/scenario/scenario_fields.h"
#include "models/scenario/scenario_override.h"
#include "models/scenario/scenario_source.h"
#include "models/scenario/study_fields.h"

#include <google/protobuf/text_format.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <set>

namespace hcesim::models {
namespace {

namespace fs = std::filesystem;

Duration secs(int64_t s) {
  return Duration::seconds(s);
}

std::string resolve_path(const std::string& base, const std::string& p) {
  if (p.empty() || fs::path(p).is_absolute()) {
    return p;
  }
  return (fs::path(base) / p).lexically_normal().string();
}

// A resolved scenario (--print, a run's manifest) names its files absolutely: written anywhere,
// it loads again (relative to its first folder, a copy elsewhere named files that were not there).
std::string absolute_path(const std::string& p) {
  std::error_code ec;
  const fs::path a = fs::absolute(p, ec);
  return ec ? p : a.lexically_normal().string();
}

bool good_segment_name(const std::string& n) {
  if (n.empty()) {
    return false;
  }
  for (char c : n) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

// Rider and coverage classes share this shape: names unique and well-formed, shares summing to 1.
template <typename Read>
void read_classes(ScenarioFields& parent, const std::string& list, Read read_one) {
  std::set<std::string> names;
  double total = 0;
  int n = parent.count(list);
  for (int i = 0; i < n; ++i) {
    ScenarioFields c = parent.element(list, i);
    std::string name = c.text("name", "");
    if (!good_segment_name(name)) {
      c.fail("name", "must be a non-empty name of a-z, 0-9 and _, got \"" + name + "\"");
    } else if (!names.insert(name).second) {
      c.fail("name", "\"" + name + "\" is used twice");
    }
    total += read_one(c, name);
  }
  if (n > 0 && std::fabs(total - 1.0) > 1e-9) {
    parent.fail(list, "shares must add up to 1, got " + std::to_string(total));
  }
}

CloudServiceConfig read_service(ScenarioFields s, uint32_t servers, const char* service,
                                const char* timeout) {
  CloudServiceConfig c;
  c.servers = s.u32("servers", servers, 1, 10'000);
  c.mean_service_time =
      s.duration("mean_service_time", service, Duration::micros(1), Duration::minutes(1));
  c.buffer = s.u32("buffer", 10'000, 0, 100'000'000);
  c.client_timeout =
      s.duration("client_timeout", timeout, Duration::millis(1), Duration::minutes(10));
  c.fixed_latency = s.duration("fixed_latency", "0s", Duration::zero(), Duration::minutes(1));
  if (s.has("service_time_cv")) { // read only when given: absent means exponential
    c.service_time_cv = s.real("service_time_cv", 1.0, 0, 100);
  }
  return c;
}

// The tap model (validity mode, models/README.md): Poisson taps need bus readers, which only the
// synthetic city is sure to have; their rate is an error under trip chains, where it is unused.
void read_trip_model(const proto::Scenario& msg, ScenarioFields& pop, ScenarioConfig& cfg) {
  auto& p = cfg.population;
  p.trip_model = static_cast<TripModel>(pop.enumeration("trip_model"));
  const bool rate_written = msg.population().has_taps_per_hour();
  if (p.trip_model == TripModel::kTripChains && rate_written) {
    pop.fail("taps_per_hour", "is used only with trip_model POISSON_TAPS");
  } else if (p.trip_model == TripModel::kPoissonTaps) {
    // Read (and its default written back) only where it is used, so a resolved scenario with
    // trip chains reloads without it.
    p.taps_per_hour = pop.real("taps_per_hour", 1.0, 0, 60, /*lo_open=*/true);
  }
  if (p.trip_model == TripModel::kPoissonTaps) {
    if (cfg.city.source != CitySource::kSynthetic) {
      pop.fail("trip_model", "POISSON_TAPS needs the synthetic city (its taps are at bus readers)");
    } else if (cfg.city.bus_routes == 0) {
      pop.fail("trip_model", "POISSON_TAPS needs bus routes (city.synthetic.bus_routes >= 1)");
    }
  }
}

void resolve(proto::Scenario& msg, const FieldLocator& locator, ScenarioConfig& cfg,
             Errors& errors) {
  ScenarioFields root(msg, "", locator, errors);
  cfg.seed = root.u64("seed", 1);
  cfg.days = root.u32("days", 1, 1, 366);
  cfg.warmup = root.duration("warmup", "24h", Duration::zero(), Duration::days(30));
  if (cfg.warmup % Duration::days(1) != Duration::zero()) {
    root.fail("warmup", "must be a whole number of days, got \"" + msg.warmup() + "\"");
  }
  cfg.drain = root.duration("drain", "12h", Duration::zero(), Duration::days(7));
  cfg.first_weekday = root.enumeration("first_day");

  // City first: its currency prices every amount below.
  ScenarioFields city = root.nested("city");
  if (msg.city().has_gtfs()) {
    cfg.city.source = CitySource::kGtfs;
    ScenarioFields g = city.nested("gtfs");
    std::string folder = g.text("folder", "");
    if (folder.empty()) {
      g.fail("folder", "required: the GTFS feed's folder");
    } else {
      cfg.city.gtfs_folder = resolve_path(cfg.base_folder, folder);
      msg.mutable_city()->mutable_gtfs()->set_folder(absolute_path(cfg.city.gtfs_folder));
      if (!fs::is_directory(cfg.city.gtfs_folder)) {
        g.fail("folder", "not a readable folder: " + cfg.city.gtfs_folder);
      }
    }
    cfg.city.service_date = g.text("service_date", "");
    if (!cfg.city.service_date.empty()) {
      // Checked here so the error names the file's line or the --set (the city is built later).
      const std::string& date = cfg.city.service_date;
      const bool iso = date.size() == 10 && date[4] == '-' && date[7] == '-';
      const auto day = fare::parse_date(date);
      // parse_date also reads GTFS's YYYYMMDD: its own message names both forms.
      const bool no_such_day = !day && day.error().what.rfind("no such date", 0) == 0;
      if (!iso || (!day && !no_such_day)) {
        g.fail("service_date", "expected YYYY-MM-DD, got \"" + date + "\"");
      } else if (no_such_day) {
        g.fail("service_date", day.error().what);
      }
    }
    cfg.city.currency = Currency::from_code("CNY").value(); // the feed's own currency replaces it
    if (fs::is_directory(cfg.city.gtfs_folder)) {
      auto feed_currency = feed_fare_currency(cfg.city.gtfs_folder);
      if (feed_currency) {
        cfg.city.currency = *feed_currency;
      } else {
        g.fail("folder", feed_currency.error().to_string());
      }
    }
  } else {
    cfg.city.source = CitySource::kSynthetic;
    ScenarioFields s = city.nested("synthetic");
    cfg.city.metro_lines = s.u32("metro_lines", 4, 1, 12);
    cfg.city.stations_per_line = s.u32("stations_per_line", 25, 2, 80);
    cfg.city.bus_routes = s.u32("bus_routes", 300, 0, 5000);
    cfg.city.stops_per_bus_route = s.u32("stops_per_bus_route", 20, 2, 100);
    cfg.city.size_km = s.u32("size_km", 30, 5, 200);
    std::string code = s.text("currency", "CNY");
    Result<Currency> cur = Currency::from_code(code);
    if (!cur) {
      s.fail("currency", cur.error().what);
      cur = Currency::from_code("CNY");
    }
    cfg.city.currency = *cur;
    const Currency c = *cur;
    cfg.city.bus_fare = s.money("bus_fare", "2.00", c, Money(0, c), *Money::parse("100", c));
    cfg.city.transfer_discount =
        s.money("transfer_discount", "1.00", c, Money(0, c), *Money::parse("100", c));
    if (cfg.city.transfer_discount > cfg.city.bus_fare) {
      s.fail("transfer_discount", "must not exceed bus_fare (" + cfg.city.bus_fare.amount_string() +
                                      "), got \"" + msg.city().synthetic().transfer_discount() +
                                      "\"");
    }
    cfg.city.transfer_window =
        s.duration("transfer_window", "90min", Duration::zero(), Duration::hours(6));
    cfg.city.off_peak_headway_factor = s.u32("off_peak_headway_factor", 2, 1, 10);
    cfg.city.night_headway_factor = s.u32("night_headway_factor", 3, 1, 10);
    const bool rules_given = s.has("metro_fare_rules");
    std::string rules = s.text("metro_fare_rules", "fares/nanchang.txtpb");
    cfg.city.metro_fare_rules = resolve_path(cfg.base_folder, rules);
    if (!rules_given && !fs::is_regular_file(cfg.city.metro_fare_rules)) {
      // The default names the shipped rule; a scenario outside scenarios/ has no fares/ beside it.
      // The resolved scenario names that file, so it loads again wherever it is written.
      cfg.city.metro_fare_rules = resolve_path(HCESIM_SHIPPED_SCENARIOS_DIR, rules);
    }
    msg.mutable_city()->mutable_synthetic()->set_metro_fare_rules(
        absolute_path(cfg.city.metro_fare_rules));
    if (!fs::is_regular_file(cfg.city.metro_fare_rules)) {
      s.fail("metro_fare_rules", "file not found: " + cfg.city.metro_fare_rules);
    }
  }
  const Currency cur = cfg.city.currency;
  auto money = [&](const char* text) { return default_amount(text, cur); };

  ScenarioFields pop = root.nested("population");
  cfg.population.riders = pop.u32("riders", 200'000, 1, 20'000'000);
  cfg.population.hce_share = pop.real("hce_share", 0.6, 0, 1);
  cfg.population.weekday_trips = pop.real("weekday_trips", 2.2, 0, 20);
  cfg.population.weekend_trips = pop.real("weekend_trips", 1.3, 0, 20);
  // A balance written is the balance meant (FIXED), unless start_balances says otherwise.
  const bool balance_written = pop.has("initial_balance");
  cfg.population.initial_balance =
      pop.money("initial_balance", "20.00", cur, money("0"), money("10000"));
  cfg.population.start_balances = static_cast<StartBalances>(pop.enumeration(
      "start_balances", static_cast<int>(balance_written ? proto::StartBalances::FIXED
                                                         : proto::StartBalances::IN_TOP_UP_CYCLE)));
  read_classes(pop, "classes", [&](ScenarioFields& c, const std::string& name) {
    RiderClassConfig rc;
    rc.name = name;
    rc.share = c.real("share", 0, 0, 1, /*lo_open=*/true);
    rc.trip_factor = c.real("trip_factor", 1, 0, 10);
    rc.online_factor = c.real("online_factor", 1, 0.01, 100);
    cfg.population.classes.push_back(rc);
    return rc.share;
  });
  cfg.population.on_refusal = static_cast<RefusalReaction>(pop.enumeration("on_refusal"));
  read_trip_model(msg, pop, cfg);

  ScenarioFields tp = root.nested("token_policy");
  auto& t = cfg.token_policy;
  t.offline_limit = tp.u32("offline_limit", 3, 1, 100);
  t.lifetime = tp.duration("lifetime", "24h", Duration::hours(1), Duration::days(30));
  t.alignment = static_cast<ExpiryAlignment>(tp.enumeration("alignment"));
  const bool jitter_written = msg.token_policy().has_jitter(); // before the default fills it in
  t.jitter = tp.duration("jitter", "2h", Duration::zero(), Duration::days(30));
  // The jitter is checked where it is used (or written): its default must not make a short
  // lifetime an error under another alignment. The issuer needs it below the lifetime.
  if (t.alignment == ExpiryAlignment::kRollingWithJitter && t.jitter == Duration::zero()) {
    tp.fail("jitter", "must be above 0s with ROLLING_WITH_JITTER (no jitter is ROLLING)");
  } else if (t.alignment == ExpiryAlignment::kRollingWithJitter && t.jitter >= t.lifetime) {
    tp.fail("jitter", "must be less than lifetime (" + format_duration(t.lifetime) +
                          ") with ROLLING_WITH_JITTER, got \"" + format_duration(t.jitter) + "\"");
  } else if (jitter_written && t.jitter > t.lifetime) {
    tp.fail("jitter", "must not exceed lifetime (" + format_duration(t.lifetime) + "), got \"" +
                          msg.token_policy().jitter() + "\"");
  } else if (t.jitter > t.lifetime) {
    // The unused default, cut to the lifetime, so the resolved scenario loads again.
    t.jitter = t.lifetime;
    msg.mutable_token_policy()->set_jitter(format_duration(t.lifetime));
  }
  t.daily_boundary = tp.time_of_day("daily_boundary", "04:00");
  t.tokens_per_grant = tp.u32("tokens_per_grant", 1, 1, 10);
  t.wallet_size = tp.u32("wallet_size", 2, 1, 20);
  if (t.wallet_size < t.tokens_per_grant) {
    tp.fail("wallet_size", "must be at least tokens_per_grant (" +
                               std::to_string(t.tokens_per_grant) + "), got " +
                               std::to_string(t.wallet_size));
  }
  t.requests_per_device_per_hour = tp.u32("requests_per_device_per_hour", 30, 1, 3600);
  t.issuing_minimum_balance =
      tp.money("issuing_minimum_balance", "0.00", cur, money("-1000"), money("1000"));
  // Unwritten, its default follows the lifetime (below): "30d" alone refused a lifetime of 30 days.
  const bool rotation_written = msg.token_policy().has_key_rotation();
  if (rotation_written) {
    t.key_rotation = tp.duration("key_rotation", "30d", Duration::hours(1), Duration::days(3650));
  }

  ScenarioFields rf = root.nested("refill");
  auto& r = cfg.refill;
  r.trigger = static_cast<RefillTrigger>(rf.enumeration("trigger"));
  r.below_taps = rf.u32("below_taps", 2, 1, 1000);
  r.before_expiry = rf.duration("before_expiry", "2h", Duration::minutes(1), Duration::days(30));
  r.request_timeout =
      rf.duration("request_timeout", "10s", Duration::millis(100), Duration::minutes(5));
  r.retry_backoff = rf.duration("retry_backoff", "30s", secs(1), Duration::hours(1));
  r.max_backoff = rf.duration("max_backoff", "15min", secs(1), Duration::days(1));
  r.background = rf.flag("background", true);
  r.background_spread = rf.duration("background_spread", "15min", secs(1), Duration::days(1));
  if (r.max_backoff < r.retry_backoff) {
    rf.fail("max_backoff", "must be at least retry_backoff (" + format_duration(r.retry_backoff) +
                               "), got \"" + msg.refill().max_backoff() + "\"");
  }

  ScenarioFields tu = root.nested("top_up");
  auto& u = cfg.top_up;
  u.auto_share = tu.real("auto_share", 0.7, 0, 1);
  u.threshold = tu.money("threshold", "10.00", cur, money("0"), money("1000"));
  u.amount = tu.money("amount", "50.00", cur, money("0.01"), money("10000"));
  u.retries = tu.u32("retries", 3, 0, 20);
  u.retry_interval = tu.duration("retry_interval", "5min", secs(1), Duration::days(1));
  u.debt_limit = tu.money("debt_limit", "20.00", cur, money("0"), money("100000"));
  u.manual_share = tu.real("manual_share", 1.0, 0, 1);
  u.manual_delay = tu.duration("manual_delay", "1h", secs(1), Duration::days(30));

  ScenarioFields nw = root.nested("network");
  auto& n = cfg.network;
  n.mean_online = nw.duration("mean_online", "2h", secs(1), Duration::days(30));
  n.mean_offline = nw.duration("mean_offline", "10min", secs(1), Duration::days(30));
  n.offline_underground = nw.flag("offline_underground", true);
  n.data_off_share = nw.real("data_off_share", 0.05, 0, 1);
  read_classes(nw, "coverage", [&](ScenarioFields& c, const std::string& name) {
    CoverageClassConfig cc;
    cc.name = name;
    cc.share = c.real("share", 0, 0, 1, /*lo_open=*/true);
    cc.offline_factor = c.real("offline_factor", 1, 0.01, 1000);
    n.coverage.push_back(cc);
    return cc.share;
  });
  if (nw.has("mean_time_between_restarts")) {
    // Read once and never used: a run ignored it. Restarts are a fault rate (issue 16).
    nw.fail("mean_time_between_restarts",
            "not modelled here: set faults.app_restarts_per_rider_day (1 / the mean in days)");
  }

  ScenarioFields va = root.nested("validators");
  auto& v = cfg.validators;
  v.station_upload_interval =
      va.duration("station_upload_interval", "5min", secs(1), Duration::days(7));
  v.bus_upload_interval = va.duration("bus_upload_interval", "1h", secs(1), Duration::days(7));
  v.store_capacity = va.u32("store_capacity", 100'000, 10, 10'000'000);
  v.replay_memory = va.u32("replay_memory", 4096, 16, 1'000'000);
  v.clock_skew_tolerance =
      va.duration("clock_skew_tolerance", "5min", Duration::zero(), Duration::days(1));
  v.batch_size = va.u32("batch_size", 500, 1, 100'000);
  v.outage_share = va.real("outage_share", 0, 0, 0.95);
  // DESIGN §4: keys must outlive every token plus the longest time a validator goes unsynced.
  Duration longest_offline = std::max(v.station_upload_interval, v.bus_upload_interval);
  if (!rotation_written) {
    // 30 days, or the first whole day past lifetime + the longest upload interval.
    const int64_t days = (t.lifetime + longest_offline).us() / Duration::days(1).us() + 1;
    t.key_rotation = std::max(Duration::days(30), Duration::days(days));
    // Not written back: a resolved scenario re-run with another lifetime (a sweep's point) must
    // derive it again, not keep the first lifetime's.
  } else if (t.key_rotation <= t.lifetime + longest_offline) {
    tp.fail("key_rotation", "must exceed lifetime + the longest validator upload interval (" +
                                format_duration(t.lifetime + longest_offline) +
                                ") or validators refuse good tokens, got \"" +
                                msg.token_policy().key_rotation() + "\"");
  }

  ScenarioFields cl = root.nested("cloud");
  cfg.cloud.issuing = read_service(cl.nested("issuing"), 4, "2ms", "10s");
  cfg.cloud.settlement = read_service(cl.nested("settlement"), 4, "5ms", "30s");
  cfg.cloud.top_up = read_service(cl.nested("top_up"), 2, "3ms", "15s");
  if (root.has("cloud_calibration")) {
    const std::string file = root.text("cloud_calibration", "");
    cfg.cloud.calibration = resolve_path(cfg.base_folder, file);
    msg.set_cloud_calibration(absolute_path(cfg.cloud.calibration));
    apply_cloud_calibration(cfg.cloud.calibration, locator.locate("cloud_calibration"), cfg,
                            errors);
  }
  for (int i = 0; i < cl.count("outages"); ++i) {
    ScenarioFields o = cl.element("outages", i);
    OutageConfig oc;
    std::string start = o.text("start", "");
    Result<Time> st = parse_time(start);
    if (!st) {
      o.fail("start", start.empty() ? "required: \"dN HH:MM\"" : st.error().what);
    } else {
      oc.start = *st;
      // An outage after the run's end never happens: most likely a typo in the day or the hour.
      const Time run_end = Time::epoch() + cfg.warmup + Duration::days(cfg.days) + cfg.drain;
      if (oc.start >= run_end) {
        o.fail("start", "\"" + start + "\" is at or after the run's end (" + format_time(run_end) +
                            ": warmup + days + drain), so the outage would never happen");
      }
    }
    if (!o.has("duration")) {
      o.fail("duration", "required, e.g. \"2h\"");
    } else {
      oc.duration = o.duration("duration", "1h", secs(1), Duration::days(30));
    }
    cfg.cloud.outages.push_back(oc);
  }
  cfg.cloud.zero_latency = cl.flag("zero_latency", false);
  if (cfg.cloud.zero_latency && !cfg.cloud.outages.empty()) {
    cl.fail("zero_latency", "must be false when cloud.outages are given (a cloud that answers at "
                            "once has no outage)");
  }

  ScenarioFields bk = root.nested("bank");
  cfg.bank.mean_latency =
      bk.duration("mean_latency", "800ms", Duration::millis(1), Duration::minutes(10));
  cfg.bank.decline_probability = bk.real("decline_probability", 0.02, 0, 1);
  cfg.bank.timeout_probability = bk.real("timeout_probability", 0.005, 0, 1);
  cfg.bank.timeout = bk.duration("timeout", "20s", Duration::millis(1), Duration::minutes(10));
  if (cfg.bank.decline_probability + cfg.bank.timeout_probability > 1.0) {
    bk.fail("timeout_probability", "decline_probability + timeout_probability must be at most 1");
  }

  ScenarioFields out = root.nested("output");
  cfg.output.timeseries_interval =
      out.duration("timeseries_interval", "15min", Duration::minutes(1), Duration::days(1));
  if (cfg.output.timeseries_interval % Duration::minutes(1) != Duration::zero()) {
    out.fail("timeseries_interval", "must be a whole number of minutes, got \"" +
                                        msg.output().timeseries_interval() + "\"");
  }

  read_attackers(root, msg, cfg); // issue 16: attackers (models/attack/)
  read_study(root, msg, cfg, cfg.study);
  if (root.has("faults")) { // absent: nothing written back, the resolved scenario is unchanged
    ScenarioFields faults = root.nested("faults");
    read_faults(faults, cfg, cfg.faults);
  }
  // validators.outage_share as link outages: Poisson windows of mean m at rate λ leave a link down
  // with probability 1 - exp(-λ m) at any time (M/G/∞), so λ = -ln(1 - share) / m.
  if (v.outage_share > 0) {
    const double mean_days = cfg.faults.link_outage_mean.to_seconds() / 86'400.0;
    const double per_day = -std::log(1 - v.outage_share) / mean_days;
    if (cfg.faults.link_outages_per_validator_day > 0) {
      va.fail("outage_share", "give validators.outage_share or "
                              "faults.link_outages_per_validator_day, not both");
    } else if (per_day > 48) {
      va.fail("outage_share", "needs " + std::to_string(per_day) +
                                  " link outages a validator-day with faults.link_outage_mean " +
                                  format_duration(cfg.faults.link_outage_mean) +
                                  " (at most 48): lengthen link_outage_mean");
    } else {
      cfg.faults.link_outages_per_validator_day = per_day;
    }
  }
}

// Errors in file order (line, then column), as a reader goes through the file; errors without a
// line (overrides, JSON) keep their order after them.
void sort_by_place(Errors& errors, const std::string& file) {
  auto key = [&](const Error& e) -> std::pair<long, long> {
    if (e.where.rfind(file + ":", 0) != 0) {
      return {LONG_MAX, LONG_MAX};
    }
    const char* p = e.where.c_str() + file.size() + 1;
    char* end = nullptr;
    long line = std::strtol(p, &end, 10);
    long col = *end == ':' ? std::strtol(end + 1, nullptr, 10) : 0;
    return {line, col};
  };
  std::stable_sort(errors.begin(), errors.end(),
                   [&](const Error& a, const Error& b) { return key(a) < key(b); });
}

// A class list the scenario leaves out holds its one default class before the overrides, so
// `--set population.classes[0].share=...` edits it (proto/study.proto's example axis) and the
// resolved scenario shows it.
void add_default_classes(proto::Scenario& msg) {
  if (msg.population().classes_size() == 0) {
    proto::RiderClass* c = msg.mutable_population()->add_classes();
    c->set_name("regular");
    c->set_share(1.0);
    c->set_trip_factor(1.0);
    c->set_online_factor(1.0);
  }
  if (msg.network().coverage_size() == 0) {
    proto::CoverageClass* c = msg.mutable_network()->add_coverage();
    c->set_name("good");
    c->set_share(1.0);
    c->set_offline_factor(1.0);
  }
}

LoadedScenario finish(ScenarioSource& source, const std::string& file,
                      const std::vector<std::string>& overrides, LoadedScenario result) {
  add_default_classes(source.message);
  for (const std::string& o : overrides) {
    apply_override(o, source, result.errors);
  }
  if (!result.errors.empty()) {
    return result;
  }
  ScenarioConfig& cfg = result.config;
  cfg.source_file = file;
  cfg.base_folder = fs::path(file).parent_path().string();
  cfg.name = source.message.name().empty() ? fs::path(file).stem().string() : source.message.name();
  source.message.set_name(cfg.name);
  resolve(source.message, source.locator, cfg, result.errors);
  sort_by_place(result.errors, file);
  result.resolved = source.message;
  return result;
}

} // namespace

LoadedScenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  LoadedScenario result;
  ScenarioSource source;
  if (fs::is_directory(path)) {
    result.errors.push_back(Error{path, "is a folder; expected a scenario file (.txtpb or .json)"});
    return result;
  }
  if (!read_scenario_source(path, source, result.errors)) {
    return result;
  }
  return finish(source, path, overrides, std::move(result));
}

LoadedScenario load_scenario_text(const std::string& text, const std::string& file, bool json,
                                  const std::vector<std::string>& overrides) {
  LoadedScenario result;
  ScenarioSource source;
  if (!parse_scenario_text(text, file, json, source, result.errors)) {
    return result;
  }
  return finish(source, file, overrides, std::move(result));
}

std::string scenario_to_text(const proto::Scenario& scenario) {
  std::string out;
  google::protobuf::TextFormat::Printer printer;
  printer.PrintToString(scenario, &out);
  return out;
}

} // namespace hcesim::models
