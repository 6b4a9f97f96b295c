#include "base/time.h"

#include <array>
#include <charconv>
#include <cstdio>

namespace hcesim {
namespace {

// frac × unit can pass 64 bits before the division by the decimal scale brings it back.
__extension__ typedef __int128 Int128;

struct Unit {
  std::string_view name;
  int64_t us;
};

constexpr std::array<Unit, 6> kUnits{{{"min", 60'000'000},
                                      {"us", 1},
                                      {"ms", 1'000},
                                      {"s", 1'000'000},
                                      {"h", 3'600'000'000},
                                      {"d", 86'400'000'000}}};

Error bad(std::string_view text, const std::string& why) {
  return Error{"", "bad duration \"" + std::string(text) + "\": " + why};
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Reads digits into value; false on overflow.
bool read_digits(std::string_view s, size_t& i, int64_t& value, int& count) {
  value = 0;
  count = 0;
  while (i < s.size() && is_digit(s[i])) {
    if (__builtin_mul_overflow(value, 10, &value) ||
        __builtin_add_overflow(value, s[i] - '0', &value)) {
      return false;
    }
    ++i;
    ++count;
  }
  return true;
}

} // namespace

Result<Duration> parse_duration(std::string_view text) {
  std::string_view s = text;
  if (s.empty()) {
    return bad(text, "empty; expected a number and a unit (us, ms, s, min, h, d), e.g. \"90s\"");
  }
  bool negative = false;
  size_t i = 0;
  if (s[0] == '-') {
    negative = true;
    i = 1;
  }
  int64_t total = 0;
  int terms = 0;
  while (i < s.size()) {
    int64_t whole = 0;
    int digits = 0;
    if (!read_digits(s, i, whole, digits)) {
      return bad(text, "number too large");
    }
    int64_t frac = 0;
    int frac_digits = 0;
    if (i < s.size() && s[i] == '.') {
      ++i;
      if (!read_digits(s, i, frac, frac_digits) || frac_digits > 12) {
        return bad(text, "too many decimal places");
      }
      if (frac_digits == 0) {
        return bad(text, "expected digits after the decimal point");
      }
    }
    if (digits == 0 && frac_digits == 0) {
      return bad(text, "expected a number at position " + std::to_string(i + 1));
    }
    // The unit is the whole run of letters after the number, looked up exactly.
    size_t unit_end = i;
    while (unit_end < s.size() && ((s[unit_end] >= 'a' && s[unit_end] <= 'z') ||
                                   (s[unit_end] >= 'A' && s[unit_end] <= 'Z'))) {
      ++unit_end;
    }
    std::string_view name = s.substr(i, unit_end - i);
    const Unit* unit = nullptr;
    for (const Unit& u : kUnits) {
      if (name == u.name) {
        unit = &u;
        break;
      }
    }
    if (unit == nullptr) {
      return bad(text, name.empty()
                           ? (i == s.size() ? "missing unit; expected one of us, ms, s, min, h, d"
                                            : "unexpected '" + std::string(1, s[i]) +
                                                  "'; expected a unit (us, ms, s, min, h, d)")
                           : "unknown unit \"" + std::string(name) +
                                 "\"; expected one of us, ms, s, min, h, d");
    }
    i += unit->name.size();
    int64_t term = 0;
    if (__builtin_mul_overflow(whole, unit->us, &term)) {
      return bad(text, "overflows 64-bit microseconds");
    }
    if (frac_digits > 0) {
      // frac / 10^frac_digits * unit must be a whole number of microseconds.
      int64_t scale = 1;
      for (int k = 0; k < frac_digits; ++k) {
        scale *= 10;
      }
      Int128 num = static_cast<Int128>(frac) * unit->us;
      if (num % scale != 0) {
        return bad(text, "not a whole number of microseconds");
      }
      if (__builtin_add_overflow(term, static_cast<int64_t>(num / scale), &term)) {
        return bad(text, "overflows 64-bit microseconds");
      }
    }
    if (__builtin_add_overflow(total, term, &total)) {
      return bad(text, "overflows 64-bit microseconds");
    }
    ++terms;
  }
  if (terms == 0) {
    return bad(text, "expected a number and a unit");
  }
  return Duration::micros(negative ? -total : total);
}

Result<Duration> parse_time_of_day(std::string_view text) {
  auto fail = [&](const std::string& why) {
    return Error{"", "bad time of day \"" + std::string(text) + "\": " + why};
  };
  int64_t parts[3] = {0, 0, 0};
  int count = 0;
  size_t i = 0;
  while (true) {
    if (count == 3) {
      return fail("expected HH:MM or HH:MM:SS");
    }
    int64_t v = 0;
    int digits = 0;
    if (!read_digits(text, i, v, digits) || digits == 0 || digits > 3) {
      return fail("expected HH:MM or HH:MM:SS");
    }
    parts[count++] = v;
    if (i == text.size()) {
      break;
    }
    if (text[i] != ':') {
      return fail("unexpected '" + std::string(1, text[i]) + "'; expected HH:MM or HH:MM:SS");
    }
    ++i;
  }
  if (count < 2) {
    return fail("expected HH:MM or HH:MM:SS");
  }
  if (parts[1] > 59 || parts[2] > 59) {
    return fail("minutes and seconds must be 00..59");
  }
  if (parts[0] > 999) {
    return fail("hours must be 0..999");
  }
  return Duration::hours(parts[0]) + Duration::minutes(parts[1]) + Duration::seconds(parts[2]);
}

Result<Time> parse_time(std::string_view text) {
  int64_t day = 0;
  std::string_view clock = text;
  if (!text.empty() && text[0] == 'd') {
    size_t space = text.find(' ');
    if (space == std::string_view::npos) {
      return Error{"", "bad time \"" + std::string(text) + "\": expected \"dN HH:MM[:SS]\""};
    }
    std::string_view num = text.substr(1, space - 1);
    auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), day);
    if (ec != std::errc() || p != num.data() + num.size() || day < 0 || day > 100'000) {
      return Error{"", "bad time \"" + std::string(text) + "\": day must be 0..100000"};
    }
    clock = text.substr(space + 1);
  }
  Result<Duration> tod = parse_time_of_day(clock);
  if (!tod) {
    return tod.error();
  }
  return Time::epoch() + Duration::days(day) + tod.value();
}

std::string format_duration(Duration d) {
  int64_t us = d.us();
  if (us == 0) {
    return "0s";
  }
  std::string sign = us < 0 ? "-" : "";
  // INT64_MIN has no positive counterpart: print it in microseconds.
  if (us == INT64_MIN) {
    return std::to_string(us) + "us";
  }
  uint64_t mag = static_cast<uint64_t>(us < 0 ? -us : us);
  static constexpr std::array<Unit, 6> kByLargest{{{"d", 86'400'000'000},
                                                   {"h", 3'600'000'000},
                                                   {"min", 60'000'000},
                                                   {"s", 1'000'000},
                                                   {"ms", 1'000},
                                                   {"us", 1}}};
  for (const Unit& u : kByLargest) {
    if (mag % static_cast<uint64_t>(u.us) == 0) {
      return sign + std::to_string(mag / static_cast<uint64_t>(u.us)) + std::string(u.name);
    }
  }
  return sign + std::to_string(mag) + "us";
}

std::string format_time_of_day(Duration d) {
  std::string sign = d.us() < 0 ? "-" : "";
  int64_t us = d.us() < 0 ? -d.us() : d.us();
  int64_t s = us / 1'000'000;
  int64_t frac = us % 1'000'000;
  char buf[64];
  if (frac == 0) {
    std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                  static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  } else {
    std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld.%06lld", static_cast<long long>(s / 3600),
                  static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60),
                  static_cast<long long>(frac));
  }
  return sign + buf;
}

std::string format_time(Time t) {
  return "d" + std::to_string(t.day()) + " " + format_time_of_day(t.time_of_day());
}

} // namespace hcesim
