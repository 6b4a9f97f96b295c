#pragma once
// A plain blocking TCP client of the live service (tests and tools): sends frames, reads reply
// frames with a deadline. One connection; not thread-safe.
#include "base/error.h"
#include "live/frame.h"
#include "proto/live.pb.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>

namespace hcesim::live {

class BlockingClient {
public:
  BlockingClient() = default;
  ~BlockingClient();
  BlockingClient(const BlockingClient&) = delete;
  BlockingClient& operator=(const BlockingClient&) = delete;
  BlockingClient(BlockingClient&& other) noexcept
      : fd_(std::exchange(other.fd_, -1)), reader_(std::move(other.reader_)) {}

  Result<void> connect(const std::string& host, uint16_t port);
  //! Sends raw bytes (a frame or anything else).
  Result<void> send_raw(const std::string& bytes);
  Result<void> send_frame(const std::string& payload) { return send_raw(make_frame(payload)); }
  //! The next reply frame, or an error on timeout, a closed connection or an unreadable reply.
  Result<proto::Reply> receive(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  //! Sends an envelope and waits for its reply.
  Result<proto::Reply> call(const std::string& envelope,
                            std::chrono::milliseconds timeout = std::chrono::seconds(10));
  //! True when the server closed the connection (reads return end of stream) within `timeout`.
  bool closed_by_peer(std::chrono::milliseconds timeout);
  void close();

private:
  int fd_ = -1;
  FrameReader reader_{kDefaultMaxFrameBytes + 64};
};

} // namespace hcesim::live
