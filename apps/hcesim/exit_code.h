#pragma once
// The CLI's exit codes (DESIGN §3 rule 8).
namespace hcesim::cli {
constexpr int kOk = 0;
constexpr int kInternalFailure = 1;
constexpr int kBadInput = 2;
constexpr int kCheckFailed = 3; //!< `hcesim check`: an expectation failed
} // namespace hcesim::cli
