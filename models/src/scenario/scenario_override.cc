#include "models/scenario/scenario_override.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <charconv>
#include <sstream>

namespace hcesim::models {
namespace {

namespace pb = google::protobuf;

// Swallows the parser's messages: a bad value is reported once, as our own Error (protobuf would
// otherwise log its own line to stderr).
class SilentErrors : public pb::io::ErrorCollector {
public:
  void AddError(int, pb::io::ColumnNumber, const std::string&) override {}
  void AddWarning(int, pb::io::ColumnNumber, const std::string&) override {}
};

bool parse_value(const std::string& value, const pb::FieldDescriptor* field, pb::Message* msg) {
  SilentErrors silent;
  pb::TextFormat::Parser parser;
  parser.RecordErrorsTo(&silent);
  return parser.ParseFieldValueFromString(value, field, msg);
}

std::string field_names(const pb::Descriptor* d) {
  std::string names;
  for (int i = 0; i < d->field_count(); ++i) {
    names += (i == 0 ? "" : ", ") + d->field(i)->name();
  }
  return names;
}

} // namespace

bool apply_override(const std::string& assignment, ScenarioSource& source, Errors& errors) {
  const std::string where = "--set " + assignment;
  size_t eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) {
    errors.push_back(Error{where, "expected path.to.field=value"});
    return false;
  }
  const std::string path = assignment.substr(0, eq);
  const std::string value = assignment.substr(eq + 1);
  pb::Message* msg = &source.message;
  std::stringstream ss(path);
  std::string piece;
  std::string walked;
  std::vector<std::string> pieces;
  while (std::getline(ss, piece, '.')) {
    pieces.push_back(piece);
  }
  for (size_t k = 0; k < pieces.size(); ++k) {
    std::string name = pieces[k];
    int index = -1;
    size_t open = name.find('[');
    if (open != std::string::npos) {
      if (name.back() != ']') {
        errors.push_back(Error{where, "bad index in \"" + name + "\"; expected name[N]"});
        return false;
      }
      std::string num = name.substr(open + 1, name.size() - open - 2);
      auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), index);
      if (ec != std::errc() || p != num.data() + num.size() || index < 0) {
        errors.push_back(Error{where, "bad index in \"" + name + "\"; expected name[N]"});
        return false;
      }
      name = name.substr(0, open);
    }
    const pb::Descriptor* desc = msg->GetDescriptor();
    const pb::Reflection* refl = msg->GetReflection();
    const pb::FieldDescriptor* field = desc->FindFieldByName(name);
    const std::string scope = walked.empty() ? "the scenario" : walked;
    if (field == nullptr) {
      errors.push_back(Error{where, "no field \"" + name + "\" in " + scope +
                                        " (fields: " + field_names(desc) + ")"});
      return false;
    }
    walked += (walked.empty() ? "" : ".") + pieces[k];
    const bool last = k + 1 == pieces.size();
    if (field->is_repeated() && index < 0) {
      errors.push_back(Error{where, walked + " is a list; name an element: " + walked + "[0]"});
      return false;
    }
    if (!field->is_repeated() && index >= 0) {
      errors.push_back(Error{where, name + " is not a list"});
      return false;
    }
    if (field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      if (last) {
        errors.push_back(Error{where, walked + " is a group of fields; set one of them (" +
                                          field_names(field->message_type()) + ")"});
        return false;
      }
      if (index >= 0) {
        int size = refl->FieldSize(*msg, field);
        if (index > size) {
          errors.push_back(Error{where, walked + ": index " + std::to_string(index) +
                                            " is past the end (the list has " +
                                            std::to_string(size) + "; use [" +
                                            std::to_string(size) + "] to add one)"});
          return false;
        }
        msg = index == size ? refl->AddMessage(msg, field)
                            : refl->MutableRepeatedMessage(msg, field, index);
      } else {
        msg = refl->MutableMessage(msg, field);
      }
      continue;
    }
    if (!last) {
      errors.push_back(Error{where, walked + " is a value and has no fields"});
      return false;
    }
    if (field->is_repeated() && field->cpp_type() == pb::FieldDescriptor::CPPTYPE_STRING) {
      // A list of strings (sweep values, precision KPIs): set element N, or append at the end.
      const int size = refl->FieldSize(*msg, field);
      if (index > size) {
        errors.push_back(Error{where, walked + ": index " + std::to_string(index) +
                                          " is past the end (the list has " + std::to_string(size) +
                                          ")"});
        return false;
      }
      if (index == size) {
        refl->AddString(msg, field, value);
      } else {
        refl->SetRepeatedString(msg, field, index, value);
      }
      source.locator.note_override(path, assignment);
      return true;
    }
    if (field->is_repeated()) {
      errors.push_back(
          Error{where, walked + ": lists of values cannot be set from the command line"});
      return false;
    }
    const auto t = field->cpp_type();
    const bool whole =
        t == pb::FieldDescriptor::CPPTYPE_INT32 || t == pb::FieldDescriptor::CPPTYPE_INT64 ||
        t == pb::FieldDescriptor::CPPTYPE_UINT32 || t == pb::FieldDescriptor::CPPTYPE_UINT64;
    // The text format reads "010" as octal 8 and "0x10" as 16: a whole number here is decimal.
    const std::string_view digits =
        std::string_view(value).substr(!value.empty() && value[0] == '-' ? 1 : 0);
    const bool decimal = !digits.empty() && (digits == "0" || digits[0] != '0') &&
                         digits.find_first_not_of("0123456789") == std::string_view::npos;
    if (t == pb::FieldDescriptor::CPPTYPE_STRING) {
      refl->SetString(msg, field, value);
    } else if ((whole && !decimal) || !parse_value(value, field, msg)) {
      std::string expected;
      switch (field->cpp_type()) {
      case pb::FieldDescriptor::CPPTYPE_BOOL:
        expected = "true or false";
        break;
      case pb::FieldDescriptor::CPPTYPE_ENUM:
        expected = enum_values_text(*field->enum_type());
        break;
      case pb::FieldDescriptor::CPPTYPE_DOUBLE:
      case pb::FieldDescriptor::CPPTYPE_FLOAT:
        expected = "a number";
        break;
      case pb::FieldDescriptor::CPPTYPE_UINT32:
        expected = "a decimal whole number 0..4294967295";
        break;
      case pb::FieldDescriptor::CPPTYPE_UINT64:
        expected = "a decimal whole number 0..18446744073709551615";
        break;
      default:
        expected = "a decimal whole number";
      }
      errors.push_back(Error{where, walked + ": expected " + expected + ", got \"" + value + "\""});
      return false;
    }
    source.locator.note_override(path, assignment);
    return true;
  }
  errors.push_back(Error{where, "expected path.to.field=value"});
  return false;
}

} // namespace hcesim::models
