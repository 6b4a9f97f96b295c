#include "hce/fare/fare_rule_file.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <fstream>
#include <optional>
#include <sstream>

namespace hcesim::fare {
namespace {

class FirstError : public google::protobuf::io::ErrorCollector {
public:
  explicit FirstError(std::string file) : file_(std::move(file)) {}
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (!error_) {
      error_ =
          Error{file_ + ":" + std::to_string(line + 1) + ":" + std::to_string(column + 1), message};
    }
  }
  std::optional<Error> error_;

private:
  std::string file_;
};

} // namespace

Result<proto::FareRules> read_fare_rule_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return Error{file.string(), "cannot open fare rule file"};
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  proto::FareRules rules;
  google::protobuf::TextFormat::Parser parser;
  FirstError errors(file.string());
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(buf.str(), &rules)) {
    if (errors.error_) {
      return *errors.error_;
    }
    return Error{file.string(), "not a valid fare rule file"};
  }
  return rules;
}

} // namespace hcesim::fare
