#include "base/money.h"

#include <gtest/gtest.h>

using namespace hcesim;

namespace {
Currency cny() {
  return Currency::from_code("CNY").value();
}
} // namespace

TEST(Money, ParsesDecimalTextExactly) {
  EXPECT_EQ(Money::parse("2.40", cny())->minor(), 240);
  EXPECT_EQ(Money::parse("2.4", cny())->minor(), 240);
  EXPECT_EQ(Money::parse("2", cny())->minor(), 200);
  EXPECT_EQ(Money::parse("0.01", cny())->minor(), 1);
  EXPECT_EQ(Money::parse("-0.50", cny())->minor(), -50);
  // 0.1 + 0.2 is not 0.3 in binary floating point; here it is.
  EXPECT_EQ(*Money::parse("0.1", cny()) + *Money::parse("0.2", cny()), *Money::parse("0.3", cny()));
  // A large amount that a double cannot hold exactly.
  EXPECT_EQ(Money::parse("90071992547409.93", cny())->minor(), 9007199254740993);
}

TEST(Money, RespectsTheCurrencyDecimals) {
  Currency jpy = Currency::from_code("JPY").value();
  EXPECT_EQ(Money::parse("170", jpy)->minor(), 170);
  auto r = Money::parse("1.5", jpy);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().what, "bad amount \"1.5\": JPY has 0 decimal places");
  auto three = Money::parse("2.405", cny());
  ASSERT_FALSE(three.ok());
  EXPECT_EQ(three.error().what, "bad amount \"2.405\": CNY has 2 decimal places");
}

TEST(Money, BadTextGivesAPreciseError) {
  EXPECT_EQ(Money::parse("2,40", cny()).error().what,
            "bad amount \"2,40\": unexpected ','; expected digits like \"2.40\"");
  EXPECT_FALSE(Money::parse("", cny()).ok());
  EXPECT_FALSE(Money::parse(".", cny()).ok());
  EXPECT_FALSE(Money::parse("2.", cny()).ok());
  EXPECT_FALSE(Money::parse("1e3", cny()).ok());
  EXPECT_EQ(Money::parse("999999999999999999999", cny()).error().what,
            "bad amount \"999999999999999999999\": too large");
  EXPECT_EQ(Money::parse("92233720368547758.08", cny()).error().what,
            "bad amount \"92233720368547758.08\": too large");
}

TEST(Money, PrintsWithTheCurrencyDecimals) {
  EXPECT_EQ(Money(240, cny()).to_string(), "2.40 CNY");
  EXPECT_EQ(Money(-5, cny()).amount_string(), "-0.05");
  EXPECT_EQ(Money(INT64_MIN, cny()).amount_string(), "-92233720368547758.08");
  EXPECT_EQ(Money(7, Currency::from_code("KWD").value()).amount_string(), "0.007");
}

TEST(Money, ArithmeticIsOverflowChecked) {
  Money max(INT64_MAX, cny());
  EXPECT_THROW(max + Money(1, cny()), MoneyError);
  EXPECT_THROW(Money(INT64_MIN, cny()) - Money(1, cny()), MoneyError);
  EXPECT_THROW(-Money(INT64_MIN, cny()), MoneyError);
  EXPECT_THROW(max * 2, MoneyError);
  EXPECT_EQ((Money(240, cny()) * 3).minor(), 720);
}

TEST(Money, MixingCurrenciesIsRefused) {
  Money usd(100, Currency::from_code("USD").value());
  EXPECT_THROW(Money(100, cny()) + usd, MoneyError);
  EXPECT_THROW((void)(Money(100, cny()) < usd), MoneyError);
  EXPECT_FALSE(Money(100, cny()) == usd);
}

TEST(Currency, UnknownAndMalformedCodesAreErrors) {
  EXPECT_NE(Currency::from_code("QQQ").error().what.find("unknown currency"), std::string::npos);
  EXPECT_NE(Currency::from_code("cny").error().what.find("three capital letters"),
            std::string::npos);
  EXPECT_EQ(Currency::custom("QQQ", 3)->decimals(), 3);
  EXPECT_FALSE(Currency::custom("QQQ", 9).ok());
}
