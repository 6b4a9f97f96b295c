#include "hce/token/wire.h"

#include "proto/token.pb.h"

#include <cstring>
#include <limits>

namespace hcesim::hce {

namespace {

// ---- encoding ----

void to_proto(const TokenHeader& h, proto::TokenHeader& p) {
  p.set_id_hi(h.id.hi);
  p.set_id_lo(h.id.lo);
  p.set_account(h.account.value());
  p.set_device(h.device.value());
  p.set_issued_at_us(h.issued_at.us());
  p.set_expires_at_us(h.expires_at.us());
  p.set_offline_limit(h.offline_limit);
  p.set_key_version(h.key_version);
}

void to_proto(const TapChallenge& c, proto::TapChallenge& p) {
  p.set_validator(c.validator.value());
  p.set_time_us(c.time.us());
  p.set_unpredictable(c.unpredictable);
  p.set_kind(static_cast<proto::TapKind>(c.kind));
}

template <size_t N> std::string raw(const std::array<uint8_t, N>& a) {
  return std::string(reinterpret_cast<const char*>(a.data()), N);
}

void to_proto(const TapResponse& r, proto::TapResponse& p) {
  to_proto(r.header, *p.mutable_header());
  p.set_counter(r.counter);
  // Assigned in place: set_*(ptr, n) builds a temporary std::string first, and 16 bytes are past
  // its small-string room (a heap allocation per cryptogram per tap).
  p.mutable_validator_cryptogram()->assign(
      reinterpret_cast<const char*>(r.validator_cryptogram.data()), r.validator_cryptogram.size());
  p.mutable_issuer_cryptogram()->assign(reinterpret_cast<const char*>(r.issuer_cryptogram.data()),
                                        r.issuer_cryptogram.size());
}

void to_proto(const TapRecord& r, proto::TapRecord& p) {
  p.set_validator(r.validator.value());
  p.set_sequence(r.sequence);
  p.set_stop(r.stop.value());
  to_proto(r.challenge, *p.mutable_challenge());
  to_proto(r.response, *p.mutable_response());
}

void to_proto(const TokenId& t, proto::TokenIdValue& p) {
  p.set_hi(t.hi);
  p.set_lo(t.lo);
}

template <typename M> std::string serialize(const M& m) {
  std::string out;
  m.SerializeToString(&out);
  return out;
}

} // namespace

std::string encode(const TapChallenge& m) {
  proto::TapChallenge p;
  to_proto(m, p);
  return serialize(p);
}
std::string encode(const TapResponse& m) {
  proto::TapResponse p;
  to_proto(m, p);
  return serialize(p);
}

TapResponseEncoder::TapResponseEncoder() : msg_(std::make_unique<proto::TapResponse>()) {}
TapResponseEncoder::~TapResponseEncoder() = default;

Bytes TapResponseEncoder::encode(const TapResponse& m) {
  // No Clear(): it deletes the header message (a heap allocation per tap to make it again), and
  // to_proto sets every field of the response and its header.
  to_proto(m, *msg_);
  msg_->SerializeToString(&bytes_);
  return as_bytes(bytes_);
}
std::string encode(const TapRecord& m) {
  proto::TapRecord p;
  to_proto(m, p);
  return serialize(p);
}
std::string encode(const TapBatch& m) {
  proto::TapBatch p;
  p.set_validator(m.validator.value());
  p.set_batch(m.batch);
  for (const auto& r : m.records) {
    to_proto(r, *p.add_records());
  }
  p.set_record_count(static_cast<uint32_t>(m.records.size()));
  return serialize(p);
}
std::string encode(const BatchAck& m) {
  proto::BatchAck p;
  p.set_validator(m.validator.value());
  p.set_batch(m.batch);
  for (uint64_t s : m.sequences) {
    p.add_sequences(s);
  }
  p.set_sequence_count(static_cast<uint32_t>(m.sequences.size()));
  return serialize(p);
}
std::string encode(const Enrolment& m) {
  proto::Enrolment p;
  p.set_account(m.account.value());
  p.set_device(m.device.value());
  p.set_device_key(raw(m.device_key));
  return serialize(p);
}
std::string encode(const TokenRequest& m) {
  proto::TokenRequest p;
  p.set_account(m.account.value());
  p.set_device(m.device.value());
  p.set_sent_at_us(m.sent_at.us());
  p.set_format(kWireFormat);
  return serialize(p);
}
std::string encode(const TokenGrant& m) {
  proto::TokenGrant p;
  p.set_account(m.account.value());
  p.set_device(m.device.value());
  for (const auto& h : m.headers) {
    to_proto(h, *p.add_headers());
  }
  p.set_nonce(raw(m.nonce));
  p.set_sealed_keys(std::string(m.sealed_keys.begin(), m.sealed_keys.end()));
  p.set_tag(raw(m.tag));
  return serialize(p);
}
std::string encode(const DenylistUpdate& m) {
  proto::DenylistUpdate p;
  p.set_version(m.version);
  p.set_base_version(m.base_version);
  for (const auto& t : m.add_tokens) {
    to_proto(t, *p.add_add_tokens());
  }
  for (const auto& a : m.add_accounts) {
    p.add_add_accounts(a.value());
  }
  for (const auto& t : m.remove_tokens) {
    to_proto(t, *p.add_remove_tokens());
  }
  for (const auto& a : m.remove_accounts) {
    p.add_remove_accounts(a.value());
  }
  p.set_mac(raw(m.mac));
  return serialize(p);
}
std::string encode(const WalletState& m) {
  proto::WalletState p;
  p.set_account(m.account.value());
  p.set_device(m.device.value());
  for (const auto& t : m.tokens) {
    auto* w = p.add_tokens();
    to_proto(t.token.header, *w->mutable_header());
    w->set_validator_key(raw(t.token.validator_key));
    w->set_issuer_key(raw(t.token.issuer_key));
    w->set_next_counter(t.next_counter);
  }
  p.set_token_count(static_cast<uint32_t>(m.tokens.size()));
  p.set_format(kWireFormat);
  return serialize(p);
}

} // namespace hcesim::hce
