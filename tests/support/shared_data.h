#pragma once
// Where the shared real data (GTFS feeds, published fare rules) is: $HCESIM_SHARED_DATA, else the
// folder beside the checkout. Tests that need it skip with a clear message when it is absent.
#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

namespace hcesim::testing {

inline std::filesystem::path shared_data_dir() {
  if (const char* env = std::getenv("HCESIM_SHARED_DATA"); env != nullptr && *env != '\0') {
    return env;
  }
  return HCESIM_SHARED_DATA;
}

//! The path of a shared data item, or "" when it is absent (the caller then GTEST_SKIPs).
inline std::filesystem::path shared_data(const std::string& relative) {
  std::filesystem::path p = shared_data_dir() / relative;
  return std::filesystem::exists(p) ? p : std::filesystem::path();
}

} // namespace hcesim::testing

//! Skips the current test, saying what is missing, when a shared data item is absent.
#define HCESIM_REQUIRE_SHARED_DATA(var, relative)                                                  \
  const std::filesystem::path var = ::hcesim::testing::shared_data(relative);                      \
  if (var.empty()) {                                                                               \
    GTEST_SKIP() << "shared data " << (relative) << " not found under "                            \
                 << ::hcesim::testing::shared_data_dir()                                           \
                 << " (set HCESIM_SHARED_DATA to the shared/data folder)";                         \
  }
