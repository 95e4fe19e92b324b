#!/usr/bin/env bash
# Runs one built fuzz target for SECONDS and prints its executions and
# crashes. Used by ctest (label fuzz) and deploy/fuzz.sh.
#   fuzz/run.sh BUILD_DIR TARGET SECONDS [more libFuzzer flags]
# The corpus the run grows is kept in BUILD_DIR/fuzz/corpus/TARGET/ (the
# seeds in fuzz/seeds/TARGET/ are only read); an input that crashes, leaks,
# times out (25 s) or exceeds 2.5 GB is written to
# BUILD_DIR/fuzz/crashes/TARGET-<kind>-<sha1>. Exit status: 0 when the run
# found nothing.
set -uo pipefail
build="$1" target="$2" seconds="$3"
shift 3
here="$(cd "$(dirname "$0")" && pwd)"
corpus="$build/fuzz/corpus/$target"
crashes="$build/fuzz/crashes"
log="$build/fuzz/logs/$target.log"
mkdir -p "$corpus" "$crashes" "$(dirname "$log")"
args=(-max_total_time="$seconds" -timeout=25 -rss_limit_mb=2560
  -print_final_stats=1 -artifact_prefix="$crashes/$target-")
case "$target" in
  connect_request_fuzzer | telegram_update_fuzzer | whatsapp_payload_fuzzer)
    dict=json ;;
  twilio_form_fuzzer | twilio_voice_fuzzer) dict=form ;;
  text_fuzzer | understanding_fuzzer) dict=text ;;
  knowledge_fuzzer) dict=textproto ;;
  *) dict="" ;;
esac
[ -n "$dict" ] && args+=(-dict="$here/dicts/$dict.dict")
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"

# libFuzzer also writes slow-unit-* files (over 10 s on a busy machine):
# kept for a look, not counted.
found_files() {
  find "$crashes" -regextype egrep -regex ".*/$target-(crash|leak|timeout|oom)-.*"
}
before=$(found_files | wc -l)
"$build/fuzz/$target" "${args[@]}" "$@" "$corpus" "$here/seeds/$target" \
  >"$log" 2>&1
status=$?
after=$(found_files | wc -l)
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
per_second=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
found=$((after - before))
if [ "$status" -ne 0 ] && [ "$found" -eq 0 ]; then found=1; fi
echo "$target: ${execs:-?} executions (${per_second:-?}/s) in ${seconds} s," \
  "$found crash(es); log $log"
if [ "$status" -ne 0 ]; then
  grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" | head -5
  found_files | tail -"$found"
  exit 1
fi
