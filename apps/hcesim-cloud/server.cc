#include "server.h"

#include <boost/asio.hpp>
#include <utility> // before asio: Boost 1.74 with g++ 12 needs std::exchange declared

#include <atomic>
#include <condition_variable>
#include <deque>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace hcesim::cloud_app {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

Time wall_now() {
  return Time::from_us(std::chrono::duration_cast<std::chrono::microseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count());
}

namespace {

std::string reply_frame(const proto::Reply& r) {
  return live::make_frame(r.SerializeAsString());
}

} // namespace

class Connection;

struct Server::Impl {
  live::CloudCore& core;
  ServerLimits limits;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  asio::strand<asio::io_context::executor_type> core_strand{asio::make_strand(io)};
  asio::steady_timer advance_timer{core_strand};
  asio::signal_set signals{io, SIGTERM, SIGINT};
  std::atomic<bool> stopping{false};

  std::mutex connections_mutex;
  std::set<std::shared_ptr<Connection>> connections;

  // Owned by core_strand: replies waiting for the group commit.
  using Replies = std::vector<std::pair<std::shared_ptr<Connection>, proto::Reply>>;
  Replies pending;
  bool flush_posted = false;
  std::atomic<uint64_t> cut_off{0};

  // The committing thread: sealed groups with their replies, written in seal order.
  struct Sealed {
    live::SqliteJournal::Group group;
    Replies replies;
  };
  std::mutex commit_mutex;
  std::condition_variable commit_cv;
  std::deque<Sealed> to_commit;
  bool commit_done = false;   //!< no more groups: the committer drains and ends
  bool committing = false;    //!< the committer holds a group it has not finished
  size_t replies_waiting = 0; //!< queued or committing groups that hold replies
  std::thread committer;

  Impl(live::CloudCore& c, ServerLimits l) : core(c), limits(l) {}
  void accept();
  void submit(std::shared_ptr<Connection> conn, live::PreparedRequest request);
  void flush();
  void commit_loop();
  void schedule_advance();
  void remove(const std::shared_ptr<Connection>& conn);
  void shutdown();
};

class Connection : public std::enable_shared_from_this<Connection> {
public:
  Connection(Server::Impl& server, tcp::socket socket)
      : server_(server), socket_(std::move(socket)), strand_(socket_.get_executor()),
        timer_(strand_), reader_(server.limits.max_frame_bytes),
        verifier_(server.core.make_verifier()), tokens_(server.limits.request_burst) {}

  void start() {
    last_byte_ = Clock::now();
    last_refill_ = last_byte_;
    read();
    watch();
  }

  //! Queues a reply (from any thread); it is encoded on this connection's strand.
  void send(proto::Reply reply) {
    asio::post(strand_, [self = shared_from_this(), r = std::move(reply)]() mutable {
      self->enqueue(reply_frame(r));
    });
  }

  //! Sends the reason as a last reply, then closes (from any thread).
  void cut(proto::ReplyStatus status, std::string reason) {
    asio::post(strand_, [self = shared_from_this(), status, r = std::move(reason)]() mutable {
      self->cut_here(status, std::move(r));
    });
  }

private:
  void read() {
    socket_.async_read_some(asio::buffer(buf_),
                            asio::bind_executor(strand_, [self = shared_from_this()](
                                                             boost::system::error_code ec,
                                                             size_t n) { self->on_read(ec, n); }));
  }

  void on_read(boost::system::error_code ec, size_t n) {
    if (ec || closing_) {
      close();
      return;
    }
    last_byte_ = Clock::now();
    const bool had_partial = reader_.buffered() > 0;
    auto fed = reader_.feed({buf_.data(), n});
    if (!fed.ok()) {
      cut_here(proto::REPLY_BAD_REQUEST, fed.error().what);
      return;
    }
    while (auto frame = reader_.next()) {
      admit(std::move(*frame));
    }
    if (reader_.failed()) {
      cut_here(proto::REPLY_BAD_REQUEST, "frame header: announced length over the limit");
      return;
    }
    if (reader_.buffered() > 0 && (!had_partial || frame_done_)) {
      frame_started_ = last_byte_; // a new frame began in this read
    }
    frame_done_ = reader_.buffered() == 0;
    read();
  }

  void admit(std::string frame) {
    frame_done_ = true;
    // Token bucket: the connection's request rate.
    const auto now = Clock::now();
    const double dt = std::chrono::duration<double>(now - last_refill_).count();
    last_refill_ = now;
    tokens_ =
        std::min(server_.limits.request_burst, tokens_ + dt * server_.limits.requests_per_second);
    // Refusals also pass through the core, so replies keep the connection's request order.
    live::PreparedRequest request;
    if (server_.stopping || tokens_ < 1) {
      request.answer.emplace();
      request.answer->set_status(proto::REPLY_OVERLOADED);
      request.answer->set_reason(server_.stopping ? "server shutting down"
                                                  : "connection request rate over the limit");
    } else {
      tokens_ -= 1;
      // Parsing, MAC and body decoding here, on this connection's strand: on every core.
      request = live::CloudCore::prepare(frame, verifier_, wall_now());
    }
    server_.submit(shared_from_this(), std::move(request));
  }

  void enqueue(std::string frame) {
    if (closing_) {
      return;
    }
    outbox_bytes_ += frame.size();
    if (outbox_bytes_ > kMaxOutboxBytes && !close_after_write_) {
      // A client that sends but does not read would grow our memory without bound.
      std::cerr << "hcesim-cloud: cutting off a client: not reading its replies\n";
      ++server_.cut_off;
      close();
      return;
    }
    outbox_.push_back(std::move(frame));
    if (!writing_) {
      write();
    }
  }

  void write() {
    writing_ = true;
    // Gather everything queued into one write.
    current_.clear();
    outbox_bytes_ = 0;
    while (!outbox_.empty()) {
      current_ += outbox_.front();
      outbox_.pop_front();
    }
    asio::async_write(socket_, asio::buffer(current_),
                      asio::bind_executor(strand_, [self = shared_from_this()](
                                                       boost::system::error_code ec, size_t) {
                        self->writing_ = false;
                        if (ec) {
                          self->close();
                          return;
                        }
                        if (!self->outbox_.empty()) {
                          self->write();
                        } else if (self->close_after_write_) {
                          self->close();
                        }
                      }));
  }

  void cut_here(proto::ReplyStatus status, std::string reason) {
    if (closing_ || close_after_write_) {
      return;
    }
    std::cerr << "hcesim-cloud: cutting off a client: " << reason << '\n';
    ++server_.cut_off;
    proto::Reply r;
    r.set_status(status);
    r.set_reason(std::move(reason));
    enqueue(reply_frame(r));
    close_after_write_ = true;
    socket_.shutdown(tcp::socket::shutdown_receive, ignored_);
  }

  void watch() {
    timer_.expires_after(std::chrono::milliseconds(250));
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec || self->closing_) {
        return;
      }
      const auto now = Clock::now();
      if (self->reader_.buffered() > 0 && !self->frame_done_ &&
          now - self->frame_started_ > self->server_.limits.slow_frame_timeout) {
        self->cut_here(proto::REPLY_BAD_REQUEST,
                       "slow client: frame incomplete after " +
                           std::to_string(self->server_.limits.slow_frame_timeout.count()) + " ms");
      } else if (now - self->last_byte_ > self->server_.limits.idle_timeout) {
        self->cut_here(proto::REPLY_OVERLOADED, "idle connection closed");
      }
      if (!self->closing_) {
        self->watch();
      }
    });
  }

  void close() {
    if (closing_) {
      return;
    }
    closing_ = true;
    timer_.cancel();
    socket_.close(ignored_);
    server_.remove(shared_from_this());
  }

  friend struct Server::Impl;
  Server::Impl& server_;
  tcp::socket socket_;
  asio::strand<tcp::socket::executor_type> strand_;
  asio::steady_timer timer_;
  std::array<uint8_t, 65536> buf_{};
  live::FrameReader reader_;
  live::RequestVerifier verifier_;
  static constexpr size_t kMaxOutboxBytes = 64u << 20;
  std::deque<std::string> outbox_;
  size_t outbox_bytes_ = 0; //!< queued, not yet handed to a write
  std::string current_;
  bool writing_ = false;
  bool closing_ = false;
  bool close_after_write_ = false;
  bool frame_done_ = true;
  double tokens_;
  Clock::time_point last_byte_;
  Clock::time_point frame_started_;
  Clock::time_point last_refill_;
  boost::system::error_code ignored_;
};

void Server::Impl::accept() {
  acceptor.async_accept(asio::make_strand(io),
                        [this](boost::system::error_code ec, tcp::socket socket) {
                          if (ec) {
                            if (!stopping) {
                              accept();
                            }
                            return;
                          }
                          socket.set_option(tcp::no_delay(true), ec);
                          auto conn = std::make_shared<Connection>(*this, std::move(socket));
                          bool full = false;
                          {
                            std::lock_guard lock(connections_mutex);
                            full = connections.size() >= limits.max_connections;
                            if (!full) {
                              connections.insert(conn);
                            }
                          }
                          if (full) {
                            conn->start();
                            conn->cut(proto::REPLY_OVERLOADED, "too many connections");
                          } else {
                            conn->start();
                          }
                          accept();
                        });
}

void Server::Impl::remove(const std::shared_ptr<Connection>& conn) {
  std::lock_guard lock(connections_mutex);
  connections.erase(conn);
}

void Server::Impl::submit(std::shared_ptr<Connection> conn, live::PreparedRequest request) {
  asio::post(core_strand, [this, conn = std::move(conn), r = std::move(request)]() mutable {
    proto::Reply reply = core.apply(r, wall_now());
    pending.emplace_back(std::move(conn), std::move(reply));
    if (!flush_posted) {
      flush_posted = true;
      // Runs after the requests already queued on the strand: they share one commit.
      asio::post(core_strand, [this] { flush(); });
    }
  });
}

void Server::Impl::flush() {
  flush_posted = false;
  // At shutdown everything goes, the principals' rows included.
  Sealed sealed{core.seal(stopping ? Time::max() : wall_now()), std::move(pending)};
  pending.clear();
  const bool records = !sealed.group.records.empty();
  const bool rows = !sealed.group.principals.empty();
  if (!records && !rows && sealed.replies.empty()) {
    return;
  }
  Replies direct;
  {
    std::lock_guard lock(commit_mutex);
    // Replies acknowledging journal records wait for their commit; others may leave now unless
    // an earlier group's replies are still waiting (replies keep their order). The principal rows
    // (request counters, token request times) are written with the next commit either way.
    if (!records && replies_waiting == 0) {
      direct = std::move(sealed.replies);
      sealed.replies.clear();
    }
    if (records || rows || !sealed.replies.empty()) {
      replies_waiting += sealed.replies.empty() ? 0u : 1u;
      to_commit.push_back(std::move(sealed));
    }
  }
  commit_cv.notify_all();
  for (auto& [conn, reply] : direct) {
    conn->send(std::move(reply));
  }
}

void Server::Impl::commit_loop() {
  for (;;) {
    Sealed sealed;
    {
      std::unique_lock lock(commit_mutex);
      commit_cv.wait(lock, [this] { return !to_commit.empty() || commit_done; });
      if (to_commit.empty()) {
        return;
      }
      sealed = std::move(to_commit.front());
      to_commit.pop_front();
      committing = true;
    }
    core.write(sealed.group); // durable before any of these replies leaves
    const bool had_replies = !sealed.replies.empty();
    for (auto& [conn, reply] : sealed.replies) {
      conn->send(std::move(reply));
    }
    {
      std::lock_guard lock(commit_mutex);
      committing = false;
      replies_waiting -= had_replies ? 1u : 0u;
    }
    commit_cv.notify_all();
  }
}

void Server::Impl::schedule_advance() {
  advance_timer.expires_after(limits.advance_every);
  advance_timer.async_wait([this](boost::system::error_code ec) {
    if (ec || stopping) {
      return;
    }
    core.advance(wall_now());
    if (!flush_posted) {
      flush_posted = true;
      asio::post(core_strand, [this] { flush(); });
    }
    schedule_advance();
  });
}

void Server::Impl::shutdown() {
  stopping = true;
  boost::system::error_code ignored;
  acceptor.close(ignored);
  // Let the core commit and send what it handled, then close every connection and stop.
  asio::post(core_strand, [this] {
    advance_timer.cancel();
    flush();
    {
      // Wait for the committer: every handled request's reply is queued before the cut-off.
      std::unique_lock lock(commit_mutex);
      commit_cv.wait(lock, [this] { return to_commit.empty() && !committing; });
    }
    std::vector<std::shared_ptr<Connection>> all;
    {
      std::lock_guard lock(connections_mutex);
      all.assign(connections.begin(), connections.end());
    }
    for (auto& c : all) {
      c->cut(proto::REPLY_OVERLOADED, "server shutting down");
    }
    auto timer = std::make_shared<asio::steady_timer>(io, std::chrono::milliseconds(300));
    timer->async_wait([this, timer](boost::system::error_code) { io.stop(); });
  });
}

Server::Server(live::CloudCore& core, ServerLimits limits)
    : impl_(std::make_unique<Impl>(core, limits)) {}

Server::~Server() = default;

Result<uint16_t> Server::listen(const std::string& host, uint16_t port) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) {
    return Error{"--listen", "bad address \"" + host + "\": " + ec.message()};
  }
  const tcp::endpoint endpoint(address, port);
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (!ec) {
    impl_->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    impl_->acceptor.bind(endpoint, ec);
  }
  if (!ec) {
    impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    return Error{"--listen",
                 "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message()};
  }
  return impl_->acceptor.local_endpoint().port();
}

void Server::run(unsigned threads) {
  impl_->signals.async_wait([this](boost::system::error_code ec, int) {
    if (!ec) {
      impl_->shutdown();
    }
  });
  impl_->accept();
  asio::post(impl_->core_strand, [this] { impl_->schedule_advance(); });
  impl_->committer = std::thread([this] { impl_->commit_loop(); });
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) {
    pool.emplace_back([this] { impl_->io.run(); });
  }
  impl_->io.run();
  for (auto& t : pool) {
    t.join();
  }
  {
    std::lock_guard lock(impl_->commit_mutex);
    impl_->commit_done = true;
  }
  impl_->commit_cv.notify_all();
  impl_->committer.join();
  std::cerr << "hcesim-cloud: stopped; requests ok " << impl_->core.counts().ok << ", refused "
            << impl_->core.counts().refused << ", rejected " << impl_->core.counts().rejected
            << ", clients cut off " << impl_->cut_off << ", commits " << impl_->core.commits()
            << '\n';
}

} // namespace hcesim::cloud_app
