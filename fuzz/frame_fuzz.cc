// libFuzzer target for the live service's frame decoder: arbitrary bytes, fed in arbitrary
// chunks, must give frames within the limit or a precise error, never a crash; every frame is
// parsed as an Envelope the way the server does. Build and run: scripts/fuzz_frame.sh SECONDS.
#include "live/frame.h"
#include "proto/live.pb.h"

#include <cassert>
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) {
    return 0;
  }
  hcesim::live::FrameReader reader(4096);
  const size_t chunk = 1 + data[0] % 64;
  size_t fed = 0;
  for (size_t at = 1; at < size; at += chunk) {
    const size_t n = std::min(chunk, size - at);
    auto r = reader.feed({data + at, n});
    fed += n;
    while (auto frame = reader.next()) {
      assert(!frame->empty() && frame->size() <= 4096);
      hcesim::proto::Envelope e;
      (void)e.ParseFromString(*frame);
    }
    if (!r.ok()) {
      assert(reader.failed() && !r.error().what.empty());
      break;
    }
    assert(reader.buffered() <= fed);
  }
  return 0;
}
