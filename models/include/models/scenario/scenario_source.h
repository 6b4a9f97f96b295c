#pragma once
// Reading a scenario file (protobuf text format, or JSON by its .json extension) into the schema
// message, with syntax errors at file:line:column, and finding where a field was written so later
// errors can point at it.
#include "base/error.h"
#include "proto/scenario.pb.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/text_format.h>

#include <map>
#include <memory>
#include <string>

namespace hcesim::models {

//! "one of A, B, C": an enum field's values, for errors about a value it does not take.
std::string enum_values_text(const google::protobuf::EnumDescriptor& type);

//! Where each field of a parsed scenario was written: "file:line:column", "--set k=v", or the file.
class FieldLocator {
public:
  FieldLocator() = default;
  FieldLocator(std::string file, std::unique_ptr<google::protobuf::TextFormat::ParseInfoTree> tree);
  FieldLocator(FieldLocator&&) noexcept;
  FieldLocator& operator=(FieldLocator&&) noexcept;
  ~FieldLocator();

  //! The place of a field path like "population.classes[1].share" (the deepest written part).
  std::string locate(const std::string& path) const;
  //! Records that `--set path=value` wrote the field (and everything under it).
  void note_override(const std::string& path, const std::string& text);
  const std::string& file() const { return file_; }

private:
  std::string file_;
  std::unique_ptr<google::protobuf::TextFormat::ParseInfoTree> tree_;
  std::map<std::string, std::string> overrides_;
};

//! A scenario as written, before defaults and checks.
struct ScenarioSource {
  proto::Scenario message;
  FieldLocator locator;
};

//! Reads and parses a scenario file. Every syntax error and unknown field is reported.
bool read_scenario_source(const std::string& path, ScenarioSource& out, Errors& errors);

//! Parses scenario text (what read_scenario_source does after reading), `file` naming it.
bool parse_scenario_text(const std::string& text, const std::string& file, bool json,
                         ScenarioSource& out, Errors& errors);

} // namespace hcesim::models
