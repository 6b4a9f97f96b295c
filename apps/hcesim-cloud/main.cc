// hcesim-cloud: the cloud account services as a live TCP service (issue 19).
//   hcesim-cloud serve --listen 127.0.0.1:PORT --data DIR
// Prints "listening on HOST:PORT" once it accepts connections (PORT 0 picks a free port).
#include "server.h"

#include "hcesim/parse_arguments.h"
#include "hcesim/version.h"
#include "live/cloud_keys.h"
#include "models/scenario/scenario_loader.h"

#include <CLI/CLI.hpp>

#include <openssl/rand.h>

#include <filesystem>
#include <iostream>
#include <optional>
#include <thread>

namespace {

//! OpenSSL's RAND for token ids and grant nonces.
class OsRandom final : public hcesim::hce::RandomSource {
public:
  void fill(uint8_t* out, size_t n) override {
    if (RAND_bytes(out, static_cast<int>(n)) != 1) {
      std::cerr << "hcesim-cloud: RAND_bytes failed\n";
      std::abort();
    }
  }
};

//! The scenario's fare product, bank and issuing policy for the live service.
hcesim::live::CoreConfig core_config(const hcesim::models::ScenarioConfig& s) {
  using namespace hcesim;
  live::CoreConfig c;
  c.currency = s.city.currency;
  c.tariff.metro_fare_rules = s.city.metro_fare_rules;
  c.tariff.bus_fare = s.city.bus_fare;
  c.tariff.transfer_discount = s.city.transfer_discount;
  c.tariff.transfer_window = s.city.transfer_window;
  c.bank.mean_latency = s.bank.mean_latency;
  c.bank.decline_probability = s.bank.decline_probability;
  c.bank.timeout_probability = s.bank.timeout_probability;
  c.bank.timeout = s.bank.timeout;
  c.bank.seed = s.seed;
  c.top_up.max_attempts = s.top_up.retries + 1; // the first try and its retries
  c.top_up.first_retry_after = s.top_up.retry_interval;
  const auto& t = s.token_policy;
  c.issue.offline_limit = static_cast<uint16_t>(t.offline_limit);
  c.issue.time_to_live = t.lifetime;
  c.issue.tokens_per_grant = t.tokens_per_grant;
  c.issue.requests_per_device_per_hour = t.requests_per_device_per_hour;
  if (t.issuing_minimum_balance.minor() > 0) {
    c.issue.issuing_minimum = t.issuing_minimum_balance;
  }
  return c;
}

int serve(const std::string& listen, const std::string& data, const std::string& scenario,
          unsigned threads, hcesim::cloud_app::ServerLimits limits,
          std::optional<uint32_t> requests_per_device_per_hour) {
  using namespace hcesim;
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) {
    std::cerr << "error: --listen: expected HOST:PORT, got \"" << listen << "\"\n";
    return 2;
  }
  int port = -1;
  try {
    port = std::stoi(listen.substr(colon + 1));
  } catch (const std::exception&) {
  }
  if (port < 0 || port > 65535) {
    std::cerr << "error: --listen: bad port in \"" << listen << "\"\n";
    return 2;
  }
  std::error_code ec;
  std::filesystem::create_directories(data, ec);
  auto keys = live::load_or_create_keys(data);
  if (!keys.ok()) {
    std::cerr << "error: " << keys.error().where << ": " << keys.error().what << '\n';
    return 2;
  }
  if (auto w = live::write_operator_key(data, *keys); !w.ok()) {
    std::cerr << "error: " << w.error().where << ": " << w.error().what << '\n';
    return 2;
  }

  const models::LoadedScenario loaded = models::load_scenario(scenario, {});
  if (!loaded.ok()) {
    for (const Error& e : loaded.errors) {
      std::cerr << "error: " << e.where << ": " << e.what << '\n';
    }
    return 2;
  }
  OsRandom random;
  live::CoreConfig config = core_config(loaded.config);
  if (requests_per_device_per_hour) {
    config.issue.requests_per_device_per_hour = *requests_per_device_per_hour;
  }
  auto core = live::CloudCore::open(data, *keys, config, random);
  if (!core.ok()) {
    std::cerr << "error: " << core.error().where << ": " << core.error().what << '\n';
    return 2;
  }
  cloud_app::Server server(**core, limits);
  auto bound = server.listen(listen.substr(0, colon), static_cast<uint16_t>(port));
  if (!bound.ok()) {
    std::cerr << "error: " << bound.error().where << ": " << bound.error().what << '\n';
    return 2;
  }
  std::cout << "listening on " << listen.substr(0, colon) << ':' << *bound << std::endl;
  server.run(threads);
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"hcesim-cloud: the HCE cloud account services as a live TCP service"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("hcesim-cloud ") + hcesim::git_version());
  CLI::App* serve_cmd = app.add_subcommand("serve", "serve token, upload, top-up and denylist "
                                                    "requests");
  std::string listen;
  std::string data;
  std::string scenario;
  unsigned threads = std::max(2u, std::thread::hardware_concurrency());
  hcesim::cloud_app::ServerLimits limits;
  std::optional<uint32_t> per_hour;
  int64_t idle_ms = limits.idle_timeout.count();
  int64_t slow_ms = limits.slow_frame_timeout.count();
  serve_cmd->add_option("--listen", listen, "HOST:PORT (loopback for tests)")->required();
  serve_cmd->add_option("--data", data, "folder of the journal database and keys")->required();
  serve_cmd
      ->add_option("--scenario", scenario,
                   "scenario whose fare product (bus fare, metro rule file), bank and token "
                   "policy the service uses")
      ->required();
  serve_cmd->add_option("--threads", threads, "I/O threads (default: cores, at least 2)")
      ->check(CLI::Range(1U, 1024U));
  serve_cmd->add_option("--max-frame", limits.max_frame_bytes, "largest frame payload, bytes")
      ->check(CLI::Range(size_t{64}, size_t{1} << 30));
  serve_cmd->add_option("--max-connections", limits.max_connections, "connections at once")
      ->check(CLI::Range(size_t{1}, size_t{1'000'000}));
  serve_cmd->add_option("--rate", limits.requests_per_second, "requests/s per connection")
      ->check(CLI::Range(0.001, 1e9));
  serve_cmd->add_option("--burst", limits.request_burst, "requests a connection may send at once")
      ->check(CLI::Range(1.0, 1e9));
  serve_cmd->add_option("--idle-ms", idle_ms, "close a connection silent this long")
      ->check(CLI::Range(int64_t{1}, int64_t{86'400'000}));
  serve_cmd->add_option("--slow-ms", slow_ms, "close a client whose frame takes this long")
      ->check(CLI::Range(int64_t{1}, int64_t{86'400'000}));
  serve_cmd->add_option("--token-requests-per-hour", per_hour,
                        "issuer's limit per device per sliding hour (default: the scenario's)");
  // Exit codes as hcesim's: bad input is 2, never CLI11's own (106 for a missing option).
  if (const std::optional<int> ended = hcesim::cli::parse_arguments(app, argc, argv)) {
    return *ended;
  }
  limits.idle_timeout = std::chrono::milliseconds(idle_ms);
  limits.slow_frame_timeout = std::chrono::milliseconds(slow_ms);
  return serve(listen, data, scenario, threads, limits, per_hour);
}
