# AddressSanitizer + UBSan for the whole build (the `dev` preset and CI). UBSan stops at the first
# finding so a test cannot pass over undefined behaviour.
if(HCESIM_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
