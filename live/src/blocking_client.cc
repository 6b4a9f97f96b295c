#include "live/blocking_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace hcesim::live {

BlockingClient::~BlockingClient() {
  close();
}

void BlockingClient::close() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

Result<void> BlockingClient::connect(const std::string& host, uint16_t port) {
  close();
  reader_ = FrameReader(kDefaultMaxFrameBytes + 64);
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) {
    return Error{"socket", std::strerror(errno)};
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    return Error{host, "not an IPv4 address"};
  }
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    const std::string what = std::strerror(errno);
    close();
    return Error{host + ":" + std::to_string(port), "connect: " + what};
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return {};
}

Result<void> BlockingClient::send_raw(const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return Error{"send", std::strerror(errno)};
    }
    sent += static_cast<size_t>(n);
  }
  return {};
}

Result<proto::Reply> BlockingClient::receive(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::array<uint8_t, 65536> buf{};
  for (;;) {
    if (auto frame = reader_.next()) {
      proto::Reply reply;
      if (!reply.ParseFromString(*frame)) {
        return Error{"reply", "not a valid Reply message"};
      }
      return reply;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return Error{"reply", "timed out"};
    }
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) {
      return Error{"poll", std::strerror(errno)};
    }
    if (ready <= 0) {
      continue;
    }
    const ssize_t n = ::recv(fd_, buf.data(), buf.size(), 0);
    if (n == 0) {
      return Error{"reply", "connection closed by the server"};
    }
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return Error{"recv", std::strerror(errno)};
    }
    if (auto fed = reader_.feed({buf.data(), static_cast<size_t>(n)}); !fed.ok()) {
      return fed.error();
    }
  }
}

Result<proto::Reply> BlockingClient::call(const std::string& envelope,
                                          std::chrono::milliseconds timeout) {
  if (auto s = send_frame(envelope); !s.ok()) {
    return s.error();
  }
  return receive(timeout);
}

bool BlockingClient::closed_by_peer(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::array<char, 4096> buf{};
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) {
      continue;
    }
    const ssize_t n = ::recv(fd_, buf.data(), buf.size(), 0);
    if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
      return true;
    }
  }
  return false;
}

} // namespace hcesim::live
