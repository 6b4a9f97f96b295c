# The git version is baked in at build time (not configure time): a custom target rewrites
# version.cc only when `git describe` changes, so a commit without reconfiguring still shows.
set(HCESIM_VERSION_FILE ${CMAKE_BINARY_DIR}/generated/hcesim_version.cc)
add_custom_target(hcesim_version_stamp
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${CMAKE_SOURCE_DIR} -DOUT=${HCESIM_VERSION_FILE}
          -DFALLBACK=${PROJECT_VERSION} -P ${CMAKE_SOURCE_DIR}/cmake/write_version.cmake
  BYPRODUCTS ${HCESIM_VERSION_FILE}
  COMMENT "Stamping the git version")
