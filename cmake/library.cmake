# hcesim_library(NAME LINKS ...): one library per top folder. Sources are every .cc under src/,
# headers sit under include/<name>/, and only that include folder is exposed: this is the wall
# between rooms (DESIGN §3 rule 2). A target sees another room's headers only by linking it.
function(hcesim_library name)
  cmake_parse_arguments(ARG "" "" "LINKS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/src/*.cc)
  if(NOT sources)
    # A room with headers only so far.
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE ${CMAKE_CURRENT_SOURCE_DIR}/include)
    target_link_libraries(${name} INTERFACE ${ARG_LINKS})
    return()
  endif()
  add_library(${name} STATIC ${sources})
  target_include_directories(${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include)
  target_link_libraries(${name} PUBLIC ${ARG_LINKS} PRIVATE hcesim_warnings)
endfunction()

# hcesim_test_suite(NAME LINKS ...): the *_test.cc files of a tests/ folder become one quick
# executable, *_slow_test.cc files another labelled `slow` (skipped by `ctest -LE slow`).
function(hcesim_test_suite name)
  cmake_parse_arguments(ARG "" "" "LINKS" ${ARGN})
  file(GLOB_RECURSE all CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cc)
  set(quick ${all})
  list(FILTER quick EXCLUDE REGEX "_slow_test\\.cc$")
  set(slow ${all})
  list(FILTER slow INCLUDE REGEX "_slow_test\\.cc$")
  foreach(kind quick slow)
    if(${kind})
      set(exe test_${name}_${kind})
      add_executable(${exe} ${${kind}})
      target_link_libraries(${exe} PRIVATE ${ARG_LINKS} test_support GTest::gtest_main GTest::gmock
                            hcesim_warnings)
      target_compile_definitions(${exe} PRIVATE HCESIM_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
      gtest_discover_tests(${exe} DISCOVERY_TIMEOUT 120 PROPERTIES LABELS ${kind})
    endif()
  endforeach()
endfunction()
