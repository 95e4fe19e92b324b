#!/usr/bin/env bash
# Builds kneechat's sanitizer tree (./build-fuzz: clang, AddressSanitizer,
# UndefinedBehaviorSanitizer and libFuzzer's coverage) and runs fuzz targets.
#   deploy/fuzz.sh TARGET SECONDS   run one target (e.g. text_fuzzer)
#   deploy/fuzz.sh all SECONDS      run every target, one after the other
#   deploy/fuzz.sh build            build the fuzz targets and unit tests only
#   deploy/fuzz.sh list             name the targets
# Each run prints its executions and crashes. Crash inputs are kept in
# build-fuzz/fuzz/crashes/; replay one with
#   build-fuzz/fuzz/TARGET build-fuzz/fuzz/crashes/FILE
# Extra arguments after SECONDS go to libFuzzer (e.g. -max_len=512).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build-fuzz
jobs="$(nproc 2>/dev/null || echo 2)"

targets() {
  sed -n 's/^kneechat_fuzzer(\([a-z_]*\).*/\1/p' fuzz/CMakeLists.txt
}

build() {
  local launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  # -O1 with assertions on, so the fuzzers and sanitizers see every check;
  # line tables are enough for symbolized stacks and build faster.
  CC=clang CXX=clang++ cmake -S . -B "$dir" -DKNEECHAT_FUZZ=ON \
    -DKNEECHAT_BUILD_BENCHMARKS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" "${launcher[@]}" >/dev/null
  cmake --build "$dir" -j"$jobs" --target kneechat_fuzzers kneechat_unit_tests
}

case "${1:-}" in
  list) targets ;;
  build) build ;;
  "" | -h | --help)
    sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
  *)
    what="$1" seconds="${2:-60}"
    shift $(($# < 2 ? $# : 2))
    build
    if [ "$what" = all ]; then run=($(targets)); else run=("$what"); fi
    failed=0
    for t in "${run[@]}"; do
      fuzz/run.sh "$PWD/$dir" "$t" "$seconds" "$@" || failed=1
    done
    exit "$failed"
    ;;
esac
