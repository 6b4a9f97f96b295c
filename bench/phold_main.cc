// `phold`: runs the PHOLD benchmark model on the engine and prints its throughput. Times are in
// seconds (converted exactly to integer microseconds). The last line is always
// `phold events=<n> seconds=<s> events_per_second=<r>`.
#include "base/time.h"
#include "phold/phold.h"

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace hcesim;
using namespace hcesim::phold;

namespace {

constexpr const char* kUsage =
    "usage: phold [--lps N] [--start K] [--remote P] [--mean M] [--lookahead L] [--end T]\n"
    "             [--seed S] [--queue heap|radix|std] [--quiet]\n"
    "  --lps N        logical processes (default 1024)\n"
    "  --start K      start events per LP (default 1)\n"
    "  --remote P     probability an event goes to a random LP, 0..1 (default 0.1)\n"
    "  --mean M       mean delay between an event and the one it schedules, seconds (default 1)\n"
    "  --lookahead L  minimum delay, seconds, <= mean (default 0.1)\n"
    "  --end T        run the events before T seconds (default 10)\n"
    "  --seed S       random seed (default 1)\n"
    "  --queue Q      heap (4-ary heap), radix (radix queue, the default) or std\n"
    "                 (a plain std::priority_queue loop, the baseline)\n"
    "  --quiet        no progress line on stderr\n";

struct BadFlag {
  std::string message;
};

uint64_t parse_unsigned(std::string_view flag, const std::string& text, uint64_t min,
                        uint64_t max) {
  errno = 0;
  char* end = nullptr;
  const unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || text[0] == '-' || *end != '\0' || errno != 0 || v < min || v > max) {
    throw BadFlag{std::string(flag) + ": expected an integer in [" + std::to_string(min) + ", " +
                  std::to_string(max) + "], got '" + text + "'"};
  }
  return v;
}

double parse_probability(std::string_view flag, const std::string& text) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !(v >= 0.0 && v <= 1.0)) {
    throw BadFlag{std::string(flag) + ": expected a probability in [0, 1], got '" + text + "'"};
  }
  return v;
}

Duration parse_seconds(std::string_view flag, const std::string& text) {
  // Exact decimal seconds through base's parser: "0.1" is 100000 us, with no rounding on the way.
  const bool plain = !text.empty() && text.find_first_not_of("0123456789.") == std::string::npos;
  if (plain) {
    Result<Duration> d = parse_duration(text + "s");
    if (d.ok()) {
      return d.value();
    }
  }
  throw BadFlag{std::string(flag) + ": expected seconds (a non-negative decimal number with at " +
                "most 6 decimals), got '" + text + "'"};
}

} // namespace

int main(int argc, char** argv) {
  PholdShape shape;
  shape.end = Time::epoch() + Duration::seconds(10);
  QueueChoice queue = QueueChoice::kRadix;
  const char* queue_name = "radix";
  bool quiet = false;
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string flag = argv[i];
      if (flag == "--help" || flag == "-h") {
        std::fputs(kUsage, stdout);
        return 0;
      }
      if (flag == "--quiet") {
        quiet = true;
        continue;
      }
      if (i + 1 >= argc) {
        throw BadFlag{flag.rfind("--", 0) == 0 ? flag + ": missing value"
                                               : "unexpected argument '" + flag + "'"};
      }
      const std::string value = argv[++i];
      if (flag == "--lps") {
        shape.lps = static_cast<uint32_t>(parse_unsigned(flag, value, 1, UINT32_MAX));
      } else if (flag == "--start") {
        shape.start = static_cast<uint32_t>(parse_unsigned(flag, value, 1, 1'000'000));
      } else if (flag == "--remote") {
        shape.remote = parse_probability(flag, value);
      } else if (flag == "--mean") {
        shape.mean = parse_seconds(flag, value);
      } else if (flag == "--lookahead") {
        shape.lookahead = parse_seconds(flag, value);
      } else if (flag == "--end") {
        shape.end = Time::epoch() + parse_seconds(flag, value);
      } else if (flag == "--seed") {
        shape.seed = parse_unsigned(flag, value, 0, UINT64_MAX);
      } else if (flag == "--queue") {
        if (value == "heap") {
          queue = QueueChoice::kHeap;
        } else if (value == "radix") {
          queue = QueueChoice::kRadix;
        } else if (value == "std") {
          queue = QueueChoice::kStd;
        } else {
          throw BadFlag{"--queue: expected heap, radix or std, got '" + value + "'"};
        }
        queue_name = argv[i];
      } else {
        throw BadFlag{"unknown flag '" + flag + "' (see phold --help)"};
      }
    }
    if (shape.mean <= Duration::zero()) {
      throw BadFlag{"--mean: must be above 0"};
    }
    if (shape.lookahead > shape.mean) {
      throw BadFlag{"--lookahead: must not exceed --mean (" + format_duration(shape.lookahead) +
                    " > " + format_duration(shape.mean) + ")"};
    }
    if (static_cast<uint64_t>(shape.lps) * shape.start > (uint64_t{1} << 31)) {
      throw BadFlag{"--lps x --start: at most 2^31 start events"};
    }
  } catch (const BadFlag& bad) {
    std::fprintf(stderr, "phold: %s\n", bad.message.c_str());
    return 2;
  }

  std::printf("phold lps=%" PRIu32 " start=%" PRIu32 " remote=%g mean=%s lookahead=%s end=%s "
              "seed=%" PRIu64 " queue=%s\n",
              shape.lps, shape.start, shape.remote, format_duration(shape.mean).c_str(),
              format_duration(shape.lookahead).c_str(),
              format_duration(shape.end.since_epoch()).c_str(), shape.seed, queue_name);
  std::fflush(stdout);
  const PholdResult r = run_phold(shape, queue, quiet);
  const double cpu_rate = r.cpu_seconds > 0 ? static_cast<double>(r.events) / r.cpu_seconds : 0.0;
  std::printf("phold fingerprint=0x%016" PRIx64 " cpu_seconds=%.3f events_per_cpu_second=%.0f\n",
              r.fingerprint, r.cpu_seconds, cpu_rate);
  const double rate = r.seconds > 0 ? static_cast<double>(r.events) / r.seconds : 0.0;
  std::printf("phold events=%" PRIu64 " seconds=%.3f events_per_second=%.0f\n", r.events, r.seconds,
              rate);
  return 0;
}
