#include "base/money.h"

namespace hcesim {
namespace {

struct KnownCurrency {
  const char* code;
  uint8_t decimals;
};

// The currencies of the shipped data and common transit markets (ISO 4217 minor units).
constexpr KnownCurrency kKnown[] = {
    {"CNY", 2}, {"USD", 2}, {"CAD", 2}, {"INR", 2}, {"EUR", 2}, {"GBP", 2}, {"HKD", 2}, {"SGD", 2},
    {"AUD", 2}, {"CHF", 2}, {"KRW", 0}, {"JPY", 0}, {"TWD", 2}, {"MXN", 2}, {"BRL", 2}, {"ZAR", 2},
    {"SEK", 2}, {"NOK", 2}, {"DKK", 2}, {"PLN", 2}, {"NZD", 2}, {"THB", 2}, {"MYR", 2}, {"IDR", 2},
    {"PHP", 2}, {"VND", 0}, {"CLP", 0}, {"KWD", 3}, {"BHD", 3}, {"TND", 3}, {"XXX", 2}};

bool valid_code(std::string_view code) {
  if (code.size() != 3) {
    return false;
  }
  for (char c : code) {
    if (c < 'A' || c > 'Z') {
      return false;
    }
  }
  return true;
}

} // namespace

Result<Currency> Currency::from_code(std::string_view code) {
  for (const KnownCurrency& k : kKnown) {
    if (code == k.code) {
      return Currency({k.code[0], k.code[1], k.code[2]}, k.decimals);
    }
  }
  if (!valid_code(code)) {
    return Error{"", "bad currency code \"" + std::string(code) +
                         "\": expected three capital letters (ISO 4217)"};
  }
  return Error{"", "unknown currency \"" + std::string(code) +
                       "\": its minor unit is not known; declare its decimals explicitly"};
}

Result<Currency> Currency::custom(std::string_view code, int decimals) {
  if (!valid_code(code)) {
    return Error{"", "bad currency code \"" + std::string(code) +
                         "\": expected three capital letters (ISO 4217)"};
  }
  if (decimals < 0 || decimals > 4) {
    return Error{"", "currency decimals must be 0..4, got " + std::to_string(decimals)};
  }
  return Currency({code[0], code[1], code[2]}, static_cast<uint8_t>(decimals));
}

int64_t Currency::minor_per_major() const {
  int64_t m = 1;
  for (int i = 0; i < decimals_; ++i) {
    m *= 10;
  }
  return m;
}

Result<Money> Money::parse(std::string_view text, Currency currency) {
  auto fail = [&](const std::string& why) {
    return Error{"", "bad amount \"" + std::string(text) + "\": " + why};
  };
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    negative = text[i] == '-';
    ++i;
  }
  int64_t whole = 0;
  int whole_digits = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    if (__builtin_mul_overflow(whole, 10, &whole) ||
        __builtin_add_overflow(whole, text[i] - '0', &whole)) {
      return fail("too large");
    }
    ++i;
    ++whole_digits;
  }
  int64_t frac = 0;
  int frac_digits = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (frac_digits == currency.decimals()) {
        return fail(std::string(currency.code()) + " has " + std::to_string(currency.decimals()) +
                    " decimal places");
      }
      frac = frac * 10 + (text[i] - '0');
      ++i;
      ++frac_digits;
    }
    if (frac_digits == 0) {
      return fail("expected digits after the decimal point");
    }
  }
  if (i != text.size()) {
    return fail("unexpected '" + std::string(1, text[i]) + "'; expected digits like \"2.40\"");
  }
  if (whole_digits == 0 && frac_digits == 0) {
    return fail("expected digits like \"2.40\"");
  }
  for (int k = frac_digits; k < currency.decimals(); ++k) {
    frac *= 10;
  }
  int64_t minor = 0;
  if (__builtin_mul_overflow(whole, currency.minor_per_major(), &minor) ||
      __builtin_add_overflow(minor, frac, &minor)) {
    return fail("too large");
  }
  return Money(negative ? -minor : minor, currency);
}

void Money::require_same(const Money& o) const {
  if (!(currency_ == o.currency_)) {
    throw MoneyError("money of two currencies mixed: " + to_string() + " and " + o.to_string());
  }
}

Money Money::operator+(Money o) const {
  require_same(o);
  int64_t r = 0;
  if (__builtin_add_overflow(minor_, o.minor_, &r)) {
    throw MoneyError("money overflow: " + to_string() + " + " + o.to_string());
  }
  return Money(r, currency_);
}

Money Money::operator-(Money o) const {
  require_same(o);
  int64_t r = 0;
  if (__builtin_sub_overflow(minor_, o.minor_, &r)) {
    throw MoneyError("money overflow: " + to_string() + " - " + o.to_string());
  }
  return Money(r, currency_);
}

Money Money::operator-() const {
  if (minor_ == INT64_MIN) {
    throw MoneyError("money overflow: -(" + to_string() + ")");
  }
  return Money(-minor_, currency_);
}

Money Money::operator*(int64_t k) const {
  int64_t r = 0;
  if (__builtin_mul_overflow(minor_, k, &r)) {
    throw MoneyError("money overflow: " + to_string() + " * " + std::to_string(k));
  }
  return Money(r, currency_);
}

std::strong_ordering Money::operator<=>(const Money& o) const {
  require_same(o);
  return minor_ <=> o.minor_;
}

std::string Money::amount_string() const {
  // Unsigned magnitude so INT64_MIN prints correctly.
  uint64_t mag = minor_ < 0 ? 0 - static_cast<uint64_t>(minor_) : static_cast<uint64_t>(minor_);
  auto per = static_cast<uint64_t>(currency_.minor_per_major());
  std::string s = std::to_string(mag / per);
  if (currency_.decimals() > 0) {
    std::string frac = std::to_string(mag % per);
    s += '.' + std::string(static_cast<size_t>(currency_.decimals()) - frac.size(), '0') + frac;
  }
  return (minor_ < 0 ? "-" : "") + s;
}

std::string Money::to_string() const {
  return amount_string() + " " + std::string(currency_.code());
}

} // namespace hcesim
