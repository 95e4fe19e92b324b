# Sanitizer and fuzzing builds, each in a build directory of its own
# (deploy/fuzz.sh, deploy/test.sh).
#
# KNEECHAT_SANITIZE=ON compiles everything with AddressSanitizer and
# UndefinedBehaviorSanitizer (any UB report aborts the process, so ctest sees
# it as a failure). KNEECHAT_FUZZ=ON, which needs clang, adds libFuzzer's
# coverage instrumentation and the fuzz targets in fuzz/. The Debian
# libraries kneechat links against (protobuf, gRPC, RE2, Xapian, absl) are
# not instrumented: a bug inside them shows up only where kneechat's own
# code touches the memory.
option(KNEECHAT_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(KNEECHAT_FUZZ "Build the libFuzzer targets in fuzz/ (clang only; implies KNEECHAT_SANITIZE)" OFF)

if(KNEECHAT_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "KNEECHAT_FUZZ needs clang: configure with "
                        "-DCMAKE_CXX_COMPILER=clang++ (deploy/fuzz.sh does)")
  endif()
  set(KNEECHAT_SANITIZE ON)
endif()

if(KNEECHAT_SANITIZE)
  set(KNEECHAT_SANITIZERS address,undefined)
  add_compile_options(-fsanitize=${KNEECHAT_SANITIZERS}
                      -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${KNEECHAT_SANITIZERS})
  # vptr checks compare dynamic types across libraries; Debian's protobuf
  # and gRPC are built without the sanitizer, so they are left out.
  add_compile_options(-fno-sanitize=vptr)
endif()

if(KNEECHAT_FUZZ)
  # Coverage feedback for the fuzzer in every kneechat library; the fuzz
  # targets alone link libFuzzer's main (fuzz/CMakeLists.txt).
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

# Every GoogleTest binary labelled "unit", so a sanitizer build can make just
# those: cmake --build DIR --target kneechat_unit_tests.
add_custom_target(kneechat_unit_tests)
