#include "models/scenario/json_syntax.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <map>

namespace hcesim::models {
namespace {

// Nesting past this is refused rather than recursed into (a hostile file cannot exhaust the stack).
constexpr int kMaxDepth = 256;

class JsonChecker {
public:
  JsonChecker(const std::string& file, std::string_view text) : file_(file), text_(text) {}

  Errors run() {
    skip_space();
    if (at_end() || peek() != '{') {
      fail("a scenario is one JSON object, starting with '{'");
    } else if (value(0)) {
      skip_space();
      if (!at_end()) {
        fail("unexpected text after the scenario's closing '}'");
      }
    }
    return std::move(errors_);
  }

private:
  bool at_end() const { return i_ >= text_.size(); }
  char peek() const { return text_[i_]; }
  std::string where(size_t at) const {
    size_t line = 1;
    size_t column = 1;
    for (size_t k = 0; k < at && k < text_.size(); ++k) {
      if (text_[k] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    return file_ + ":" + std::to_string(line) + ":" + std::to_string(column);
  }
  bool fail(const std::string& what) { return fail_at(i_, what); }
  bool fail_at(size_t at, const std::string& what) {
    errors_.push_back(Error{where(at), what});
    return false;
  }
  std::string found() const {
    return at_end() ? std::string("the end of the file") : "'" + std::string(1, peek()) + "'";
  }
  void skip_space() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) {
      ++i_;
    }
  }

  bool value(int depth) {
    skip_space();
    if (at_end()) {
      return fail("expected a value, found the end of the file");
    }
    if (depth > kMaxDepth) {
      return fail("nested deeper than " + std::to_string(kMaxDepth) + " levels");
    }
    switch (peek()) {
    case '{':
      return object(depth);
    case '[':
      return array(depth);
    case '"':
      return string_value(nullptr);
    case 't':
      return word("true");
    case 'f':
      return word("false");
    case 'n':
      return word("null");
    default:
      return number();
    }
  }

  bool object(int depth) {
    ++i_;                               // '{'
    std::map<std::string, size_t> keys; // key -> where it first came
    skip_space();
    if (!at_end() && peek() == '}') {
      ++i_;
      return true;
    }
    for (;;) {
      skip_space();
      if (at_end() || peek() != '"') {
        return fail(!at_end() && peek() == '}' ? "a comma before '}' (no trailing commas in JSON)"
                                               : "expected a \"key\", found " + found());
      }
      const size_t key_at = i_;
      std::string key;
      if (!string_value(&key)) {
        return false;
      }
      if (const auto [it, fresh] = keys.emplace(key, key_at); !fresh) {
        fail_at(key_at, "key \"" + key + "\" again (first at " + where(it->second) + ")");
      }
      skip_space();
      if (at_end() || peek() != ':') {
        return fail("expected ':' after \"" + key + "\", found " + found());
      }
      ++i_;
      if (!value(depth + 1)) {
        return false;
      }
      if (const Next n = next('}'); n != Next::kMore) {
        return n == Next::kClosed;
      }
    }
  }

  // After a member or element: a ',' (more follow), the closing bracket, or an error.
  enum class Next : uint8_t { kMore, kClosed, kFailed };
  Next next(char close) {
    skip_space();
    const char c = at_end() ? '\0' : peek();
    if (c == ',' || c == close) {
      ++i_;
      return c == ',' ? Next::kMore : Next::kClosed;
    }
    fail(std::string("expected ',' or '") + close + "', found " + found());
    return Next::kFailed;
  }

  bool array(int depth) {
    ++i_; // '['
    skip_space();
    if (!at_end() && peek() == ']') {
      ++i_;
      return true;
    }
    for (;;) {
      skip_space();
      if (!at_end() && peek() == ']') {
        return fail("a comma before ']' (no trailing commas in JSON)");
      }
      if (!value(depth + 1)) {
        return false;
      }
      if (const Next n = next(']'); n != Next::kMore) {
        return n == Next::kClosed;
      }
    }
  }

  bool hex4() {
    for (int k = 0; k < 4; ++k, ++i_) {
      if (at_end() || !std::isxdigit(static_cast<unsigned char>(peek()))) {
        return fail("expected four hex digits after \\u");
      }
    }
    return true;
  }

  // The key's text (escapes kept as written: keys are compared as typed).
  bool string_value(std::string* text) {
    const size_t start = i_;
    ++i_; // '"'
    while (!at_end() && peek() != '"') {
      const auto c = static_cast<unsigned char>(peek());
      if (c < 0x20) {
        return fail("a control character inside a string (write \\n, \\t, ...)");
      }
      if (c == '\\') {
        ++i_;
        if (at_end()) {
          break;
        }
        const char e = peek();
        if (e == 'u') {
          ++i_;
          if (!hex4()) {
            return false;
          }
          continue;
        }
        if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
          return fail("unknown escape \\" + std::string(1, e));
        }
      }
      ++i_;
    }
    if (at_end()) {
      return fail_at(start, "a string that never ends (no closing '\"')");
    }
    if (text != nullptr) {
      *text = std::string(text_.substr(start + 1, i_ - start - 1));
    }
    ++i_; // '"'
    return true;
  }

  bool word(std::string_view w) {
    if (text_.substr(i_, w.size()) != w) {
      return fail("expected a value, found " + found());
    }
    i_ += w.size();
    return true;
  }

  bool digits() {
    if (at_end() || !std::isdigit(static_cast<unsigned char>(peek()))) {
      return false;
    }
    while (!at_end() && std::isdigit(static_cast<unsigned char>(peek()))) {
      ++i_;
    }
    return true;
  }

  bool number() {
    const size_t start = i_;
    if (peek() == '-') {
      ++i_;
    }
    if (!at_end() && peek() == '0') {
      ++i_;
    } else if (!digits()) {
      i_ = start;
      return fail("expected a value, found " + found());
    }
    if (!at_end() && peek() == '.') {
      ++i_;
      if (!digits()) {
        return fail("expected digits after '.' in a number");
      }
    }
    if (!at_end() && (peek() == 'e' || peek() == 'E')) {
      ++i_;
      if (!at_end() && (peek() == '+' || peek() == '-')) {
        ++i_;
      }
      if (!digits()) {
        return fail("expected digits in a number's exponent");
      }
    }
    // A number past a double's range (1e400) would reach the schema as infinity, or be refused
    // by protobuf without a place.
    const std::string number(text_.substr(start, i_ - start));
    errno = 0;
    const double v = std::strtod(number.c_str(), nullptr);
    if (errno == ERANGE && std::abs(v) > 1.0) {
      return fail_at(start, "number " + number + " is out of range");
    }
    return true;
  }

  const std::string& file_;
  std::string_view text_;
  size_t i_ = 0;
  Errors errors_;
};

} // namespace

Errors check_json_syntax(const std::string& file, std::string_view text) {
  return JsonChecker(file, text).run();
}

} // namespace hcesim::models
