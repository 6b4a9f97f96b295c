#pragma once
// Reads one message of the scenario field by field: applies the default of an absent field (and
// writes it back, so the resolved scenario can be printed whole), parses durations and money with
// base/, and checks each value against its range, collecting every error with its place.
#include "base/error.h"
#include "base/money.h"
#include "base/time.h"
#include "models/scenario/scenario_source.h"

#include <google/protobuf/message.h>

#include <optional>
#include <string>

namespace hcesim::models {

class ScenarioFields {
public:
  ScenarioFields(google::protobuf::Message& message, std::string path, const FieldLocator& locator,
                 Errors& errors);

  //! The nested message `name` (created if absent) as its own ScenarioFields.
  ScenarioFields nested(const std::string& name);
  //! Element `index` of the repeated message field `name`.
  ScenarioFields element(const std::string& name, int index);
  int count(const std::string& name) const;
  bool has(const std::string& name) const;

  uint32_t u32(const std::string& name, uint32_t fallback, uint32_t lo, uint32_t hi);
  uint64_t u64(const std::string& name, uint64_t fallback);
  double real(const std::string& name, double fallback, double lo, double hi, bool lo_open = false);
  bool flag(const std::string& name, bool fallback);
  //! An enum's number (already one of its values: the parsers check that); an absent one is
  //! written back as `fallback` (by default the enum's first value).
  int enumeration(const std::string& name, int fallback = 0);

  std::string text(const std::string& name, const std::string& fallback);
  Duration duration(const std::string& name, const std::string& fallback, Duration lo, Duration hi);
  Duration time_of_day(const std::string& name, const std::string& fallback);
  Money money(const std::string& name, const std::string& fallback, Currency currency, Money lo,
              Money hi);

  //! Adds an error about field `name` (or about this message when name is empty).
  void fail(const std::string& name, const std::string& what);
  std::string path_of(const std::string& name) const;

private:
  const google::protobuf::FieldDescriptor* field(const std::string& name) const;
  bool present(const google::protobuf::FieldDescriptor* f) const;

  google::protobuf::Message& message_;
  std::string path_;
  const FieldLocator& locator_;
  Errors& errors_;
};

//! A default or bound the loader writes in major units with two decimals ("2.00", "0.01") as an
//! amount of `currency`, whose minor unit may be coarser (JPY, VND: rounded up to a whole unit).
Money default_amount(const std::string& text, Currency currency);

} // namespace hcesim::models
