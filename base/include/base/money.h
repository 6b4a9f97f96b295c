#pragma once
// Money: an exact integer amount in a currency's minor units (fen, cents, paise) with the currency
// and its decimals (DESIGN §3 rule 3). Arithmetic is overflow-checked; text never passes through
// floating point.
#include "base/error.h"

#include <array>
#include <compare>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace hcesim {

//! An ISO 4217 currency: three-letter code and how many decimals its minor unit has.
class Currency {
public:
  constexpr Currency() = default;
  //! The currency for an ISO code this project knows ("CNY", "USD", "CAD", "INR", "EUR", "JPY"…).
  static Result<Currency> from_code(std::string_view code);
  //! A currency with explicit decimals (0..4), for codes outside the built-in table.
  static Result<Currency> custom(std::string_view code, int decimals);

  std::string_view code() const { return std::string_view(code_.data(), 3); }
  int decimals() const { return decimals_; }
  //! 10^decimals: minor units in one major unit.
  int64_t minor_per_major() const;
  constexpr bool operator==(const Currency&) const = default;

private:
  constexpr Currency(std::array<char, 3> code, uint8_t decimals)
      : code_(code), decimals_(decimals) {}
  std::array<char, 3> code_{{'X', 'X', 'X'}};
  uint8_t decimals_ = 2;
};

//! Raised by arithmetic that would overflow 64 bits or mixes currencies: a bug or absurd input
//! that ends the operation.
class MoneyError : public std::logic_error {
public:
  using std::logic_error::logic_error;
};

//! An amount of money; may be negative (a debt).
class Money {
public:
  constexpr Money() = default;
  constexpr Money(int64_t minor, Currency currency) : minor_(minor), currency_(currency) {}

  //! Parses "2.40", "2.4", "2", "-0.50" exactly in the currency's decimals; more decimals than the
  //! currency has, a stray character, or an overflow is an error naming the text.
  static Result<Money> parse(std::string_view text, Currency currency);

  constexpr int64_t minor() const { return minor_; }
  constexpr Currency currency() const { return currency_; }
  constexpr bool is_negative() const { return minor_ < 0; }

  Money operator+(Money o) const;
  Money operator-(Money o) const;
  Money operator-() const;
  Money operator*(int64_t k) const;
  Money& operator+=(Money o) { return *this = *this + o; }
  Money& operator-=(Money o) { return *this = *this - o; }
  bool operator==(const Money& o) const { return minor_ == o.minor_ && currency_ == o.currency_; }
  //! Ordering within one currency; comparing two currencies throws MoneyError.
  std::strong_ordering operator<=>(const Money& o) const;

  //! "2.40" (no currency code).
  std::string amount_string() const;
  //! "2.40 CNY".
  std::string to_string() const;

private:
  void require_same(const Money& o) const;
  int64_t minor_ = 0;
  Currency currency_;
};

} // namespace hcesim
