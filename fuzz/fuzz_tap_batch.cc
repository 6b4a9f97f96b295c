// Fuzzes the cloud's tap-batch decoder (decode_tap_batch) on raw bytes. A decoded batch must
// encode to bytes that decode to the same value, encoding is canonical, and every record in it
// decodes on its own to the same record.
#include "fuzz_check.h"
#include "hce/token/wire.h"

#include <cstddef>
#include <cstdint>

using namespace hcesim;
using namespace hcesim::hce;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Result<TapBatch> b = decode_tap_batch(Bytes(data, size));
  if (!b) {
    FUZZ_CHECK(b.error().where.rfind("TapBatch", 0) == 0, "errors name the field path");
    return 0;
  }
  FUZZ_CHECK(size <= kMaxBatchBytes && b->records.size() <= kMaxBatchRecords, "limits hold");
  FUZZ_CHECK(b->batch >= 1, "batches are numbered from 1");
  for (const TapRecord& rec : b->records) {
    FUZZ_CHECK(rec.validator == b->validator, "records come from the batch's validator");
    Result<TapRecord> alone = decode_tap_record(as_bytes(encode(rec)));
    FUZZ_CHECK(alone.ok() && *alone == rec, "each record round-trips on its own");
  }
  const std::string encoded = encode(*b);
  Result<TapBatch> again = decode_tap_batch(as_bytes(encoded));
  FUZZ_CHECK(again.ok() && *again == *b, "decode(encode(x)) == x");
  FUZZ_CHECK(encode(*again) == encoded, "encoding is canonical");
  return 0;
}
