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
endfunction()
