# cmake -DSOURCE_DIR=<checkout> -P build_fuzz.cmake: configures (first time) and builds the `fuzz`
# preset, failing with one clear line when clang++-14 or libFuzzer is missing.
find_program(clang clang++-14)
if(NOT clang)
  message(FATAL_ERROR "fuzz tests: clang++-14 not found; run scripts/setup.sh (Debian packages "
                      "clang-14 and libclang-rt-14-dev), or configure with -DHCESIM_FUZZ_TESTS=OFF")
endif()
if(NOT EXISTS ${SOURCE_DIR}/build/fuzz/CMakeCache.txt)
  execute_process(COMMAND ${CMAKE_COMMAND} --preset fuzz WORKING_DIRECTORY ${SOURCE_DIR}
                  OUTPUT_QUIET RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "fuzz tests: `cmake --preset fuzz` failed (see above)")
  endif()
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build --preset fuzz -j 2 WORKING_DIRECTORY ${SOURCE_DIR}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "fuzz tests: building the `fuzz` preset failed (see above)")
endif()
