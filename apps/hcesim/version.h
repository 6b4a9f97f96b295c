#pragma once
// The git version baked in at build time (cmake/version.cmake).
namespace hcesim {
const char* git_version();
} // namespace hcesim
