#pragma once
// The command line as text: for run manifests (`command_line`), quoted so that pasting it into a
// POSIX shell runs the same command, and strict whole-number options.
#include <cstdint>
#include <string>
#include <vector>

namespace hcesim::cli {

//! `arg` as one POSIX shell word: unchanged when it holds only characters no shell treats
//! specially, else in single quotes (a ' inside written as '\'').
std::string shell_quoted(const std::string& arg);

//! The words joined by spaces, each shell_quoted.
std::string shell_command_line(const std::vector<std::string>& words);

//! Empty when `text` is a decimal whole number from `low` to `high` (digits only: no sign, space,
//! 0x or fraction), else what is wrong, e.g. "expected a whole number from 0 to 10, got \"-1\"".
std::string whole_number_error(const std::string& text, uint64_t low, uint64_t high);

} // namespace hcesim::cli
