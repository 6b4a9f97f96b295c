#include "hcesim/loadgen_command.h"

#include "hcesim/calibration_sweep.h"
#include "hcesim/command_line.h"
#include "hcesim/exit_code.h"
#include "hcesim/loadgen_run.h"
#include "hcesim/report_errors.h"
#include "live/cloud_keys.h"
#include "models/run/request_mix.h"
#include "models/scenario/scenario_loader.h"

#include <algorithm>
#include <cmath>
#include <iomanip>

namespace hcesim::cli {

int run_loadgen(const LoadgenOptions& o, std::ostream& out, std::ostream& err) {
  const auto colon = o.target.rfind(':');
  if (colon == std::string::npos) {
    err << "error: --target: expected HOST:PORT\n";
    return kBadInput;
  }
  const std::string host = o.target.substr(0, colon);
  const std::string port_text = o.target.substr(colon + 1);
  if (const std::string bad = whole_number_error(port_text, 1, 65535); !bad.empty()) {
    err << "error: --target " << o.target << ": port: " << bad << '\n';
    return kBadInput;
  }
  const auto port = static_cast<uint16_t>(std::stoul(port_text));
  if (o.rate < 0) {
    err << "error: --rate: must be > 0 requests/s, got " << o.rate << '\n';
    return kBadInput;
  }
  if (!o.as_fast_as_possible && o.rate <= 0 && o.sweep.empty()) {
    err << "error: give --rate X (requests/s), --sweep X,Y,... or --as-fast-as-possible\n";
    return kBadInput;
  }
  if (!o.mix.empty() && o.mix != "scenario" && o.mix != "tokens" && o.mix != "uploads" &&
      o.mix != "top-ups") {
    err << "error: --mix: expected scenario, tokens, uploads or top-ups, got \"" << o.mix << "\"\n";
    return kBadInput;
  }
  if (!o.calibration.empty() && o.sweep.empty()) {
    err << "error: --calibration needs --sweep (the loads of the predicted-vs-measured table)\n";
    return kBadInput;
  }
  if (o.servers > 64 || o.within <= 0 || o.within >= 1) {
    err << "error: --servers must be 0 (fitted) to 64, --within in (0, 1)\n";
    return kBadInput;
  }
  if (o.operator_key.empty() == o.data.empty()) {
    err << "error: give --operator-key FILE or --data DIR (the server's folder: "
           "DIR/operator.key)\n";
    return kBadInput;
  }
  // The operator's request key only: devices and validators get theirs from the server.
  auto key =
      live::load_operator_key(o.operator_key.empty() ? o.data + "/operator.key" : o.operator_key);
  if (!key.ok()) {
    report_errors(err, {key.error()});
    return kBadInput;
  }
  uint32_t batch_records = o.batch_records > 0 ? o.batch_records : 50;
  RequestMix mix{};
  if (o.mix == "tokens") {
    mix = {1, 0, 0};
  } else if (o.mix == "uploads") {
    mix = {0, 1, 0};
  } else if (o.mix == "top-ups") {
    mix = {0, 0, 1};
  } else {
    if (o.scenario.empty()) {
      err << "error: --scenario is needed for the scenario mix\n";
      return kBadInput;
    }
    const models::LoadedScenario s = models::load_scenario(o.scenario, o.overrides);
    if (!s.ok()) {
      report_errors(err, s.errors);
      return kBadInput;
    }
    // The mix of a simulated run of the scenario: its busiest hour's requests per second.
    const auto run = models::simulated_request_mix(s.config);
    if (!run.ok()) {
      report_errors(err, {run.error()});
      return kBadInput;
    }
    if (o.batch_records == 0) {
      batch_records = std::max<uint32_t>(
          1, static_cast<uint32_t>(std::lround(std::max(1.0, run->taps_per_upload))));
    }
    mix = run->shares();
    out << std::fixed << std::setprecision(3) << "simulated run of " << s.config.name << " ("
        << s.config.population.riders << " riders, " << s.config.days
        << " measured day(s)), busiest hour " << std::setw(2) << std::setfill('0') << run->hour
        << ":00: token requests " << run->token_requests << "/s, uploads " << run->uploads << "/s ("
        << run->taps_per_upload << " taps each on average), top-ups " << run->top_ups << "/s"
        << std::setfill(' ') << '\n';
  }
  out << std::fixed << std::setprecision(4) << "mix: tokens " << mix[kTokens] << ", uploads "
      << mix[kUpload] << " (" << batch_records << " taps each), top-ups " << mix[kTopUp] << '\n';

  // Fresh ids per run (so a re-run on the same data folder settles new taps, not duplicates).
  const auto run_base = static_cast<uint64_t>(wall_now().us() / 1'000'000 % 4'000) * 1'000;
  if (o.sweep.empty()) {
    return run_one(o, host, port, *key, mix, batch_records, run_base, out, err) ? kOk
                                                                                : kInternalFailure;
  }
  return run_sweep(o, host, port, *key, mix, batch_records, run_base, out, err);
}

} // namespace hcesim::cli
