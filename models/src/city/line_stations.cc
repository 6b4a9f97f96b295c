#include "models/city/line_stations.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace hcesim::models {
namespace {

std::vector<std::string_view> split(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = line.find(',', start);
    out.push_back(line.substr(start, comma - start));
    if (comma == std::string_view::npos) {
      return out;
    }
    start = comma + 1;
  }
}

bool parse_number(std::string_view text, double& out) {
  const std::string s(text);
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return !s.empty() && end == s.c_str() + s.size() && std::isfinite(out);
}

} // namespace

Result<std::vector<LineStation>> parse_line_stations(std::string_view csv,
                                                     const std::string& source) {
  std::vector<LineStation> out;
  bool header = true;
  int line_no = 0;
  std::size_t pos = 0;
  while (pos < csv.size()) {
    std::size_t eol = csv.find('\n', pos);
    if (eol == std::string_view::npos) {
      eol = csv.size();
    }
    std::string_view line = csv.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (line.empty() || line.front() == '#') {
      continue;
    }
    const std::string where = source + ":" + std::to_string(line_no);
    const auto cols = split(line);
    if (header) {
      header = false;
      if (cols.size() != 5 || cols[0] != "seq" || cols[1] != "name") {
        return Error{where, "expected the header seq,name,km_from_previous,lat,lon"};
      }
      continue;
    }
    if (cols.size() != 5) {
      return Error{where, "expected 5 columns, got " + std::to_string(cols.size())};
    }
    double km = 0;
    double lat = 0;
    double lon = 0;
    if (!parse_number(cols[2], km) || km < 0 || km > 100) {
      return Error{where + ":3", "km_from_previous must be a number in 0..100, got \"" +
                                     std::string(cols[2]) + "\""};
    }
    if (!parse_number(cols[3], lat) || lat < -90 || lat > 90) {
      return Error{where + ":4",
                   "lat must be degrees in -90..90, got \"" + std::string(cols[3]) + "\""};
    }
    if (!parse_number(cols[4], lon) || lon < -180 || lon > 180) {
      return Error{where + ":5",
                   "lon must be degrees in -180..180, got \"" + std::string(cols[4]) + "\""};
    }
    if (cols[1].empty()) {
      return Error{where + ":2", "name must not be empty"};
    }
    if (!out.empty() && km <= 0) {
      return Error{where + ":3", "km_from_previous must be > 0 after the first station"};
    }
    out.push_back(LineStation{std::string(cols[1]),
                              out.empty() ? 0 : static_cast<uint32_t>(std::lround(km * 1000)), lat,
                              lon});
  }
  if (out.size() < 2) {
    return Error{source, "a line needs at least 2 stations, got " + std::to_string(out.size())};
  }
  return out;
}

} // namespace hcesim::models
