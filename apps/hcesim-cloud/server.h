#pragma once
// The live cloud service over TCP (issue 19): Boost.Asio with I/O on several threads and the
// single-threaded CloudCore behind one strand. Replies are sent only after the core's group
// commit made what they acknowledge durable. Limits cut off a malformed, oversized, slow or idle
// client with a reason frame; everyone else keeps being served.
#include "live/cloud_core.h"
#include "live/frame.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace hcesim::cloud_app {

struct ServerLimits {
  size_t max_frame_bytes = live::kDefaultMaxFrameBytes;
  size_t max_connections = 1024;
  double requests_per_second = 5000; //!< per connection; excess requests get REPLY_OVERLOADED
  double request_burst = 500;
  std::chrono::milliseconds idle_timeout{30'000};      //!< no byte at all for this long
  std::chrono::milliseconds slow_frame_timeout{5'000}; //!< a started frame not complete by then
  std::chrono::milliseconds advance_every{1'000};      //!< settlement deadlines timer
};

class Server {
public:
  Server(live::CloudCore& core, ServerLimits limits);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  //! Binds host:port (port 0: any free port); returns the bound port or an error.
  Result<uint16_t> listen(const std::string& host, uint16_t port);
  //! Serves on `threads` I/O threads until SIGTERM or SIGINT, then shuts down gracefully.
  void run(unsigned threads);

  struct Impl; //!< public so the connections (in server.cc) can name it

private:
  std::unique_ptr<Impl> impl_;
};

//! The server's clock: µs since the Unix epoch (apps/ may read the wall clock; hce/ never does).
Time wall_now();

} // namespace hcesim::cloud_app
