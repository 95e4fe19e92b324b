# kneechat_test(NAME SOURCES a.cc b.cc DEPS lib1 lib2)
# A GoogleTest binary whose tests are discovered by ctest.
function(kneechat_test NAME)
  if(NOT KNEECHAT_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(T "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${NAME} ${T_SOURCES})
  target_link_libraries(${NAME} PRIVATE ${T_DEPS} GTest::gmock GTest::gtest GTest::gtest_main)
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  if("unit" IN_LIST T_LABELS AND TARGET kneechat_unit_tests)
    add_dependencies(kneechat_unit_tests ${NAME})
  endif()
  gtest_discover_tests(${NAME}
    DISCOVERY_TIMEOUT 60
    WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
    PROPERTIES LABELS "${T_LABELS}")
endfunction()

# kneechat_benchmark(NAME SOURCES a.cc DEPS lib1)
function(kneechat_benchmark NAME)
  if(NOT KNEECHAT_BUILD_BENCHMARKS)
    return()
  endif()
  cmake_parse_arguments(B "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${NAME} ${B_SOURCES})
  target_link_libraries(${NAME} PRIVATE ${B_DEPS} benchmark::benchmark benchmark::benchmark_main)
  # Stages are timed with the allocator the server runs with.
  kneechat_link_allocator(${NAME})
endfunction()

# The server allocates with jemalloc when it is installed (Debian:
# libjemalloc-dev to build, libjemalloc2 to run): a chat turn makes a few
# hundred small allocations, and with gRPC's threads taking turns at the
# calls glibc's malloc and free were nearly a quarter of the turn's
# instructions; with jemalloc the same turn takes about a sixth fewer. The
# stage benchmarks link it too, so that they time what the server runs.
# Sanitizer builds keep the sanitizer's allocator.
option(KNEECHAT_JEMALLOC "Link kneechat-server and the benchmarks with jemalloc when installed" ON)
if(KNEECHAT_JEMALLOC AND NOT KNEECHAT_SANITIZE)
  find_library(KNEECHAT_JEMALLOC_LIBRARY NAMES jemalloc libjemalloc.so.2)
  if(KNEECHAT_JEMALLOC_LIBRARY)
    message(STATUS "kneechat-server and the benchmarks allocate with ${KNEECHAT_JEMALLOC_LIBRARY}")
  else()
    message(STATUS "kneechat-server allocates with the C library's malloc "
                   "(no jemalloc found)")
  endif()
endif()

# kneechat_link_allocator(TARGET): jemalloc, when configured and found.
function(kneechat_link_allocator TARGET)
  if(KNEECHAT_JEMALLOC AND NOT KNEECHAT_SANITIZE AND KNEECHAT_JEMALLOC_LIBRARY)
    target_link_libraries(${TARGET} PRIVATE ${KNEECHAT_JEMALLOC_LIBRARY})
  endif()
endfunction()
