#include "models/scenario/scenario_source.h"

#include "models/scenario/json_syntax.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <vector>

namespace hcesim::models {
namespace {

namespace pb = google::protobuf;

// protobuf says `Message type "hcesim.proto.TokenPolicy" has no field named "lifetim".`: add the
// field it most likely meant.
std::string spelling_hint(const std::string& message) {
  const std::string type_mark = "Message type \"";
  const std::string field_mark = "has no field named \"";
  const size_t t = message.find(type_mark);
  const size_t f = message.find(field_mark);
  if (t == std::string::npos || f == std::string::npos) {
    return "";
  }
  const size_t t0 = t + type_mark.size();
  const size_t f0 = f + field_mark.size();
  const std::string type = message.substr(t0, message.find('"', t0) - t0);
  const std::string field = message.substr(f0, message.find('"', f0) - f0);
  const pb::Descriptor* d = pb::DescriptorPool::generated_pool()->FindMessageTypeByName(type);
  if (d == nullptr) {
    return "";
  }
  std::vector<std::string> names;
  for (int i = 0; i < d->field_count(); ++i) {
    names.push_back(d->field(i)->name());
  }
  const std::optional<std::string> near = nearest_name(field, names);
  return near ? " (did you mean \"" + *near + "\"?)" : "";
}

// protobuf says `Unknown enumeration value of "SIGNIFICANT" for field "interval".`: add the values
// the field takes, and the one most likely meant. The field is found by name among the scenario's
// messages; a name two enum types share gets no hint.
std::string enum_hint(const std::string& message) {
  const std::string value_mark = "Unknown enumeration value of \"";
  const std::string field_mark = "\" for field \"";
  const size_t v = message.find(value_mark);
  const size_t f = message.find(field_mark);
  if (v == std::string::npos || f == std::string::npos || f < v) {
    return "";
  }
  const size_t v0 = v + value_mark.size();
  const size_t f0 = f + field_mark.size();
  const std::string value = message.substr(v0, f - v0);
  const std::string field = message.substr(f0, message.find('"', f0) - f0);
  const pb::EnumDescriptor* type = nullptr;
  std::vector<const pb::Descriptor*> todo{proto::Scenario::descriptor()};
  std::set<const pb::Descriptor*> seen;
  while (!todo.empty()) {
    const pb::Descriptor* d = todo.back();
    todo.pop_back();
    if (!seen.insert(d).second) {
      continue;
    }
    for (int i = 0; i < d->field_count(); ++i) {
      const pb::FieldDescriptor* fd = d->field(i);
      if (fd->message_type() != nullptr) {
        todo.push_back(fd->message_type());
      }
      if (fd->name() == field && fd->enum_type() != nullptr) {
        if (type != nullptr && type != fd->enum_type()) {
          return "";
        }
        type = fd->enum_type();
      }
    }
  }
  if (type == nullptr) {
    return "";
  }
  std::vector<std::string> names;
  for (int i = 0; i < type->value_count(); ++i) {
    names.push_back(type->value(i)->name());
  }
  // Values are upper case; one the typed text begins (SIGNIFICANT) is meant before a near one.
  std::string typed = value;
  std::transform(typed.begin(), typed.end(), typed.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  std::vector<std::string> begun;
  std::copy_if(names.begin(), names.end(), std::back_inserter(begun),
               [&typed](const std::string& n) { return !typed.empty() && n.starts_with(typed); });
  const std::optional<std::string> near =
      begun.size() == 1 ? std::optional<std::string>(begun.front()) : nearest_name(typed, names);
  return " (" + (near ? "did you mean \"" + *near + "\"? " : std::string()) +
         enum_values_text(*type) + ")";
}

// Collects protobuf's text-format errors (0-based line and column) as our errors.
class TextErrors : public pb::io::ErrorCollector {
public:
  TextErrors(const std::string& file, Errors& errors) : file_(file), errors_(errors) {}
  void AddError(int line, int column, const std::string& message) override {
    errors_.push_back(
        Error{file_ + ":" + std::to_string(line + 1) + ":" + std::to_string(column + 1),
              message + spelling_hint(message) + enum_hint(message)});
  }
  void AddWarning(int line, int column, const std::string& message) override {
    AddError(line, column, message);
  }

private:
  const std::string& file_;
  Errors& errors_;
};

struct PathPart {
  std::string name;
  int index = -1; // -1: not a repeated element
};

std::vector<PathPart> split_path(const std::string& path) {
  std::vector<PathPart> parts;
  std::stringstream ss(path);
  std::string piece;
  while (std::getline(ss, piece, '.')) {
    PathPart p;
    size_t open = piece.find('[');
    if (open != std::string::npos && piece.back() == ']') {
      p.name = piece.substr(0, open);
      p.index = std::atoi(piece.substr(open + 1, piece.size() - open - 2).c_str());
    } else {
      p.name = piece;
    }
    parts.push_back(p);
  }
  return parts;
}

} // namespace

std::string enum_values_text(const pb::EnumDescriptor& type) {
  std::string text;
  for (int i = 0; i < type.value_count(); ++i) {
    text += (i == 0 ? "one of " : ", ") + type.value(i)->name();
  }
  return text;
}

FieldLocator::FieldLocator(std::string file, std::unique_ptr<pb::TextFormat::ParseInfoTree> tree)
    : file_(std::move(file)), tree_(std::move(tree)) {}
FieldLocator::FieldLocator(FieldLocator&&) noexcept = default;
FieldLocator& FieldLocator::operator=(FieldLocator&&) noexcept = default;
FieldLocator::~FieldLocator() = default;

void FieldLocator::note_override(const std::string& path, const std::string& text) {
  overrides_[path] = text;
}

std::string FieldLocator::locate(const std::string& path) const {
  // An override of this field or of a message above it wins.
  for (const auto& [set_path, text] : overrides_) {
    if (path == set_path || path.rfind(set_path + ".", 0) == 0 ||
        path.rfind(set_path + "[", 0) == 0) {
      return "--set " + text;
    }
  }
  if (!tree_) {
    return file_;
  }
  const pb::Descriptor* desc = proto::Scenario::descriptor();
  const pb::TextFormat::ParseInfoTree* tree = tree_.get();
  std::string best = file_;
  for (const PathPart& part : split_path(path)) {
    if (desc == nullptr || tree == nullptr) {
      break;
    }
    const pb::FieldDescriptor* field = desc->FindFieldByName(part.name);
    if (field == nullptr) {
      break;
    }
    int index = field->is_repeated() ? (part.index < 0 ? 0 : part.index) : -1;
    pb::TextFormat::ParseLocation loc = tree->GetLocation(field, index);
    if (loc.line < 0) {
      break;
    }
    best = file_ + ":" + std::to_string(loc.line + 1) + ":" + std::to_string(loc.column + 1);
    if (field->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      break;
    }
    tree = tree->GetTreeForNested(field, index);
    desc = field->message_type();
  }
  // A rule over a whole message (class shares adding up to 1) can fail by an override of one of
  // its fields: name those too, or the file's line is blamed for a value typed on the command line.
  std::string below;
  for (const auto& [set_path, text] : overrides_) {
    if (set_path.rfind(path + ".", 0) == 0 || set_path.rfind(path + "[", 0) == 0) {
      below += (below.empty() ? " (with --set " : ", --set ") + text;
    }
  }
  return below.empty() ? best : best + below + ")";
}

namespace {

// protobuf's JSON errors end with the text near the fault and a caret under it, on lines of their
// own: one line for the user ("... (near: 1000)"), as every other error.
std::string one_line(const std::string& message) {
  const size_t nl = message.find('\n');
  if (nl == std::string::npos) {
    return message;
  }
  std::string near = message.substr(nl + 1);
  near = near.substr(0, near.find('\n'));
  return message.substr(0, nl) + (near.empty() ? "" : " (near: " + near + ")");
}

} // namespace

bool parse_scenario_text(const std::string& text, const std::string& file, bool json,
                         ScenarioSource& out, Errors& errors) {
  out.message.Clear();
  if (json) {
    // Syntax first, with places: protobuf's parser names none and takes a trailing comma or a
    // repeated key (the later value silently winning).
    if (Errors syntax = check_json_syntax(file, text); !syntax.empty()) {
      errors.insert(errors.end(), syntax.begin(), syntax.end());
      return false;
    }
    pb::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    auto status = pb::util::JsonStringToMessage(text, &out.message, options);
    if (!status.ok()) {
      errors.push_back(
          Error{file, "bad JSON scenario: " + one_line(std::string(status.message()))});
      return false;
    }
    out.locator = FieldLocator(file, nullptr);
    return true;
  }
  auto tree = std::make_unique<pb::TextFormat::ParseInfoTree>();
  TextErrors collector(file, errors);
  pb::TextFormat::Parser parser;
  parser.RecordErrorsTo(&collector);
  parser.WriteLocationsTo(tree.get());
  size_t before = errors.size();
  bool ok = parser.ParseFromString(text, &out.message);
  if (!ok && errors.size() == before) {
    errors.push_back(Error{file, "the scenario could not be parsed"});
  }
  out.locator = FieldLocator(file, std::move(tree));
  return ok;
}

bool read_scenario_source(const std::string& path, ScenarioSource& out, Errors& errors) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    errors.push_back(Error{path, "cannot read the scenario file (missing or unreadable)"});
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string content = text.str();
  if (content.rfind("\xEF\xBB\xBF", 0) == 0) {
    content.erase(0, 3); // a UTF-8 byte-order mark some editors write: not part of the scenario
  }
  bool json = path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0;
  return parse_scenario_text(content, path, json, out, errors);
}

} // namespace hcesim::models
