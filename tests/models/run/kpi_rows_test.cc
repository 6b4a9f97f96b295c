#include "models/run/kpi_rows.h"

#include <gtest/gtest.h>

#include <cmath>

namespace hcesim::models {
namespace {

const KpiRow& find(const std::vector<KpiRow>& rows, const std::string& name) {
  for (const KpiRow& r : rows) {
    if (r.kpi == name) {
      return r;
    }
  }
  ADD_FAILURE() << name << " missing";
  static const KpiRow none;
  return none;
}

TEST(KpiRows, MoneyIsExactInTheCityCurrencyWithItsCodeAsUnit) {
  const Currency inr = *Currency::from_code("INR");
  RunKpis k(Time::epoch());
  k.fares_settled = Money(123405, inr);
  const auto rows = kpi_rows(k, inr);
  const KpiRow& f = find(rows, "fares_settled");
  EXPECT_EQ(f.text, "1234.05");
  EXPECT_EQ(f.unit, "INR");
  EXPECT_DOUBLE_EQ(f.value, 1234.05);
  EXPECT_EQ(find(rows, "revenue_at_risk").text, "0.00");
}

TEST(KpiRows, RefusalRateIsRefusedOverAllHceTapsAndNullWithoutTaps) {
  const Currency cny = *Currency::from_code("CNY");
  RunKpis k(Time::epoch());
  EXPECT_EQ(find(kpi_rows(k, cny), "refusal_rate").text, "null");
  EXPECT_TRUE(std::isnan(find(kpi_rows(k, cny), "refusal_rate").value));
  k.taps_accepted.add(3);
  k.taps_refused[kNoTokenRefusal].add(1);
  const auto rows = kpi_rows(k, cny);
  EXPECT_DOUBLE_EQ(find(rows, "refusal_rate").value, 0.25);
  EXPECT_EQ(find(rows, "refusal_rate").unit, "share");
  EXPECT_EQ(find(rows, "taps_refused").text, "1");
  EXPECT_EQ(find(rows, "taps_refused_no_usable_token").text, "1");
  for (const KpiRow& r : rows) {
    EXPECT_EQ(r.segment, "all") << r.kpi;
    EXPECT_FALSE(r.unit.empty()) << r.kpi;
  }
}

} // namespace
} // namespace hcesim::models
