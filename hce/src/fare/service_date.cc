#include "hce/fare/service_date.h"

#include <cstdio>

namespace hcesim::fare {

// Howard Hinnant's days_from_civil / civil_from_days, exact for any date in range.
int32_t days_from_civil(int32_t year, uint32_t month, uint32_t day) {
  const int32_t y = year - (month <= 2 ? 1 : 0);
  const int32_t era = (y >= 0 ? y : y - 399) / 400;
  const uint32_t yoe = static_cast<uint32_t>(y - era * 400);
  const uint32_t doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const uint32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int32_t>(doe) - 719468;
}

int weekday(int32_t days) {
  // 1970-01-01 was a Thursday (3 when Monday is 0).
  int w = (days + 3) % 7;
  return w < 0 ? w + 7 : w;
}

Result<int32_t> parse_date(std::string_view text) {
  std::string digits;
  for (char c : text) {
    if (c != '-') {
      digits.push_back(c);
    }
  }
  const bool iso = text.size() == 10 && text[4] == '-' && text[7] == '-';
  const bool gtfs = text.size() == 8;
  bool ok = (iso || gtfs) && digits.size() == 8;
  for (char c : digits) {
    ok = ok && c >= '0' && c <= '9';
  }
  if (!ok) {
    return Error{"", "expected a date YYYYMMDD or YYYY-MM-DD, found \"" + std::string(text) + "\""};
  }
  const int32_t y = std::stoi(digits.substr(0, 4));
  const uint32_t m = static_cast<uint32_t>(std::stoi(digits.substr(4, 2)));
  const uint32_t d = static_cast<uint32_t>(std::stoi(digits.substr(6, 2)));
  static constexpr uint32_t kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1] || (m == 2 && d == 29 && !leap)) {
    return Error{"", "no such date \"" + std::string(text) + "\""};
  }
  return days_from_civil(y, m, d);
}

std::string format_date(int32_t days) {
  const int32_t z = days + 719468;
  const int32_t era = (z >= 0 ? z : z - 146096) / 146097;
  const uint32_t doe = static_cast<uint32_t>(z - era * 146097);
  const uint32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int32_t y = static_cast<int32_t>(yoe) + era * 400;
  const uint32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const uint32_t mp = (5 * doy + 2) / 153;
  const uint32_t d = doy - (153 * mp + 2) / 5 + 1;
  const uint32_t m = mp < 10 ? mp + 3 : mp - 9;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y + (m <= 2 ? 1 : 0), m, d);
  return buf;
}

} // namespace hcesim::fare
