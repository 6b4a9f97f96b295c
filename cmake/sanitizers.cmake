# AddressSanitizer + UBSan for the whole build (the `dev` preset and CI). UBSan stops at the first
# finding so a test cannot pass over undefined behaviour.
if(HCESIM_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
# The `fuzz` preset (clang only): every library gets libFuzzer's coverage hooks without its main;
# only the fuzz targets link -fsanitize=fuzzer (fuzz/CMakeLists.txt).
if(HCESIM_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "HCESIM_FUZZ needs clang (libFuzzer); use the `fuzz` preset (clang++-14 "
                        "from the Debian packages clang-14 and libclang-rt-14-dev)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
