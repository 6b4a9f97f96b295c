#include "models/scenario/faults_fields.h"

namespace hcesim::models {

void read_faults(ScenarioFields& f, const ScenarioConfig& cfg, FaultsConfig& out) {
  const Duration sec = Duration::seconds(1);
  out.seed = f.u64("seed", 0);
  out.cloud_outages_per_day = f.real("cloud_outages_per_day", 0, 0, 48);
  out.cloud_outage_mean = f.duration("cloud_outage_mean", "20min", sec, Duration::days(1));
  out.bank_outages_per_day = f.real("bank_outages_per_day", 0, 0, 48);
  out.bank_outage_mean = f.duration("bank_outage_mean", "30min", sec, Duration::days(1));
  out.link_outages_per_validator_day = f.real("link_outages_per_validator_day", 0, 0, 48);
  out.link_outage_mean = f.duration("link_outage_mean", "2h", sec, Duration::days(7));
  out.upload_lost = f.real("upload_lost", 0, 0, 1);
  out.upload_duplicated = f.real("upload_duplicated", 0, 0, 1);
  out.upload_reordered = f.real("upload_reordered", 0, 0, 1);
  out.upload_cut = f.real("upload_cut", 0, 0, 1);
  out.tiny_store_share = f.real("tiny_store_share", 0, 0, 1);
  out.tiny_store_capacity = f.u32("tiny_store_capacity", 20, 1, 100'000);
  out.clock_faults_per_validator_day = f.real("clock_faults_per_validator_day", 0, 0, 48);
  out.clock_skew = f.duration("clock_skew", "30min", sec, Duration::days(7));
  out.clock_reset_share = f.real("clock_reset_share", 0.5, 0, 1);
  out.app_restarts_per_rider_day = f.real("app_restarts_per_rider_day", 0, 0, 24);
  out.wallet_lost_share = f.real("wallet_lost_share", 0, 0, 1);
  if (out.upload_lost + out.upload_duplicated + out.upload_reordered + out.upload_cut > 1.0) {
    f.fail("upload_cut", "upload_lost + upload_duplicated + upload_reordered + upload_cut must be "
                         "at most 1 (an upload suffers one of them at most)");
  }
  if (cfg.cloud.zero_latency && (out.cloud_outages_per_day > 0 || out.bank_outages_per_day > 0)) {
    f.fail("cloud_outages_per_day",
           "must be 0 (and bank_outages_per_day too) with "
           "cloud.zero_latency: a cloud that answers at once has no outage");
  }

  for (int i = 0; i < f.count("windows"); ++i) {
    ScenarioFields w = f.element("windows", i);
    FaultWindowConfig c;
    c.kind = static_cast<FaultKind>(w.enumeration("kind"));
    const std::string start = w.text("start", "");
    const Result<Time> st = parse_time(start);
    if (!st) {
      w.fail("start", start.empty() ? "required: \"dN HH:MM\"" : st.error().what);
    } else {
      c.start = *st;
      // A window after the run's end never happens: most likely a typo in the day or the hour.
      const Time run_end = Time::epoch() + cfg.warmup + Duration::days(cfg.days) + cfg.drain;
      if (c.start >= run_end) {
        w.fail("start", "\"" + start + "\" is at or after the run's end (" + format_time(run_end) +
                            ": warmup + days + drain), so the window would never happen");
      }
    }
    if (c.kind == FaultKind::kAppRestart) {
      if (!w.has("rider")) {
        w.fail("rider", "required for APP_RESTART: the rider's index");
      }
      c.rider = w.u32("rider", 0, 0, cfg.population.riders - 1);
      c.wallet_lost = w.flag("wallet_lost", false);
    } else if (!w.has("duration")) {
      w.fail("duration", "required, e.g. \"2h\"");
    } else {
      c.duration = w.duration("duration", "1h", sec, Duration::days(30));
    }
    const bool per_validator = c.kind == FaultKind::kLinkOutage ||
                               c.kind == FaultKind::kClockSkew || c.kind == FaultKind::kClockReset;
    if (w.has("validator")) {
      if (!per_validator) {
        w.fail("validator", "only for LINK_OUTAGE, CLOCK_SKEW and CLOCK_RESET");
      }
      c.validator = w.u32("validator", 0, 0, 10'000'000);
    }
    if (c.kind == FaultKind::kClockSkew) {
      c.skew = w.duration("skew", "30min", sec, Duration::days(7));
      if (w.flag("behind", false)) {
        c.skew = Duration::zero() - c.skew;
      }
    } else if (w.has("skew") || w.has("behind")) {
      w.fail(w.has("skew") ? "skew" : "behind", "only for CLOCK_SKEW");
    }
    if (c.kind != FaultKind::kAppRestart && (w.has("rider") || w.has("wallet_lost"))) {
      w.fail(w.has("rider") ? "rider" : "wallet_lost", "only for APP_RESTART");
    }
    out.windows.push_back(c);
  }
}

} // namespace hcesim::models
