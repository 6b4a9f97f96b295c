# Warnings live in an interface target that every project target links PRIVATE, so they never
# leak to consumers and generated protobuf code is not held to them.
add_library(hcesim_warnings INTERFACE)
target_compile_options(hcesim_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough
  $<$<BOOL:${HCESIM_WERROR}>:-Werror>)
option(HCESIM_WERROR "Treat warnings as errors" OFF)
