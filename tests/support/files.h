#pragma once
// Whole files as strings, for tests that write inputs and read what a command wrote.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace hcesim::testing {

//! The file's bytes ("" when it cannot be read).
inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

//! Writes `text` to `p`, creating its folders.
inline void write_file(const std::filesystem::path& p, const std::string& text) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << text;
}

} // namespace hcesim::testing
