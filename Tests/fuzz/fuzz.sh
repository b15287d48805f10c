#!/usr/bin/env bash
# libFuzzer targets for worth's readers of untrusted files, kept outside the SwiftPM build:
#   csv    CSVReader (bytes to table) and DatasetLoader (table to dataset), CSVFuzzer.swift
#   state  SemivalueState and ShardState load(data:name:) and what `worth merge` does with a state, StateFuzzer.swift
#
#   bash Tests/fuzz/fuzz.sh build            # .build/fuzz/csv and .build/fuzz/state
#   bash Tests/fuzz/fuzz.sh check            # build, then run each over its saved corpus (CI)
#   bash Tests/fuzz/fuzz.sh run csv 600      # build, then fuzz for 600 s (niced); new inputs go to
#                                            # .build/fuzz/new-csv, crashes to Tests/fuzz/crashes/
#   bash Tests/fuzz/fuzz.sh run state 600 -fork=1 -ignore_crashes=1   # more libFuzzer flags: go on past crashes
# Keep the few inputs of a run that reach code the saved corpus does not (edges, not hit counts):
#   SWIFT_BACKTRACE=enable=no .build/fuzz/csv -set_cover_merge=1 -use_counters=0 Tests/fuzz/corpus/csv .build/fuzz/new-csv
# A crash, once fixed, is saved in the corpus as a regression input (named for what it found).
#
# The build is two swiftc steps (SwiftPM compiles such a product but cannot link it: libFuzzer
# brings its own main); -enable-testing lets the state target recompute a state's checksum:
#   swiftc -O -g -parse-as-library -sanitize=fuzzer,address -enable-testing -wmo -module-name WorthEngine \
#     -emit-module -emit-module-path .build/fuzz/WorthEngine.swiftmodule -c Sources/WorthEngine/**/*.swift \
#     -o .build/fuzz/WorthEngine.o
#   swiftc -O -g -parse-as-library -sanitize=fuzzer,address -use-ld=lld -I .build/fuzz \
#     Tests/fuzz/CSVFuzzer.swift .build/fuzz/WorthEngine.o -o .build/fuzz/csv
# corpus/csv/sample-*.csv are the first lines of the Samples (origin: Samples/README.md).
# A saved crash replays with `.build/fuzz/csv FILE`; `-help=1` lists libFuzzer's flags.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.build/fuzz
flags=(-O -g -parse-as-library -sanitize=fuzzer,address)
targets=(csv state)
# Swift's own crash handler would run inside ASan's and hide the report.
export SWIFT_BACKTRACE=enable=no
# Leaks found inside the toolchain's Foundation are not ours to fix: suppressed by name (lsan.supp).
export LSAN_OPTIONS="suppressions=$PWD/Tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

build() {
  mkdir -p "$out"
  local sources
  mapfile -t sources < <(find Sources/WorthEngine -name '*.swift' | sort)
  swiftc "${flags[@]}" -enable-testing -wmo -module-name WorthEngine -emit-module -emit-module-path "$out/WorthEngine.swiftmodule" \
    -c "${sources[@]}" -o "$out/WorthEngine.o"
  swiftc "${flags[@]}" -use-ld=lld -I "$out" Tests/fuzz/CSVFuzzer.swift "$out/WorthEngine.o" -o "$out/csv"
  swiftc "${flags[@]}" -use-ld=lld -I "$out" Tests/fuzz/StateFuzzer.swift "$out/WorthEngine.o" -o "$out/state"
}

# Runs target $1 with its options (the longest input tried, the dictionary of its format) and
# the libFuzzer arguments that follow.
fuzz() {
  local t=$1; shift
  case "$t" in
    csv) "$out/csv" -max_len=4096 -dict=Tests/fuzz/csv.dict "$@" ;;
    state) "$out/state" -max_len=16384 -dict=Tests/fuzz/state.dict "$@" ;;
  esac
}

case "${1:-}" in
  build) build ;;
  check)
    build
    for t in "${targets[@]}"; do
      # -runs=0: execute every saved input once, no fuzzing.
      fuzz "$t" -runs=0 "Tests/fuzz/corpus/$t"
    done ;;
  run)
    t=${2:?which target: csv or state}
    seconds=${3:-600}
    [[ " ${targets[*]} " == *" $t "* ]] || { echo "unknown fuzz target '$t' (csv or state)" >&2; exit 2; }
    build
    mkdir -p "$out/new-$t" Tests/fuzz/crashes
    renice -n 10 $$ >/dev/null
    fuzz "$t" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix=Tests/fuzz/crashes/"$t"- \
      "${@:4}" "$out/new-$t" "Tests/fuzz/corpus/$t" ;;
  *) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
