#pragma once
// The boundary between plain C++ values and the wire (proto/token.proto). Encoders always succeed;
// decoders validate every field and return an Error naming the field path ("TapRecord.response.
// header.offline_limit") and what was expected. Oversized, truncated or random bytes give an
// error, never a crash.
#include "hce/token/denylist.h"
#include "hce/token/grant.h"
#include "hce/token/settlement_check.h"
#include "hce/token/tap.h"
#include "hce/token/tap_batch.h"
#include "hce/token/wallet_state.h"

#include "base/error.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace hcesim::proto {
class TapResponse;
}

namespace hcesim::hce {

using Bytes = std::span<const uint8_t>;

//! The format number TokenRequest and WalletState carry (proto/token.proto).
inline constexpr uint32_t kWireFormat = 1;

//! Times on the wire lie within [-kMaxWireTimeUs, kMaxWireTimeUs] (about ±146,000 years), so a
//! decoded time plus or minus any tolerance cannot overflow.
inline constexpr int64_t kMaxWireTimeUs = int64_t{1} << 62;

//! Largest encoded message each decoder accepts (checked before parsing).
inline constexpr size_t kMaxTapResponseBytes = 256;
inline constexpr size_t kMaxTapChallengeBytes = 64;
inline constexpr size_t kMaxSmallMessageBytes = 4096;
inline constexpr size_t kMaxBatchBytes = kMaxBatchRecords * 512;
inline constexpr size_t kMaxDenylistBytes = kMaxDenylistEntries * 24 + 256;

std::string encode(const TapChallenge& m);
std::string encode(const TapResponse& m);
std::string encode(const TapRecord& m);
std::string encode(const TapBatch& m);
std::string encode(const BatchAck& m);
std::string encode(const Enrolment& m);
std::string encode(const TokenRequest& m);
std::string encode(const TokenGrant& m);
std::string encode(const DenylistUpdate& m);
std::string encode(const WalletState& m);
//! Deterministic: equal states give equal bytes.
std::string encode(const SettlementState& m);

Result<TapChallenge> decode_tap_challenge(Bytes bytes);
Result<TapResponse> decode_tap_response(Bytes bytes);
Result<TapRecord> decode_tap_record(Bytes bytes);
Result<TapBatch> decode_tap_batch(Bytes bytes);
Result<BatchAck> decode_batch_ack(Bytes bytes);
Result<Enrolment> decode_enrolment(Bytes bytes);
Result<TokenRequest> decode_token_request(Bytes bytes);
Result<TokenGrant> decode_token_grant(Bytes bytes);
Result<DenylistUpdate> decode_denylist_update(Bytes bytes);
Result<WalletState> decode_wallet_state(Bytes bytes);
//! No size limit (the cloud's own journal); validated like the rest.
Result<SettlementState> decode_settlement_state(Bytes bytes);

//! Views a std::string's bytes (what the encoders return) as Bytes.
inline Bytes as_bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

//! The phone's hot-path encoder: keeps one message and one buffer, so encoding a tap's response
//! allocates nothing in steady state. The same bytes as encode(const TapResponse&).
class TapResponseEncoder {
public:
  TapResponseEncoder();
  ~TapResponseEncoder();
  TapResponseEncoder(const TapResponseEncoder&) = delete;
  TapResponseEncoder& operator=(const TapResponseEncoder&) = delete;
  //! The response's bytes, valid until the next call.
  Bytes encode(const TapResponse& m);

private:
  std::unique_ptr<proto::TapResponse> msg_;
  std::string bytes_;
};

//! The validator's hot-path decoder: keeps one parsed message and its cryptograms' room (protobuf
//! re-makes the header sub-message per parse). Same checks as decode_tap_response.
class TapResponseDecoder {
public:
  TapResponseDecoder();
  ~TapResponseDecoder();
  TapResponseDecoder(const TapResponseDecoder&) = delete;
  TapResponseDecoder& operator=(const TapResponseDecoder&) = delete;
  //! Decodes into `out`; on failure returns false and fills `error`.
  bool decode(Bytes bytes, TapResponse& out, Error& error);

private:
  std::unique_ptr<proto::TapResponse> msg_;
};

} // namespace hcesim::hce
