// The real hcesim-cloud binary over loopback: every request kind, refusals, and clients that
// misbehave (oversized, malformed, random, slow) while others keep being served.
#include "live_rider.h"
#include "server_process.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

namespace hcesim::live {
namespace {

using testing::LiveRider;
using testing::ServerProcess;
using testing::wall_now;
using namespace std::chrono_literals;

std::string temp_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("hcesim_e2e_" + std::to_string(::getpid()) + "_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

struct ServerE2E : ::testing::Test {
  std::string dir = temp_dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  CloudKeys keys = load_or_create_keys(dir).value();
  ServerProcess server;

  uint16_t start(std::vector<std::string> extra = {}) { return server.start(dir, extra); }
  BlockingClient connect() {
    BlockingClient c;
    EXPECT_TRUE(c.connect("127.0.0.1", server.port()).ok());
    return c;
  }
  //! A well-behaved client is still served.
  void expect_served() {
    BlockingClient c;
    ASSERT_TRUE(c.connect("127.0.0.1", server.port()).ok());
    LiveRider probe(keys, 900, 900, 900);
    probe.open(c, 100);
    auto b = probe.balance(c);
    ASSERT_TRUE(b.ok()) << b.error().what;
    EXPECT_EQ(*b, 100);
  }
};

TEST_F(ServerE2E, GrantsTokensSettlesAnUploadTopsUpAndServesTheDenylist) {
  ASSERT_NE(start(), 0);
  BlockingClient c = connect();
  LiveRider rider(keys, 21, 31, 5);
  rider.open(c, 1000);
  ASSERT_TRUE(rider.tap(c));
  ASSERT_TRUE(rider.tap(c));
  auto ack = rider.upload(c, 1);
  ASSERT_TRUE(ack.ok()) << ack.error().what;
  ASSERT_EQ(ack->status(), proto::REPLY_OK) << ack->reason();
  auto parsed = hce::decode_batch_ack(hce::as_bytes(ack->body()));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->sequences, (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(rider.bus.acknowledge(*parsed), 2u);
  EXPECT_EQ(*rider.balance(c), 1000 - 2 * 200);

  proto::TopUpOrder order;
  order.set_account(21);
  order.set_amount_minor(3000);
  order.set_client_ref(5);
  auto topped =
      c.call(rider.phone.envelope(proto::REQUEST_TOP_UP, order.SerializeAsString(), wall_now()));
  ASSERT_TRUE(topped.ok());
  EXPECT_EQ(topped->status(), proto::REPLY_OK) << topped->reason();
  EXPECT_EQ(*rider.balance_reaching(c, 600 + 3000), 600 + 3000);

  proto::DenylistFetch fetch;
  auto d =
      c.call(rider.gate.envelope(proto::REQUEST_DENYLIST, fetch.SerializeAsString(), wall_now()));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->status(), proto::REPLY_OK);
  EXPECT_EQ(server.terminate(), 0); // SIGTERM: graceful exit
}

TEST_F(ServerE2E, AReplayedUploadIsRefusedAndChangesNothing) {
  ASSERT_NE(start(), 0);
  BlockingClient c = connect();
  LiveRider rider(keys, 21, 31, 5);
  rider.open(c, 1000);
  ASSERT_TRUE(rider.tap(c));
  hce::TapBatch batch = rider.bus.make_batch(10);
  const std::string envelope =
      rider.gate.envelope(proto::REQUEST_UPLOAD, hce::encode(batch), wall_now());
  ASSERT_EQ(c.call(envelope)->status(), proto::REPLY_OK);
  auto again = c.call(envelope);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status(), proto::REPLY_REPLAYED);
  EXPECT_NE(again->reason().find("replayed"), std::string::npos);
  RequestSigner forger(proto::PRINCIPAL_VALIDATOR, 5, hce::Key128{});
  auto forged = c.call(forger.envelope(proto::REQUEST_UPLOAD, hce::encode(batch), wall_now()));
  ASSERT_TRUE(forged.ok());
  EXPECT_EQ(forged->status(), proto::REPLY_UNAUTHENTICATED);
  EXPECT_EQ(*rider.balance(c), 800);
}

TEST_F(ServerE2E, AFrameClaimingFourGibibytesIsCutOffWithAReason) {
  ASSERT_NE(start(), 0);
  BlockingClient bad = connect();
  ASSERT_TRUE(bad.send_raw(std::string("\xff\xff\xff\xff", 4)).ok());
  auto r = bad.receive(5s);
  ASSERT_TRUE(r.ok()) << r.error().what;
  EXPECT_EQ(r->status(), proto::REPLY_BAD_REQUEST);
  EXPECT_NE(r->reason().find("exceeds the limit"), std::string::npos) << r->reason();
  EXPECT_TRUE(bad.closed_by_peer(5s));
  expect_served();
}

TEST_F(ServerE2E, RandomBytesAndAMalformedEnvelopeDoNotStopTheServer) {
  ASSERT_NE(start(), 0);
  // A frame whose payload is not an Envelope: refused, the connection stays usable.
  BlockingClient c = connect();
  auto r = c.call("\xff\x01\x02 not protobuf");
  ASSERT_TRUE(r.ok()) << r.error().what;
  EXPECT_EQ(r->status(), proto::REPLY_BAD_REQUEST);
  std::mt19937_64 gen(42);
  for (int i = 0; i < 20; ++i) {
    BlockingClient noise = connect();
    std::string bytes(1 + gen() % 2000, '\0');
    for (char& ch : bytes) {
      ch = static_cast<char>(gen());
    }
    ASSERT_TRUE(noise.send_raw(bytes).ok());
  }
  expect_served();
  LiveRider rider(keys, 21, 31, 5);
  rider.open(c, 50); // the first connection still works
  EXPECT_EQ(*rider.balance(c), 50);
}

TEST_F(ServerE2E, AOneBytePerSecondClientIsCutOffWhileOthersAreServed) {
  ASSERT_NE(start({"--slow-ms", "1500"}), 0);
  BlockingClient slow = connect();
  const std::string frame = make_frame(std::string(100, 'x'));
  bool cut = false;
  for (size_t i = 0; i < 6 && !cut; ++i) {
    if (!slow.send_raw(frame.substr(i, 1)).ok()) {
      break;
    }
    expect_served(); // served while the slow client dribbles
    auto r = slow.receive(1000ms);
    if (r.ok()) {
      EXPECT_NE(r->reason().find("slow client"), std::string::npos) << r->reason();
      cut = true;
    }
  }
  EXPECT_TRUE(cut);
  EXPECT_TRUE(slow.closed_by_peer(3s));
}

TEST_F(ServerE2E, RequestsOverAConnectionsRateAreRefusedWithoutBeingHandled) {
  ASSERT_NE(start({"--rate", "1", "--burst", "3"}), 0);
  BlockingClient c = connect();
  LiveRider rider(keys, 21, 31, 5);
  rider.open(c, 100); // 1 of the burst of 3
  proto::TopUpOrder order;
  order.set_account(21);
  order.set_amount_minor(1000);
  int ok = 0;
  int overloaded = 0;
  for (uint64_t ref = 1; ref <= 6; ++ref) {
    order.set_client_ref(ref);
    auto r =
        c.call(rider.phone.envelope(proto::REQUEST_TOP_UP, order.SerializeAsString(), wall_now()));
    ASSERT_TRUE(r.ok()) << r.error().what;
    if (r->status() == proto::REPLY_OK) {
      ++ok;
    } else {
      EXPECT_EQ(r->status(), proto::REPLY_OVERLOADED);
      EXPECT_EQ(r->reason(), "connection request rate over the limit");
      ++overloaded;
    }
  }
  EXPECT_GE(overloaded, 3);
  // Only the top-ups let through were credited (one more may pass as the bucket refills).
  BlockingClient other = connect();
  auto b = rider.balance_reaching(other, 100 + 1000 * ok);
  ASSERT_TRUE(b.ok()) << b.error().what;
  EXPECT_EQ(*b, 100 + 1000 * ok);
}

TEST_F(ServerE2E, ConnectionsOverTheLimitAreRefusedWithAReason) {
  ASSERT_NE(start({"--max-connections", "2"}), 0);
  BlockingClient a = connect();
  BlockingClient b = connect();
  std::this_thread::sleep_for(100ms); // both accepted
  BlockingClient c = connect();
  auto r = c.receive(3s);
  ASSERT_TRUE(r.ok()) << r.error().what;
  EXPECT_EQ(r->status(), proto::REPLY_OVERLOADED);
  EXPECT_EQ(r->reason(), "too many connections");
  LiveRider rider(keys, 21, 31, 5);
  rider.open(a, 10);
  EXPECT_EQ(*rider.balance(a), 10);
}

} // namespace
} // namespace hcesim::live
