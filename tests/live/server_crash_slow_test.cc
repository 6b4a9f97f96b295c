// kill -9 during uploads: after a restart no acknowledged tap is lost and, once the validators
// upload what was never acknowledged, every tap is charged exactly once (ledger sums).
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
using namespace std::chrono_literals;

constexpr int64_t kOpening = 100'000;
constexpr int64_t kFare = 200; // a bus tap (live_test scenario: no transfer discount)

TEST(ServerCrash, KillNineDuringUploadsLosesNoAcknowledgedTapAndChargesNoneTwice) {
  const auto dir =
      (std::filesystem::temp_directory_path() / ("hcesim_crash_" + std::to_string(::getpid())))
          .string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const CloudKeys keys = load_or_create_keys(dir).value();
  const std::vector<std::string> args{"--token-requests-per-hour", "100000"};

  for (int round = 0; round < 3; ++round) { // three crashes at different moments
    ServerProcess server;
    ASSERT_NE(server.start(dir, args), 0);
    BlockingClient c;
    ASSERT_TRUE(c.connect("127.0.0.1", server.port()).ok());
    std::vector<std::unique_ptr<LiveRider>> riders;
    for (uint32_t i = 0; i < 4; ++i) {
      const uint64_t id = 1000 * static_cast<uint64_t>(round + 1) + i;
      riders.push_back(std::make_unique<LiveRider>(keys, id, id, static_cast<uint32_t>(id)));
      riders.back()->open(c, kOpening, kOpening);
    }
    std::vector<int64_t> tapped(riders.size(), 0);
    std::vector<int64_t> acked(riders.size(), 0);
    uint64_t batch = 0;
    std::atomic<bool> killed{false};
    std::thread killer([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(400 + 300 * round));
      server.kill9();
      killed = true;
    });
    // Upload until the server dies (bounded).
    bool alive = true;
    for (int it = 0; it < 5000 && alive; ++it) {
      for (size_t r = 0; r < riders.size() && alive; ++r) {
        LiveRider& rider = *riders[r];
        const int n = 1 + it % 3;
        for (int k = 0; k < n && alive; ++k) {
          if (rider.tap(c)) {
            ++tapped[r];
          } else {
            alive = false;
          }
        }
        if (!alive) {
          break;
        }
        auto ack = rider.upload(c, ++batch);
        if (!ack.ok() || ack->status() != proto::REPLY_OK) {
          alive = false;
          break;
        }
        auto parsed = hce::decode_batch_ack(hce::as_bytes(ack->body()));
        ASSERT_TRUE(parsed.ok());
        acked[r] += static_cast<int64_t>(rider.bus.acknowledge(*parsed));
      }
    }
    killer.join();
    ASSERT_TRUE(killed.load());
    ::testing::Test::RecordProperty("acked_round_" + std::to_string(round),
                                    std::to_string(acked[0]));

    // Restart: every acknowledged tap is still charged.
    ServerProcess again;
    ASSERT_NE(again.start(dir, args), 0);
    BlockingClient c2;
    ASSERT_TRUE(c2.connect("127.0.0.1", again.port()).ok());
    for (size_t r = 0; r < riders.size(); ++r) {
      auto b = riders[r]->balance(c2);
      ASSERT_TRUE(b.ok()) << b.error().what;
      EXPECT_LE(*b, kOpening - kFare * acked[r]) << "an acknowledged tap was lost, rider " << r;
      EXPECT_GE(*b, kOpening - kFare * tapped[r]) << "charged more taps than were made";
    }
    // The validators upload everything not acknowledged (some of it was settled before the
    // crash): each tap is charged once.
    for (size_t r = 0; r < riders.size(); ++r) {
      auto ack = riders[r]->upload(c2, ++batch, 100'000);
      ASSERT_TRUE(ack.ok());
      ASSERT_EQ(ack->status(), proto::REPLY_OK) << ack->reason();
      auto b = riders[r]->balance(c2);
      ASSERT_TRUE(b.ok());
      EXPECT_EQ(*b, kOpening - kFare * tapped[r])
          << "rider " << r << " tapped " << tapped[r] << ", acknowledged " << acked[r];
    }
    EXPECT_GT(acked[0] + acked[1], 0); // the crash came during uploads, not before them
    EXPECT_EQ(again.terminate(), 0);
  }
}

TEST(ServerCrash, ATopUpRetriedAfterACrashIsCreditedOnce) {
  const auto dir = (std::filesystem::temp_directory_path() /
                    ("hcesim_crash_topup_" + std::to_string(::getpid())))
                       .string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const CloudKeys keys = load_or_create_keys(dir).value();
  ServerProcess server;
  ASSERT_NE(server.start(dir), 0);
  BlockingClient c;
  ASSERT_TRUE(c.connect("127.0.0.1", server.port()).ok());
  LiveRider rider(keys, 7, 7, 7);
  rider.open(c, 0);
  proto::TopUpOrder order;
  order.set_account(7);
  order.set_amount_minor(5000);
  order.set_client_ref(99);
  // The top-up is sent, then the server dies; the app never knows whether it was applied.
  ASSERT_TRUE(c.send_frame(rider.phone.envelope(proto::REQUEST_TOP_UP, order.SerializeAsString(),
                                                wall_now()))
                  .ok());
  std::this_thread::sleep_for(200ms);
  server.kill9();
  ServerProcess again;
  ASSERT_NE(again.start(dir), 0);
  BlockingClient c2;
  ASSERT_TRUE(c2.connect("127.0.0.1", again.port()).ok());
  auto retried =
      c2.call(rider.phone.envelope(proto::REQUEST_TOP_UP, order.SerializeAsString(), wall_now()));
  ASSERT_TRUE(retried.ok());
  EXPECT_EQ(retried->status(), proto::REPLY_OK) << retried->reason();
  // The bank's pending answer died with the server: the top-up service asks again (same key).
  EXPECT_EQ(*rider.balance_reaching(c2, 5000), 5000);
}

} // namespace
} // namespace hcesim::live
