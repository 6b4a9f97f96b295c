#pragma once
// Frames on the live service's TCP stream: a 4-byte big-endian length, then that many bytes of
// one protobuf message (proto/live.proto). The reader refuses a length over its limit as soon as
// the 4 bytes are in, before buffering anything, so a frame claiming 4 GiB costs nothing.
#include "base/error.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace hcesim::live {

inline constexpr size_t kFrameHeaderBytes = 4;
//! Default largest frame payload: a full tap batch (hce::kMaxBatchBytes) plus the envelope.
inline constexpr size_t kDefaultMaxFrameBytes = 5'200'000;

//! Appends a frame carrying `payload` to `out`.
void append_frame(std::string& out, std::span<const uint8_t> payload);
std::string make_frame(const std::string& payload);

//! Incremental frame reader for one connection: feed it whatever arrived, take frames out.
class FrameReader {
public:
  explicit FrameReader(size_t max_payload = kDefaultMaxFrameBytes) : max_payload_(max_payload) {}

  //! Adds received bytes. Returns an error (and stays failed) when a frame header announces more
  //! than the limit or an empty frame; the connection must then be closed.
  Result<void> feed(std::span<const uint8_t> bytes);
  //! The next complete payload, if one is buffered.
  std::optional<std::string> next();
  //! Bytes buffered but not yet returned as frames.
  size_t buffered() const { return buffer_.size() - offset_; }
  bool failed() const { return failed_; }

private:
  Result<void> check_header();

  size_t max_payload_;
  std::string buffer_;
  size_t offset_ = 0; //!< start of the first unreturned frame in buffer_
  bool failed_ = false;
  Error error_;
};

} // namespace hcesim::live
