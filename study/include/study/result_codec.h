#pragma once
// A ReplicationResult as bytes, for MPI ranks sending their runs to rank 0 (same machine or a
// cluster of the same build: integers little-endian as the host has them, doubles bit-exact).
#include "study/replication.h"

#include <optional>
#include <string>

namespace hcesim::study {

std::string encode_result(const ReplicationResult& r);
//! None when the bytes are not a whole result.
std::optional<ReplicationResult> decode_result(const std::string& bytes);

} // namespace hcesim::study
