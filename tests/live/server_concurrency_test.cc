// Many clients at once against the real server (requests verified on every core, service calls
// serialized): every acknowledged tap is charged once and every top-up credited once, so each
// ledger balance and the sum over all riders come out exactly.
#include "live_rider.h"
#include "server_process.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

namespace hcesim::live {
namespace {

using testing::LiveRider;
using testing::ServerProcess;
using testing::wall_now;

constexpr int64_t kOpening = 10'000;
constexpr int64_t kFare = 200; // a bus tap at the default scenario's bus fare
constexpr int64_t kTopUp = 300;

TEST(ServerConcurrency, ManyClientsAtOnceLeaveExactLedgerSums) {
  const auto dir =
      (std::filesystem::temp_directory_path() / ("hcesim_conc_" + std::to_string(::getpid())))
          .string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const CloudKeys keys = load_or_create_keys(dir).value();
  ServerProcess server;
  ASSERT_NE(server.start(dir, {"--token-requests-per-hour", "100000"}), 0);

  constexpr uint32_t kClients = 12;
  constexpr uint32_t kRidersPerClient = 2;
  constexpr int kRounds = 4;
  struct Tally {
    int64_t tapped = 0;
    int64_t acked = 0;
    int64_t topped_up = 0;
  };
  std::vector<std::vector<Tally>> tally(kClients, std::vector<Tally>(kRidersPerClient));
  std::vector<std::vector<std::unique_ptr<LiveRider>>> riders(kClients);
  for (uint32_t c = 0; c < kClients; ++c) {
    for (uint32_t r = 0; r < kRidersPerClient; ++r) {
      const uint64_t id = 100 * (c + 1) + r;
      riders[c].push_back(std::make_unique<LiveRider>(keys, id, id, static_cast<uint32_t>(id)));
    }
  }
  {
    // The operator is one principal with one counter: accounts are opened from one client.
    BlockingClient setup;
    ASSERT_TRUE(setup.connect("127.0.0.1", server.port()).ok());
    for (auto& client_riders : riders) {
      for (auto& rider : client_riders) {
        rider->open(setup, kOpening, kOpening);
      }
    }
  }
  std::atomic<int> failures{0};
  std::vector<std::thread> clients;
  for (uint32_t c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      BlockingClient conn;
      if (!conn.connect("127.0.0.1", server.port()).ok()) {
        ++failures;
        return;
      }
      uint64_t batch = 0;
      uint64_t ref = 0;
      for (int round = 0; round < kRounds; ++round) {
        for (uint32_t r = 0; r < kRidersPerClient; ++r) {
          LiveRider& rider = *riders[c][r];
          Tally& t = tally[c][r];
          for (int k = 0; k < 1 + (round + static_cast<int>(r)) % 3; ++k) {
            t.tapped += rider.tap(conn) ? 1 : 0;
          }
          auto ack = rider.upload(conn, ++batch);
          if (!ack.ok() || ack->status() != proto::REPLY_OK) {
            ++failures;
            return;
          }
          auto parsed = hce::decode_batch_ack(hce::as_bytes(ack->body()));
          if (!parsed.ok()) {
            ++failures;
            return;
          }
          t.acked += static_cast<int64_t>(rider.bus.acknowledge(*parsed));
          proto::TopUpOrder order;
          order.set_account(rider.account_);
          order.set_amount_minor(kTopUp);
          order.set_client_ref(++ref);
          auto top = conn.call(
              rider.phone.envelope(proto::REQUEST_TOP_UP, order.SerializeAsString(), wall_now()));
          if (top.ok() && top->status() == proto::REPLY_OK) {
            t.topped_up += kTopUp;
          } else {
            ++failures;
          }
        }
      }
    });
  }
  for (auto& t : clients) {
    t.join();
  }
  ASSERT_EQ(failures.load(), 0);

  BlockingClient check;
  ASSERT_TRUE(check.connect("127.0.0.1", server.port()).ok());
  int64_t expected_sum = 0;
  int64_t sum = 0;
  for (uint32_t c = 0; c < kClients; ++c) {
    for (uint32_t r = 0; r < kRidersPerClient; ++r) {
      const Tally& t = tally[c][r];
      EXPECT_GE(t.tapped, kRounds) << "client " << c << " rider " << r;
      EXPECT_EQ(t.acked, t.tapped) << "client " << c << " rider " << r;
      const int64_t expected = kOpening + t.topped_up - kFare * t.acked;
      auto b = riders[c][r]->balance_reaching(check, expected);
      ASSERT_TRUE(b.ok()) << b.error().what;
      EXPECT_EQ(*b, expected) << "client " << c << " rider " << r;
      expected_sum += expected;
      sum += *b;
    }
  }
  EXPECT_EQ(sum, expected_sum);
  EXPECT_GT(expected_sum, 0);
  EXPECT_EQ(server.terminate(), 0);
}

} // namespace
} // namespace hcesim::live
