#pragma once
// Time and Duration: integer microseconds, never floating point (DESIGN §3 rule 3). Time counts
// from the epoch of its context (a simulation's day 0 00:00, or Unix time in the live service).
#include "base/error.h"

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace hcesim {

//! A signed span of time in microseconds.
class Duration {
public:
  constexpr Duration() = default;
  static constexpr Duration micros(int64_t us) { return Duration(us); }
  static constexpr Duration millis(int64_t ms) { return Duration(ms * 1'000); }
  static constexpr Duration seconds(int64_t s) { return Duration(s * 1'000'000); }
  static constexpr Duration minutes(int64_t m) { return Duration(m * 60'000'000); }
  static constexpr Duration hours(int64_t h) { return Duration(h * 3'600'000'000); }
  static constexpr Duration days(int64_t d) { return Duration(d * 86'400'000'000); }
  static constexpr Duration zero() { return Duration(0); }
  static constexpr Duration max() { return Duration(INT64_MAX); }

  constexpr int64_t us() const { return us_; }
  //! Seconds as a double, for statistics and display only (never for state).
  constexpr double to_seconds() const { return static_cast<double>(us_) / 1e6; }

  constexpr auto operator<=>(const Duration&) const = default;
  constexpr Duration operator+(Duration o) const { return Duration(us_ + o.us_); }
  constexpr Duration operator-(Duration o) const { return Duration(us_ - o.us_); }
  constexpr Duration operator-() const { return Duration(-us_); }
  constexpr Duration operator*(int64_t k) const { return Duration(us_ * k); }
  constexpr Duration operator/(int64_t k) const { return Duration(us_ / k); }
  constexpr int64_t operator/(Duration o) const { return us_ / o.us_; }
  constexpr Duration operator%(Duration o) const { return Duration(us_ % o.us_); }
  constexpr Duration& operator+=(Duration o) {
    us_ += o.us_;
    return *this;
  }
  constexpr Duration& operator-=(Duration o) {
    us_ -= o.us_;
    return *this;
  }

private:
  constexpr explicit Duration(int64_t us) : us_(us) {}
  int64_t us_ = 0;
};

//! An instant: microseconds since the context's epoch.
class Time {
public:
  constexpr Time() = default;
  static constexpr Time from_us(int64_t us) { return Time(us); }
  static constexpr Time epoch() { return Time(0); }
  static constexpr Time max() { return Time(INT64_MAX); }

  constexpr int64_t us() const { return us_; }
  constexpr Duration since_epoch() const { return Duration::micros(us_); }
  //! Whole days since the epoch (floor), and the time of day within that day.
  constexpr int64_t day() const { return floor_div(us_, Duration::days(1).us()); }
  constexpr Duration time_of_day() const {
    return Duration::micros(us_ - day() * Duration::days(1).us());
  }

  constexpr auto operator<=>(const Time&) const = default;
  constexpr Time operator+(Duration d) const { return Time(us_ + d.us()); }
  constexpr Time operator-(Duration d) const { return Time(us_ - d.us()); }
  constexpr Duration operator-(Time o) const { return Duration::micros(us_ - o.us_); }
  constexpr Time& operator+=(Duration d) {
    us_ += d.us();
    return *this;
  }

private:
  constexpr explicit Time(int64_t us) : us_(us) {}
  static constexpr int64_t floor_div(int64_t a, int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
  }
  int64_t us_ = 0;
};

//! Parses a duration with a unit: "250us", "20ms", "90s", "15min", "24h", "7d", "1.5h", "-30s",
//! or several terms "1h30min". A fraction must come to a whole microsecond. Errors name the text.
Result<Duration> parse_duration(std::string_view text);

//! Parses a time of day "HH:MM" or "HH:MM:SS" (hours may pass 24, as GTFS allows: "25:10").
Result<Duration> parse_time_of_day(std::string_view text);

//! Parses an instant "HH:MM[:SS]" on day 0, or "dN HH:MM[:SS]" on day N.
Result<Time> parse_time(std::string_view text);

//! Shortest exact text for a duration in the largest unit that divides it ("24h", "90s", "-5ms").
std::string format_duration(Duration d);

//! "HH:MM:SS" plus ".ffffff" when not a whole second (hours may pass 24).
std::string format_time_of_day(Duration d);

//! "dN HH:MM:SS[.ffffff]": round-trips through parse_time.
std::string format_time(Time t);

} // namespace hcesim
