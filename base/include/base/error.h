#pragma once
// The project's error type: what went wrong and where (file:line:column, a field path or a record),
// and Result<T>, the return value of every operation that can meet bad input from outside.
#include <cassert>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace hcesim {

struct Error {
  std::string where; //!< "file:line:column", "token_policy.offline_limit", "tap record 12", or ""
  std::string what;  //!< what was expected and what was found

  //! "where: what", or just "what" when the place is unknown.
  std::string to_string() const { return where.empty() ? what : where + ": " + what; }
  //! The same error placed inside an outer location ("scenario.txtpb:3:5" + "days").
  Error within(const std::string& outer) const {
    return Error{where.empty() ? outer : outer + ": " + where, what};
  }
};

//! Several errors reported at once (validation reports all of them, not just the first).
using Errors = std::vector<Error>;

//! A value or an Error. Expected failures are values, not exceptions (STYLE.md, errors).
template <typename T> class [[nodiscard]] Result {
public:
  Result(T value) : v_(std::move(value)) {}     // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {} // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  const Error& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }

private:
  std::variant<T, Error> v_;
};

//! Result of an operation with no value.
template <> class [[nodiscard]] Result<void> {
public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {} // NOLINT
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const {
    assert(!ok_);
    return error_;
  }

private:
  Error error_;
  bool ok_ = true;
};

//! The name in `names` nearest to `typed` (fewest single-character edits), if at most
//! `max_edits` away: the "did you mean" of an error for a misspelt field or KPI.
std::optional<std::string>
nearest_name(const std::string& typed, const std::vector<std::string>& names, size_t max_edits = 3);

//! Thrown only where bad input ends a whole operation (a CLI command): carries every error.
class InputError : public std::exception {
public:
  explicit InputError(Errors errors);
  explicit InputError(Error error) : InputError(Errors{std::move(error)}) {}
  const Errors& errors() const { return errors_; }
  const char* what() const noexcept override { return summary_.c_str(); }

private:
  Errors errors_;
  std::string summary_;
};

} // namespace hcesim
