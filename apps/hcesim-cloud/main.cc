// hcesim-cloud: the cloud account services as a live TCP service (issue 19).
//   hcesim-cloud serve --listen 127.0.0.1:PORT --data DIR
// Prints "listening on HOST:PORT" once it accepts connections (PORT 0 picks a free port).
#include "server.h"

#include "live/cloud_keys.h"

#include <CLI/CLI.hpp>

#include <openssl/rand.h>

#include <filesystem>
#include <iostream>
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

int serve(const std::string& listen, const std::string& data, unsigned threads,
          hcesim::cloud_app::ServerLimits limits, uint32_t requests_per_device_per_hour) {
  using namespace hcesim;
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) {
    std::cerr << "--listen: expected HOST:PORT, got \"" << listen << "\"\n";
    return 2;
  }
  int port = -1;
  try {
    port = std::stoi(listen.substr(colon + 1));
  } catch (const std::exception&) {
  }
  if (port < 0 || port > 65535) {
    std::cerr << "--listen: bad port in \"" << listen << "\"\n";
    return 2;
  }
  std::error_code ec;
  std::filesystem::create_directories(data, ec);
  auto keys = live::load_or_create_keys(data);
  if (!keys.ok()) {
    std::cerr << keys.error().where << ": " << keys.error().what << '\n';
    return 2;
  }
  OsRandom random;
  live::CoreConfig config;
  config.issue.requests_per_device_per_hour = requests_per_device_per_hour;
  auto core = live::CloudCore::open(data, *keys, config, random);
  if (!core.ok()) {
    std::cerr << core.error().where << ": " << core.error().what << '\n';
    return 2;
  }
  cloud_app::Server server(**core, limits);
  auto bound = server.listen(listen.substr(0, colon), static_cast<uint16_t>(port));
  if (!bound.ok()) {
    std::cerr << bound.error().where << ": " << bound.error().what << '\n';
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
  CLI::App* serve_cmd = app.add_subcommand("serve", "serve token, upload, top-up and denylist "
                                                    "requests");
  std::string listen;
  std::string data;
  unsigned threads = std::max(2u, std::thread::hardware_concurrency());
  hcesim::cloud_app::ServerLimits limits;
  uint32_t per_hour = 20;
  int64_t idle_ms = limits.idle_timeout.count();
  int64_t slow_ms = limits.slow_frame_timeout.count();
  serve_cmd->add_option("--listen", listen, "HOST:PORT (loopback for tests)")->required();
  serve_cmd->add_option("--data", data, "folder of the journal database and keys")->required();
  serve_cmd->add_option("--threads", threads, "I/O threads (default: cores, at least 2)");
  serve_cmd->add_option("--max-frame", limits.max_frame_bytes, "largest frame payload, bytes");
  serve_cmd->add_option("--max-connections", limits.max_connections, "connections at once");
  serve_cmd->add_option("--rate", limits.requests_per_second, "requests/s per connection");
  serve_cmd->add_option("--burst", limits.request_burst, "requests a connection may send at once");
  serve_cmd->add_option("--idle-ms", idle_ms, "close a connection silent this long");
  serve_cmd->add_option("--slow-ms", slow_ms, "close a client whose frame takes this long");
  serve_cmd->add_option("--token-requests-per-hour", per_hour,
                        "issuer's limit per device per sliding hour");
  CLI11_PARSE(app, argc, argv);
  limits.idle_timeout = std::chrono::milliseconds(idle_ms);
  limits.slow_frame_timeout = std::chrono::milliseconds(slow_ms);
  return serve(listen, data, threads, limits, per_hour);
}
