#include "hce/token/wire.h"

#include "hce/token/record_id.h"

#include "proto/token.pb.h"

#include <cstring>
#include <limits>

namespace hcesim::hce {

namespace {

// ---- decoding ----

// A field path built only when an error needs it (the hot path decodes without allocating).
struct Path {
  Path(std::string_view n) : name(n) {}   // NOLINT(google-explicit-constructor)
  Path(const std::string& n) : name(n) {} // NOLINT(google-explicit-constructor)
  Path(const char* n) : name(n) {}        // NOLINT(google-explicit-constructor)
  Path(const Path* p, std::string_view n) : parent(p), name(n) {}
  //! `n[index]`, the index written out only when an error needs it.
  Path(std::string_view n, size_t i) : name(n), index(i), indexed(true) {}
  const Path* parent = nullptr;
  std::string_view name;
  size_t index = 0;
  bool indexed = false;
  std::string str() const {
    return (parent != nullptr ? parent->str() : "") + std::string(name) +
           (indexed ? "[" + std::to_string(index) + "]" : "");
  }
  Path operator/(std::string_view child) const { return Path(this, child); }
};
std::string operator+(const Path& p, const char* s) {
  return p.str() + s;
}

template <typename M> Result<void> parse(Bytes bytes, size_t max_bytes, const char* name, M& m) {
  if (bytes.size() > max_bytes) {
    return Error{name, "message of " + std::to_string(bytes.size()) + " bytes exceeds the " +
                           std::to_string(max_bytes) + "-byte limit"};
  }
  if (!m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return Error{name, "not a valid " + std::string(name) + " encoding (truncated or corrupt, " +
                           std::to_string(bytes.size()) + " bytes)"};
  }
  return {};
}

template <size_t N>
bool fixed_bytes(const std::string& s, std::array<uint8_t, N>& out, const Path& where,
                 Error& error) {
  if (s.size() != N) {
    error = Error{where.str(),
                  "expected " + std::to_string(N) + " bytes, found " + std::to_string(s.size())};
    return false;
  }
  std::memcpy(out.data(), s.data(), N);
  return true;
}

bool time_in_range(int64_t us, const Path& where, Error& error) {
  if (us < -kMaxWireTimeUs || us > kMaxWireTimeUs) {
    error = Error{where.str(), "expected a time within ±" + std::to_string(kMaxWireTimeUs) +
                                   " us, found " + std::to_string(us)};
    return false;
  }
  return true;
}

bool from_proto(const proto::TokenHeader& p, TokenHeader& h, const Path& at, Error& e) {
  if (p.id_hi() == 0 && p.id_lo() == 0) {
    e = Error{at + ".id", "token id is all zero"};
    return false;
  }
  if (p.offline_limit() < 1 || p.offline_limit() > std::numeric_limits<uint16_t>::max()) {
    e = Error{at + ".offline_limit",
              "expected 1..65535, found " + std::to_string(p.offline_limit())};
    return false;
  }
  if (p.key_version() == 0) {
    e = Error{at + ".key_version", "expected a version >= 1, found 0"};
    return false;
  }
  if (!time_in_range(p.issued_at_us(), at / ".issued_at_us", e) ||
      !time_in_range(p.expires_at_us(), at / ".expires_at_us", e)) {
    return false;
  }
  if (p.expires_at_us() <= p.issued_at_us()) {
    e = Error{at + ".expires_at_us", "expected after issued_at_us (" +
                                         std::to_string(p.issued_at_us()) + "), found " +
                                         std::to_string(p.expires_at_us())};
    return false;
  }
  h.id = TokenId{p.id_hi(), p.id_lo()};
  h.account = AccountId(p.account());
  h.device = DeviceId(p.device());
  h.issued_at = Time::from_us(p.issued_at_us());
  h.expires_at = Time::from_us(p.expires_at_us());
  h.offline_limit = static_cast<uint16_t>(p.offline_limit());
  h.key_version = p.key_version();
  return true;
}

bool from_proto(const proto::TapChallenge& p, TapChallenge& c, const Path& at, Error& e) {
  if (p.kind() < proto::TAP_KIND_ENTRY || p.kind() > proto::TAP_KIND_FLAT) {
    e = Error{at + ".kind", "expected ENTRY, EXIT or FLAT, found " + std::to_string(p.kind())};
    return false;
  }
  if (!time_in_range(p.time_us(), at / ".time_us", e)) {
    return false;
  }
  c.validator = ValidatorId(p.validator());
  c.time = Time::from_us(p.time_us());
  c.unpredictable = p.unpredictable();
  c.kind = static_cast<TapKind>(p.kind());
  return true;
}

bool from_proto(const proto::TapResponse& p, TapResponse& r, const Path& at, Error& e) {
  if (!p.has_header()) {
    e = Error{at + ".header", "missing"};
    return false;
  }
  if (!from_proto(p.header(), r.header, at / ".header", e)) {
    return false;
  }
  if (p.counter() < 1 || p.counter() > std::numeric_limits<uint16_t>::max()) {
    e = Error{at + ".counter", "expected 1..65535, found " + std::to_string(p.counter())};
    return false;
  }
  r.counter = static_cast<uint16_t>(p.counter());
  return fixed_bytes(p.validator_cryptogram(), r.validator_cryptogram, at / ".validator_cryptogram",
                     e) &&
         fixed_bytes(p.issuer_cryptogram(), r.issuer_cryptogram, at / ".issuer_cryptogram", e);
}

bool from_proto(const proto::TapRecord& p, TapRecord& r, const Path& at, Error& e) {
  if (p.sequence() == 0 || p.sequence() > kMaxRecordSequence) {
    e = Error{at + ".sequence", "expected 1.." + std::to_string(kMaxRecordSequence) + ", found " +
                                    std::to_string(p.sequence())};
    return false;
  }
  if (!p.has_challenge()) {
    e = Error{at + ".challenge", "missing"};
    return false;
  }
  if (!p.has_response()) {
    e = Error{at + ".response", "missing"};
    return false;
  }
  if (p.challenge().validator() != p.validator()) {
    e = Error{at + ".challenge.validator", "expected the record's validator " +
                                               std::to_string(p.validator()) + ", found " +
                                               std::to_string(p.challenge().validator())};
    return false;
  }
  r.validator = ValidatorId(p.validator());
  r.sequence = p.sequence();
  r.stop = StopId(p.stop());
  return from_proto(p.challenge(), r.challenge, at / ".challenge", e) &&
         from_proto(p.response(), r.response, at / ".response", e);
}

bool from_proto(const proto::TokenIdValue& p, TokenId& t, const Path& at, Error& e) {
  if (p.hi() == 0 && p.lo() == 0) {
    e = Error{at.str(), "token id is all zero"};
    return false;
  }
  t = TokenId{p.hi(), p.lo()};
  return true;
}

Error count_mismatch(const char* where, size_t count, int entries) {
  return Error{where, "expected " + std::to_string(entries) + " (the entries present), found " +
                          std::to_string(count) + ": truncated or altered"};
}

Error bad_format(const char* where, uint32_t found) {
  return Error{where, "expected format " + std::to_string(kWireFormat) + ", found " +
                          std::to_string(found)};
}

template <typename T> Result<T> done(bool ok, T value, Error error) {
  if (!ok) {
    return error;
  }
  return value;
}

} // namespace

Result<TapChallenge> decode_tap_challenge(Bytes bytes) {
  proto::TapChallenge p;
  if (auto r = parse(bytes, kMaxTapChallengeBytes, "TapChallenge", p); !r) {
    return r.error();
  }
  TapChallenge c;
  Error e;
  const bool ok = from_proto(p, c, "TapChallenge", e);
  return done(ok, c, e);
}

Result<TapResponse> decode_tap_response(Bytes bytes) {
  TapResponseDecoder d;
  TapResponse r;
  Error e;
  const bool ok = d.decode(bytes, r, e);
  return done(ok, r, e);
}

Result<TapRecord> decode_tap_record(Bytes bytes) {
  proto::TapRecord p;
  if (auto r = parse(bytes, kMaxTapResponseBytes + 128, "TapRecord", p); !r) {
    return r.error();
  }
  TapRecord rec;
  Error e;
  const bool ok = from_proto(p, rec, "TapRecord", e);
  return done(ok, rec, e);
}

Result<TapBatch> decode_tap_batch(Bytes bytes) {
  // On an arena: a batch's hundreds of sub-messages and cryptogram strings are a few block
  // allocations instead of several heap allocations per record.
  google::protobuf::ArenaOptions options;
  options.start_block_size = 64 * 1024;
  options.max_block_size = 1024 * 1024;
  google::protobuf::Arena arena(options);
  proto::TapBatch& p = *google::protobuf::Arena::CreateMessage<proto::TapBatch>(&arena);
  if (auto r = parse(bytes, kMaxBatchBytes, "TapBatch", p); !r) {
    return r.error();
  }
  if (static_cast<size_t>(p.records_size()) > kMaxBatchRecords) {
    return Error{"TapBatch.records", "expected at most " + std::to_string(kMaxBatchRecords) +
                                         " records, found " + std::to_string(p.records_size())};
  }
  if (p.batch() == 0) {
    return Error{"TapBatch.batch", "expected >= 1, found 0"};
  }
  if (!p.has_record_count() || p.record_count() != static_cast<uint32_t>(p.records_size())) {
    return count_mismatch("TapBatch.record_count", p.record_count(), p.records_size());
  }
  TapBatch b;
  b.validator = ValidatorId(p.validator());
  b.batch = p.batch();
  b.records.resize(static_cast<size_t>(p.records_size()));
  for (int i = 0; i < p.records_size(); ++i) {
    const Path at("TapBatch.records", static_cast<size_t>(i));
    Error e;
    if (!from_proto(p.records(i), b.records[static_cast<size_t>(i)], at, e)) {
      return e;
    }
    if (p.records(i).validator() != p.validator()) {
      return Error{at + ".validator", "expected the batch's validator " +
                                          std::to_string(p.validator()) + ", found " +
                                          std::to_string(p.records(i).validator())};
    }
  }
  return b;
}

Result<BatchAck> decode_batch_ack(Bytes bytes) {
  proto::BatchAck p;
  if (auto r = parse(bytes, kMaxBatchRecords * 11 + 64, "BatchAck", p); !r) {
    return r.error();
  }
  if (static_cast<size_t>(p.sequences_size()) > kMaxBatchRecords) {
    return Error{"BatchAck.sequences", "expected at most " + std::to_string(kMaxBatchRecords) +
                                           " sequences, found " +
                                           std::to_string(p.sequences_size())};
  }
  if (p.batch() == 0) {
    return Error{"BatchAck.batch", "expected >= 1, found 0"};
  }
  if (!p.has_sequence_count() || p.sequence_count() != static_cast<uint32_t>(p.sequences_size())) {
    return count_mismatch("BatchAck.sequence_count", p.sequence_count(), p.sequences_size());
  }
  BatchAck a;
  a.validator = ValidatorId(p.validator());
  a.batch = p.batch();
  for (int i = 0; i < p.sequences_size(); ++i) {
    if (p.sequences(i) == 0) {
      return Error{"BatchAck.sequences[" + std::to_string(i) + "]", "expected >= 1, found 0"};
    }
    a.sequences.push_back(p.sequences(i));
  }
  return a;
}

Result<Enrolment> decode_enrolment(Bytes bytes) {
  proto::Enrolment p;
  if (auto r = parse(bytes, kMaxSmallMessageBytes, "Enrolment", p); !r) {
    return r.error();
  }
  Enrolment m;
  m.account = AccountId(p.account());
  m.device = DeviceId(p.device());
  Error e;
  const bool ok = fixed_bytes(p.device_key(), m.device_key, "Enrolment.device_key", e);
  return done(ok, m, e);
}

Result<TokenRequest> decode_token_request(Bytes bytes) {
  proto::TokenRequest p;
  if (auto r = parse(bytes, kMaxSmallMessageBytes, "TokenRequest", p); !r) {
    return r.error();
  }
  if (p.format() != kWireFormat) {
    return bad_format("TokenRequest.format", p.format());
  }
  return TokenRequest{AccountId(p.account()), DeviceId(p.device()), Time::from_us(p.sent_at_us())};
}

Result<TokenGrant> decode_token_grant(Bytes bytes) {
  proto::TokenGrant p;
  if (auto r = parse(bytes, kMaxSmallMessageBytes * 2, "TokenGrant", p); !r) {
    return r.error();
  }
  const auto n = static_cast<size_t>(p.headers_size());
  if (n < 1 || n > kMaxGrantTokens) {
    return Error{"TokenGrant.headers", "expected 1.." + std::to_string(kMaxGrantTokens) +
                                           " headers, found " + std::to_string(n)};
  }
  TokenGrant g;
  g.account = AccountId(p.account());
  g.device = DeviceId(p.device());
  g.headers.resize(n);
  Error e;
  for (size_t i = 0; i < n; ++i) {
    const std::string at = "TokenGrant.headers[" + std::to_string(i) + "]";
    const auto& h = p.headers(static_cast<int>(i));
    if (!from_proto(h, g.headers[i], at, e)) {
      return e;
    }
    if (h.account() != p.account() || h.device() != p.device()) {
      return Error{at, "header names account " + std::to_string(h.account()) + " device " +
                           std::to_string(h.device()) + ", expected the grant's account " +
                           std::to_string(p.account()) + " device " + std::to_string(p.device())};
    }
  }
  if (p.sealed_keys().size() != 32 * n) {
    return Error{"TokenGrant.sealed_keys", "expected " + std::to_string(32 * n) +
                                               " bytes (32 per header), found " +
                                               std::to_string(p.sealed_keys().size())};
  }
  g.sealed_keys.assign(p.sealed_keys().begin(), p.sealed_keys().end());
  const bool ok = fixed_bytes(p.nonce(), g.nonce, "TokenGrant.nonce", e) &&
                  fixed_bytes(p.tag(), g.tag, "TokenGrant.tag", e);
  return done(ok, std::move(g), e);
}

Result<DenylistUpdate> decode_denylist_update(Bytes bytes) {
  proto::DenylistUpdate p;
  if (auto r = parse(bytes, kMaxDenylistBytes, "DenylistUpdate", p); !r) {
    return r.error();
  }
  if (p.version() <= p.base_version()) {
    return Error{"DenylistUpdate.version", "expected above base_version " +
                                               std::to_string(p.base_version()) + ", found " +
                                               std::to_string(p.version())};
  }
  const size_t entries =
      static_cast<size_t>(p.add_tokens_size()) + static_cast<size_t>(p.add_accounts_size()) +
      static_cast<size_t>(p.remove_tokens_size()) + static_cast<size_t>(p.remove_accounts_size());
  if (entries > kMaxDenylistEntries) {
    return Error{"DenylistUpdate", "expected at most " + std::to_string(kMaxDenylistEntries) +
                                       " entries, found " + std::to_string(entries)};
  }
  DenylistUpdate u;
  u.version = p.version();
  u.base_version = p.base_version();
  Error e;
  auto tokens = [&](const auto& list, std::vector<TokenId>& out, const char* name) {
    out.resize(static_cast<size_t>(list.size()));
    for (int i = 0; i < list.size(); ++i) {
      if (!from_proto(list.Get(i), out[static_cast<size_t>(i)],
                      std::string("DenylistUpdate.") + name + "[" + std::to_string(i) + "]", e)) {
        return false;
      }
    }
    return true;
  };
  if (!tokens(p.add_tokens(), u.add_tokens, "add_tokens") ||
      !tokens(p.remove_tokens(), u.remove_tokens, "remove_tokens")) {
    return e;
  }
  for (uint64_t a : p.add_accounts()) {
    u.add_accounts.emplace_back(a);
  }
  for (uint64_t a : p.remove_accounts()) {
    u.remove_accounts.emplace_back(a);
  }
  const bool ok = fixed_bytes(p.mac(), u.mac, "DenylistUpdate.mac", e);
  return done(ok, std::move(u), e);
}

Result<WalletState> decode_wallet_state(Bytes bytes) {
  proto::WalletState p;
  if (auto r = parse(bytes, kMaxSmallMessageBytes * 16, "WalletState", p); !r) {
    return r.error();
  }
  if (p.format() != kWireFormat) {
    return bad_format("WalletState.format", p.format());
  }
  if (!p.has_token_count() || p.token_count() != static_cast<uint32_t>(p.tokens_size())) {
    return count_mismatch("WalletState.token_count", p.token_count(), p.tokens_size());
  }
  WalletState s;
  s.account = AccountId(p.account());
  s.device = DeviceId(p.device());
  s.tokens.resize(static_cast<size_t>(p.tokens_size()));
  Error e;
  for (int i = 0; i < p.tokens_size(); ++i) {
    const std::string at = "WalletState.tokens[" + std::to_string(i) + "]";
    const auto& w = p.tokens(i);
    auto& t = s.tokens[static_cast<size_t>(i)];
    if (!w.has_header()) {
      return Error{at + ".header", "missing"};
    }
    if (!from_proto(w.header(), t.token.header, at + ".header", e) ||
        !fixed_bytes(w.validator_key(), t.token.validator_key, at + ".validator_key", e) ||
        !fixed_bytes(w.issuer_key(), t.token.issuer_key, at + ".issuer_key", e)) {
      return e;
    }
    if (w.next_counter() < 1 || w.next_counter() > t.token.header.offline_limit + 1u) {
      return Error{at + ".next_counter", "expected 1.." +
                                             std::to_string(t.token.header.offline_limit + 1) +
                                             ", found " + std::to_string(w.next_counter())};
    }
    t.next_counter = w.next_counter();
  }
  return s;
}

TapResponseDecoder::TapResponseDecoder() : msg_(std::make_unique<proto::TapResponse>()) {}
TapResponseDecoder::~TapResponseDecoder() = default;

bool TapResponseDecoder::decode(Bytes bytes, TapResponse& out, Error& error) {
  if (auto r = parse(bytes, kMaxTapResponseBytes, "TapResponse", *msg_); !r) {
    error = r.error();
    return false;
  }
  return from_proto(*msg_, out, "TapResponse", error);
}

} // namespace hcesim::hce
