#pragma once
// Strict JSON syntax for scenario files (RFC 8259), checked before protobuf's parser, which says
// where nothing ("Unexpected end of string") and lets a trailing comma and a repeated key through.
// Errors are "file:line:column: what", columns in bytes from 1.
#include "base/error.h"

#include <string>
#include <string_view>

namespace hcesim::models {

//! Every syntax error of `text` (at most the first, as a parser stops there) and each key repeated
//! within one object; empty when `text` is one well-formed JSON object.
Errors check_json_syntax(const std::string& file, std::string_view text);

} // namespace hcesim::models
