// Writes the wire seeds of fuzz/corpus/tap_response and fuzz/corpus/tap_batch: a few valid
// encodings made with the real encoders. Run by hand after a wire format change:
//   build/fuzz/fuzz/seed_writer fuzz/corpus
#include "hce/token/wire.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

using namespace hcesim;
using namespace hcesim::hce;

namespace {

const Time kT0 = Time::from_us(0) + Duration::days(1) + Duration::hours(8);

TapResponse response(uint64_t account, uint16_t counter, uint16_t limit) {
  TapResponse r;
  r.header = TokenHeader{TokenId{0x1234 + account, 0x5678},
                         AccountId(account),
                         DeviceId(account),
                         kT0,
                         kT0 + Duration::hours(24),
                         limit,
                         1};
  r.counter = counter;
  r.validator_cryptogram.fill(static_cast<uint8_t>(0x11 * counter));
  r.issuer_cryptogram.fill(static_cast<uint8_t>(0x22 + counter));
  return r;
}

TapRecord record(uint32_t validator, uint64_t seq, TapKind kind) {
  TapChallenge c{ValidatorId(validator), kT0 + Duration::minutes(static_cast<int64_t>(seq)),
                 0xabcdef00 + seq, kind};
  return TapRecord{ValidatorId(validator), seq, StopId(9), c,
                   response(seq, static_cast<uint16_t>(seq % 3 + 1), 3)};
}

void put(const std::filesystem::path& file, const std::string& bytes) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: seed_writer <corpus folder>\n");
    return 2;
  }
  const std::filesystem::path out(argv[1]);
  put(out / "tap_response" / "counter1", encode(response(7, 1, 3)));
  put(out / "tap_response" / "counter3_limit3", encode(response(8, 3, 3)));
  put(out / "tap_response" / "limit100", encode(response(123456789, 42, 100)));
  put(out / "tap_batch" / "one_record",
      encode(TapBatch{ValidatorId(5), 1, {record(5, 1, TapKind::kFlat)}}));
  TapBatch three{ValidatorId(6), 3, {}};
  for (uint64_t s = 1; s <= 3; ++s) {
    three.records.push_back(record(6, s, s == 2 ? TapKind::kExit : TapKind::kEntry));
  }
  put(out / "tap_batch" / "three_records", encode(three));
  put(out / "tap_batch" / "empty", encode(TapBatch{ValidatorId(7), 2, {}}));
  return 0;
}
