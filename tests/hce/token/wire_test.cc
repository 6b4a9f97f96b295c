#include "hce/token/wire.h"

#include "token_world.h"

#include "proto/token.pb.h"

#include <functional>

using namespace hcesim;
using namespace hcesim::hce;
using namespace hcesim::hce::testing;

namespace {

TokenHeader header() {
  return TokenHeader{
      TokenId{0x1234, 0x5678}, AccountId(7), DeviceId(8), kT0, kT0 + Duration::hours(24), 3, 1};
}

TapChallenge challenge() {
  return TapChallenge{ValidatorId(5), kT0, 0xabcdef, TapKind::kExit};
}

TapResponse response() {
  TapResponse r;
  r.header = header();
  r.counter = 2;
  r.validator_cryptogram.fill(0x11);
  r.issuer_cryptogram.fill(0x22);
  return r;
}

TapRecord record(uint64_t seq) {
  return TapRecord{ValidatorId(5), seq, StopId(9), challenge(), response()};
}

TapBatch batch() {
  return TapBatch{ValidatorId(5), 3, {record(1), record(2)}};
}

DenylistUpdate denylist() {
  DenylistUpdate u;
  u.version = 4;
  u.base_version = 2;
  u.add_tokens = {TokenId{1, 2}};
  u.add_accounts = {AccountId(3)};
  u.remove_tokens = {TokenId{4, 5}};
  u.remove_accounts = {AccountId(6)};
  u.mac.fill(0x33);
  return u;
}

TokenGrant grant() {
  TokenGrant g;
  g.account = AccountId(7);
  g.device = DeviceId(8);
  g.headers = {header(), header()};
  g.nonce.fill(1);
  g.sealed_keys.assign(64, 2);
  g.tag.fill(3);
  return g;
}

WalletState wallet_state() {
  WalletToken t;
  t.token.header = header();
  t.token.validator_key.fill(4);
  t.token.issuer_key.fill(5);
  t.next_counter = 4; // used up (limit 3)
  return WalletState{AccountId(7), DeviceId(8), {t}};
}

// Every decoder, by name, with one valid encoding.
struct Case {
  const char* name;
  std::string bytes;
  std::function<Result<void>(Bytes)> decode;
};

template <typename F> std::function<Result<void>(Bytes)> erase(F f) {
  return [f](Bytes b) -> Result<void> {
    auto r = f(b);
    if (!r) {
      return r.error();
    }
    return {};
  };
}

std::vector<Case> cases() {
  return {
      {"TapChallenge", encode(challenge()), erase(decode_tap_challenge)},
      {"TapResponse", encode(response()), erase(decode_tap_response)},
      {"TapRecord", encode(record(1)), erase(decode_tap_record)},
      {"TapBatch", encode(batch()), erase(decode_tap_batch)},
      {"BatchAck", encode(BatchAck{ValidatorId(5), 3, {1, 2}}), erase(decode_batch_ack)},
      {"Enrolment", encode(Enrolment{AccountId(1), DeviceId(2), key_from(3)}),
       erase(decode_enrolment)},
      {"TokenRequest", encode(TokenRequest{AccountId(1), DeviceId(2), kT0}),
       erase(decode_token_request)},
      {"TokenGrant", encode(grant()), erase(decode_token_grant)},
      {"DenylistUpdate", encode(denylist()), erase(decode_denylist_update)},
      {"WalletState", encode(wallet_state()), erase(decode_wallet_state)},
  };
}

} // namespace

TEST(Wire, EveryMessageRoundTrips) {
  EXPECT_EQ(decode_tap_challenge(as_bytes(encode(challenge()))).value(), challenge());
  EXPECT_EQ(decode_tap_response(as_bytes(encode(response()))).value(), response());
  EXPECT_EQ(decode_tap_record(as_bytes(encode(record(4)))).value(), record(4));
  EXPECT_EQ(decode_tap_batch(as_bytes(encode(batch()))).value(), batch());
  const BatchAck ack{ValidatorId(5), 3, {1, 2}};
  EXPECT_EQ(decode_batch_ack(as_bytes(encode(ack))).value(), ack);
  const Enrolment e{AccountId(1), DeviceId(2), key_from(3)};
  EXPECT_EQ(decode_enrolment(as_bytes(encode(e))).value(), e);
  const TokenRequest q{AccountId(1), DeviceId(2), kT0};
  EXPECT_EQ(decode_token_request(as_bytes(encode(q))).value(), q);
  EXPECT_EQ(decode_token_grant(as_bytes(encode(grant()))).value(), grant());
  EXPECT_EQ(decode_denylist_update(as_bytes(encode(denylist()))).value(), denylist());
  EXPECT_EQ(decode_wallet_state(as_bytes(encode(wallet_state()))).value(), wallet_state());
}

TEST(Wire, TheReusedResponseEncoderGivesTheSameBytesAsEncode) {
  TapResponseEncoder encoder;
  TapResponse other = response();
  other.header.id = TokenId{~uint64_t{0}, 1};
  other.header.expires_at = kT0 + Duration::days(3);
  other.counter = 100;
  other.issuer_cryptogram.fill(0xff);
  TapResponse zeros; // every field at its default: nothing of the previous message may remain
  for (const TapResponse& r : {response(), other, zeros, response()}) {
    const Bytes bytes = encoder.encode(r);
    EXPECT_EQ(std::string(bytes.begin(), bytes.end()), encode(r));
  }
  EXPECT_EQ(decode_tap_response(encoder.encode(other)).value(), other);
}

TEST(Wire, TruncatedMessagesGiveAPreciseErrorNeverACrash) {
  for (const auto& c : cases()) {
    const Bytes all = as_bytes(c.bytes);
    for (size_t n = 0; n < c.bytes.size(); ++n) {
      const auto r = c.decode(all.first(n));
      ASSERT_FALSE(r.ok()) << c.name << " cut to " << n << " bytes decoded";
      EXPECT_EQ(r.error().where.rfind(c.name, 0), 0u) << c.name << ": " << r.error().to_string();
      EXPECT_FALSE(r.error().what.empty());
    }
    EXPECT_TRUE(c.decode(all).ok()) << c.name;
  }
}

TEST(Wire, OversizedMessagesAreRefusedBeforeParsing) {
  const std::vector<uint8_t> huge(kMaxTapResponseBytes + 1, 0);
  const auto r = decode_tap_response(huge);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().where, "TapResponse");
  EXPECT_NE(r.error().what.find("exceeds the 256-byte limit"), std::string::npos);
  std::string big = encode(response());
  big.append(300, '\0');
  EXPECT_FALSE(decode_tap_response(as_bytes(big)).ok());
}

TEST(Wire, RandomBytesGiveAnErrorOrAValidMessageNeverACrash) {
  SeededRandomSource random(5);
  for (const auto& c : cases()) {
    for (int i = 0; i < 2000; ++i) {
      std::vector<uint8_t> bytes(random.next_u64() % 96);
      random.fill(bytes.data(), bytes.size());
      const auto r = c.decode(bytes);
      if (!r.ok()) {
        EXPECT_EQ(r.error().where.rfind(c.name, 0), 0u) << r.error().to_string();
      }
    }
    // Random single-byte corruptions of a valid message.
    for (int i = 0; i < 500; ++i) {
      std::string bytes = c.bytes;
      bytes[random.next_u64() % bytes.size()] = static_cast<char>(random.next_u64());
      const auto r = c.decode(as_bytes(bytes));
      if (!r.ok()) {
        EXPECT_EQ(r.error().where.rfind(c.name, 0), 0u) << r.error().to_string();
      }
    }
  }
}

TEST(Wire, InvalidFieldsNameTheirPath) {
  auto where = [](const auto& result) { return result.error().where; };
  TapResponse r = response();
  r.header.offline_limit = 0;
  EXPECT_EQ(where(decode_tap_response(as_bytes(encode(r)))), "TapResponse.header.offline_limit");
  r = response();
  r.header.key_version = 0;
  EXPECT_EQ(where(decode_tap_response(as_bytes(encode(r)))), "TapResponse.header.key_version");
  r = response();
  r.header.expires_at = r.header.issued_at;
  EXPECT_EQ(where(decode_tap_response(as_bytes(encode(r)))), "TapResponse.header.expires_at_us");
  r = response();
  r.header.id = TokenId{};
  EXPECT_EQ(where(decode_tap_response(as_bytes(encode(r)))), "TapResponse.header.id");
  r = response();
  r.counter = 0;
  EXPECT_EQ(where(decode_tap_response(as_bytes(encode(r)))), "TapResponse.counter");

  // A short cryptogram and a missing header need hand-built wire messages.
  proto::TapResponse p;
  ASSERT_TRUE(p.ParseFromString(encode(response())));
  p.set_issuer_cryptogram(std::string(15, 'x'));
  auto short_crypto = decode_tap_response(as_bytes(p.SerializeAsString()));
  EXPECT_EQ(where(short_crypto), "TapResponse.issuer_cryptogram");
  EXPECT_EQ(short_crypto.error().what, "expected 16 bytes, found 15");
  p.clear_header();
  EXPECT_EQ(where(decode_tap_response(as_bytes(p.SerializeAsString()))), "TapResponse.header");
  TapChallenge c = challenge();
  c.kind = static_cast<TapKind>(0);
  EXPECT_EQ(where(decode_tap_challenge(as_bytes(encode(c)))), "TapChallenge.kind");
  TapBatch b = batch();
  b.records[1].validator = ValidatorId(6);
  b.records[1].challenge.validator = ValidatorId(6);
  EXPECT_EQ(where(decode_tap_batch(as_bytes(encode(b)))), "TapBatch.records[1].validator");
  b = batch();
  b.records[0].challenge.validator = ValidatorId(6);
  EXPECT_EQ(where(decode_tap_batch(as_bytes(encode(b)))),
            "TapBatch.records[0].challenge.validator");
  b = batch();
  b.records[1].sequence = 0;
  EXPECT_EQ(where(decode_tap_batch(as_bytes(encode(b)))), "TapBatch.records[1].sequence");
  b.records[1].sequence = kMaxRecordSequence + 1; // past what the checks' use table can hold
  EXPECT_EQ(where(decode_tap_batch(as_bytes(encode(b)))), "TapBatch.records[1].sequence");
  b.records[1].sequence = kMaxRecordSequence;
  EXPECT_TRUE(decode_tap_batch(as_bytes(encode(b))).ok());
  TokenGrant g = grant();
  g.sealed_keys.pop_back();
  EXPECT_EQ(where(decode_token_grant(as_bytes(encode(g)))), "TokenGrant.sealed_keys");
  g = grant();
  g.headers[1].device = DeviceId(99);
  EXPECT_EQ(where(decode_token_grant(as_bytes(encode(g)))), "TokenGrant.headers[1]");
  DenylistUpdate d = denylist();
  d.version = d.base_version;
  EXPECT_EQ(where(decode_denylist_update(as_bytes(encode(d)))), "DenylistUpdate.version");
  d = denylist();
  d.remove_tokens = {TokenId{}};
  EXPECT_EQ(where(decode_denylist_update(as_bytes(encode(d)))), "DenylistUpdate.remove_tokens[0]");
  WalletState w = wallet_state();
  w.tokens[0].next_counter = 5;
  EXPECT_EQ(where(decode_wallet_state(as_bytes(encode(w)))), "WalletState.tokens[0].next_counter");
  EXPECT_EQ(where(decode_batch_ack(as_bytes(encode(BatchAck{ValidatorId(1), 1, {3, 0}})))),
            "BatchAck.sequences[1]");
}

// Settlement computes issued_at - skew and expires_at + skew before (and regardless of) checking
// the cryptograms: an uploaded record with an extreme time must be refused at the boundary, not
// overflow there.
TEST(Wire, TimesOutsideTheWireRangeAreRefusedWithTheirPath) {
  auto where = [](const auto& result) {
    return result.ok() ? std::string("(decoded)") : result.error().where;
  };
  TapRecord r = record(1);
  r.response.header.expires_at = Time::max();
  EXPECT_EQ(where(decode_tap_record(as_bytes(encode(r)))),
            "TapRecord.response.header.expires_at_us");
  r = record(1);
  r.response.header.issued_at = Time::from_us(INT64_MIN);
  EXPECT_EQ(where(decode_tap_record(as_bytes(encode(r)))),
            "TapRecord.response.header.issued_at_us");
  r = record(1);
  r.challenge.time = Time::from_us(INT64_MIN + 1);
  EXPECT_EQ(where(decode_tap_record(as_bytes(encode(r)))), "TapRecord.challenge.time_us");
  // The edges themselves are fine.
  r = record(1);
  r.response.header.expires_at = Time::from_us(kMaxWireTimeUs);
  r.challenge.time = Time::from_us(-kMaxWireTimeUs);
  EXPECT_EQ(where(decode_tap_record(as_bytes(encode(r)))), "(decoded)");
}
