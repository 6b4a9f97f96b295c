# The fuzz targets as ordinary tests of the test build (label `fuzz`): a fixture configures and
# builds the `fuzz` preset into build/fuzz (clang++-14; an up-to-date build is reused), then each
# target fuzzes for a bounded time from its seeds in fuzz/corpus/<name>/. New inputs it finds go to
# a scratch folder in this build, never into the repo's corpus.
option(HCESIM_FUZZ_TESTS "Run each fuzz target briefly in ctest (needs clang-14)" ON)
set(HCESIM_FUZZ_SECONDS 15 CACHE STRING "How long each fuzz test fuzzes")
if(HCESIM_FUZZ_TESTS)
  set(fuzz_dir ${CMAKE_SOURCE_DIR}/build/fuzz)
  add_test(NAME fuzz_build
           COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${CMAKE_SOURCE_DIR} -P
                   ${CMAKE_SOURCE_DIR}/fuzz/build_fuzz.cmake)
  set_tests_properties(fuzz_build PROPERTIES FIXTURES_SETUP fuzz_build LABELS fuzz TIMEOUT 1500)
  file(GLOB fuzz_sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/fuzz/fuzz_*.cc)
  foreach(src ${fuzz_sources})
    get_filename_component(name ${src} NAME_WE)
    string(REGEX REPLACE "^fuzz_" "" corpus ${name})
    add_test(NAME ${name}
             COMMAND ${CMAKE_COMMAND} -DEXE=${fuzz_dir}/fuzz/${name}
                     -DCORPUS=${CMAKE_SOURCE_DIR}/fuzz/corpus/${corpus}
                     -DWORK=${CMAKE_BINARY_DIR}/fuzz_work/${corpus}
                     -DSECONDS=${HCESIM_FUZZ_SECONDS} -P ${CMAKE_SOURCE_DIR}/fuzz/run_fuzz.cmake)
    set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED fuzz_build LABELS fuzz TIMEOUT 300)
  endforeach()
endif()
