#pragma once
// Reads a fare rule file (proto/fare_rules.proto in protobuf text format): syntax errors name
// file:line:column.
#include "base/error.h"
#include "proto/fare_rules.pb.h"

#include <filesystem>

namespace hcesim::fare {

Result<proto::FareRules> read_fare_rule_file(const std::filesystem::path& file);

} // namespace hcesim::fare
