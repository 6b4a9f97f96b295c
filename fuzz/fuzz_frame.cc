// libFuzzer target for the live service's frame decoder: arbitrary bytes, fed in arbitrary
// chunks, must give frames within the limit or a precise error, never a crash; every frame is
// parsed as an Envelope the way the server does. Seeds: corpus/frame/.
#include "fuzz_check.h"
#include "live/frame.h"
#include "proto/live.pb.h"

#include <algorithm>
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
      FUZZ_CHECK(!frame->empty() && frame->size() <= 4096, "a frame is empty or over the limit");
      hcesim::proto::Envelope e;
      (void)e.ParseFromString(*frame);
    }
    if (!r.ok()) {
      FUZZ_CHECK(reader.failed() && !r.error().what.empty(), "a refused frame left no error");
      break;
    }
    FUZZ_CHECK(reader.buffered() <= fed, "the reader buffered more than it was fed");
  }
  return 0;
}
