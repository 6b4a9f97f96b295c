# jemalloc (Debian's libjemalloc-dev, which scripts/setup.sh installs) as the programs' allocator:
# a city run makes tens of millions of small allocations, and glibc's malloc spent about a tenth of
# a 1 M-rider day in them (bench_city_run 1 M: 28.0 s CPU with glibc, 25.6 s with jemalloc; the
# same fingerprint). Left out under sanitizers and fuzzing, which bring their own allocator.
option(HCESIM_JEMALLOC "Link jemalloc into the executables (not under sanitizers or fuzzing)" ON)
add_library(hcesim_allocator INTERFACE)
if(HCESIM_JEMALLOC AND NOT HCESIM_SANITIZE AND NOT HCESIM_FUZZ)
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(JEMALLOC IMPORTED_TARGET jemalloc)
  if(NOT JEMALLOC_FOUND)
    message(FATAL_ERROR "jemalloc not found: run scripts/setup.sh (it installs libjemalloc-dev), "
                        "or configure with -DHCESIM_JEMALLOC=OFF for glibc's malloc")
  endif()
  target_link_libraries(hcesim_allocator INTERFACE PkgConfig::JEMALLOC)
  set(HCESIM_ALLOCATOR "jemalloc ${JEMALLOC_VERSION}")
elseif(HCESIM_SANITIZE OR HCESIM_FUZZ)
  set(HCESIM_ALLOCATOR "the sanitizers' allocator")
else()
  set(HCESIM_ALLOCATOR "glibc malloc")
endif()
message(STATUS "hcesim: programs allocate with ${HCESIM_ALLOCATOR}")
