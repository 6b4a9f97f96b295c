#include "live/frame.h"

#include <cassert>

namespace hcesim::live {
namespace {

uint32_t read_length(const char* p) {
  const auto* b = reinterpret_cast<const uint8_t*>(p);
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | uint32_t{b[3]};
}

} // namespace

void append_frame(std::string& out, std::span<const uint8_t> payload) {
  assert(payload.size() <= UINT32_MAX);
  const auto n = static_cast<uint32_t>(payload.size());
  const char header[4] = {static_cast<char>(n >> 24), static_cast<char>((n >> 16) & 0xff),
                          static_cast<char>((n >> 8) & 0xff), static_cast<char>(n & 0xff)};
  out.append(header, 4);
  out.append(reinterpret_cast<const char*>(payload.data()), payload.size());
}

std::string make_frame(const std::string& payload) {
  std::string out;
  out.reserve(payload.size() + kFrameHeaderBytes);
  append_frame(out, {reinterpret_cast<const uint8_t*>(payload.data()), payload.size()});
  return out;
}

Result<void> FrameReader::check_header() {
  if (buffered() < kFrameHeaderBytes) {
    return {};
  }
  const uint32_t n = read_length(buffer_.data() + offset_);
  if (n == 0) {
    failed_ = true;
    error_ = Error{"frame header", "empty frame (length 0)"};
  } else if (n > max_payload_) {
    failed_ = true;
    error_ =
        Error{"frame header", "frame of " + std::to_string(n) + " bytes exceeds the limit of " +
                                  std::to_string(max_payload_) + " bytes"};
  }
  if (failed_) {
    return error_;
  }
  return {};
}

Result<void> FrameReader::feed(std::span<const uint8_t> bytes) {
  if (failed_) {
    return error_;
  }
  if (offset_ > 0 && offset_ == buffer_.size()) {
    buffer_.clear();
    offset_ = 0;
  }
  buffer_.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  return check_header();
}

std::optional<std::string> FrameReader::next() {
  if (failed_ || buffered() < kFrameHeaderBytes) {
    return std::nullopt;
  }
  const uint32_t n = read_length(buffer_.data() + offset_);
  if (buffered() < kFrameHeaderBytes + n) {
    return std::nullopt;
  }
  std::string payload = buffer_.substr(offset_ + kFrameHeaderBytes, n);
  offset_ += kFrameHeaderBytes + n;
  if (offset_ == buffer_.size()) {
    buffer_.clear();
    offset_ = 0;
  } else if (offset_ > 65536 && offset_ * 2 > buffer_.size()) {
    buffer_.erase(0, offset_);
    offset_ = 0;
  }
  // The following frame's header may already be in: refuse it now if it is oversized.
  // The following frame's header may already be in: fail now if it is oversized (this frame is
  // complete and still returned).
  (void)check_header();
  return payload;
}

} // namespace hcesim::live
