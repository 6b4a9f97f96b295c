// Fuzzes the validator's tap-response decoders (decode_tap_response and the hot-path
// TapResponseDecoder) on raw bytes. Both must agree; a decoded response must encode to bytes that
// decode to the same value, and encoding is canonical (re-encoding gives the same bytes).
#include "fuzz_check.h"
#include "hce/token/wire.h"

#include <cstddef>
#include <cstdint>

using namespace hcesim;
using namespace hcesim::hce;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Bytes bytes(data, size);
  Result<TapResponse> r = decode_tap_response(bytes);
  static TapResponseDecoder decoder; // reused, as a validator does
  TapResponse fast;
  Error fast_error;
  const bool fast_ok = decoder.decode(bytes, fast, fast_error);
  FUZZ_CHECK(fast_ok == r.ok(), "both decoders agree on success");
  if (!r) {
    FUZZ_CHECK(r.error().where.rfind("TapResponse", 0) == 0, "errors name the field path");
    FUZZ_CHECK(fast_error.where == r.error().where, "both decoders name the same field");
    return 0;
  }
  FUZZ_CHECK(fast == *r, "both decoders give the same response");
  FUZZ_CHECK(size <= kMaxTapResponseBytes, "the size limit holds");
  FUZZ_CHECK(r->counter >= 1, "counters start at 1");
  FUZZ_CHECK(r->header.expires_at > r->header.issued_at, "expiry after issue");
  const std::string encoded = encode(*r);
  Result<TapResponse> again = decode_tap_response(as_bytes(encoded));
  FUZZ_CHECK(again.ok() && *again == *r, "decode(encode(x)) == x");
  FUZZ_CHECK(encode(*again) == encoded, "encoding is canonical");
  return 0;
}
