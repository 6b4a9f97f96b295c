#pragma once
// FUZZ_CHECK: a property a fuzz target asserts on every input. Unlike assert it stays on in any
// build, and libFuzzer reports the abort as a crash with the input that broke the property.
#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond, what)                                                                     \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      std::fprintf(stderr, "%s:%d: property broken: %s (%s)\n", __FILE__, __LINE__, what, #cond);  \
      std::abort();                                                                                \
    }                                                                                              \
  } while (false)
