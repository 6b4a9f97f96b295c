#include "hcesim/command_line.h"

#include <charconv>

namespace hcesim::cli {

std::string shell_quoted(const std::string& arg) {
  const bool plain =
      !arg.empty() && arg.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                            "abcdefghijklmnopqrstuvwxyz"
                                            "0123456789_@%+=:,./-") == std::string::npos;
  if (plain) {
    return arg;
  }
  std::string q = "'";
  for (const char c : arg) {
    q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return q + "'";
}

std::string shell_command_line(const std::vector<std::string>& words) {
  std::string line;
  for (const std::string& w : words) {
    line += (line.empty() ? "" : " ") + shell_quoted(w);
  }
  return line;
}

std::string whole_number_error(const std::string& text, uint64_t low, uint64_t high) {
  uint64_t v = 0;
  const char* end = text.data() + text.size();
  const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  const auto [p, ec] = std::from_chars(text.data(), end, v);
  if (digits && ec == std::errc() && p == end && v >= low && v <= high) {
    return "";
  }
  return "expected a whole number from " + std::to_string(low) + " to " + std::to_string(high) +
         ", got \"" + text + "\"";
}

} // namespace hcesim::cli
