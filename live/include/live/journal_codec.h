#pragma once
// The bytes a JournalRecord is stored as in the SQLite journal: a tag byte, then the record's
// fields at fixed width (big-endian), a tap batch in its wire encoding. Decoding validates every
// tag, enum and length and names what is wrong.
#include "base/error.h"
#include "hce/cloud/journal_record.h"

#include <string>
#include <string_view>

namespace hcesim::live {

std::string encode_record(const cloud::JournalRecord& record);
Result<cloud::JournalRecord> decode_record(std::string_view bytes);

} // namespace hcesim::live
