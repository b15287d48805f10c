#!/usr/bin/env bash
# End-to-end checks of the headless command line: every method on every bundled sample, and
# every kind of bad input giving its one-line error with exit status 2 (never a stack trace).
# Usage: Tests/cli/cli.sh [path/to/worth]   (default .build/debug/worth)
set -u
worth=${1:-.build/debug/worth}
samples=$(cd "$(dirname "$0")/../../Samples" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

# expect_error NAME EXPECTED_SUBSTRING -- ARGS...: exit 2, one line on stderr containing the text.
expect_error() {
  local name=$1 want=$2; shift 3
  "$worth" "$@" >"$tmp/out" 2>"$tmp/err"; local status=$?
  local lines; lines=$(grep -c . "$tmp/err")
  if [ "$status" -ne 2 ]; then bad "$name: exit $status, wanted 2 ($(head -c 300 "$tmp/err"))"
  elif ! grep -qF -- "$want" "$tmp/err"; then bad "$name: stderr lacks '$want': $(head -c 300 "$tmp/err")"
  elif [ "$lines" -ne 1 ]; then bad "$name: $lines lines on stderr, wanted 1: $(head -c 300 "$tmp/err")"
  else ok; fi
}

# --- bad input -------------------------------------------------------------------------------
printf 'a,b,label\n1,2,x\n3,4\n5,6,y\n' > "$tmp/ragged.csv"
expect_error ragged "ragged.csv, line 3" -- value "$tmp/ragged.csv"
printf 'a,b,label\n1,2,x\n3,zz,y\n5,6,x\n7,8,y\n' > "$tmp/text.csv"
expect_error non-numeric 'line 3, column 2 (b)' -- value "$tmp/text.csv"
printf 'a,b,label\n1,2,x\n3,NA,y\n5,6,x\n7,8,y\n' > "$tmp/na.csv"
expect_error missing 'line 3, column 2 (b)' -- value "$tmp/na.csv"
: > "$tmp/empty.csv"
expect_error empty "empty.csv" -- value "$tmp/empty.csv"
printf 'a,b,label\n' > "$tmp/header.csv"
expect_error header-only "header.csv" -- value "$tmp/header.csv"
printf 'a,b,label\n1,2,x\n3,4,x\n5,6,x\n' > "$tmp/oneclass.csv"
expect_error one-class "oneclass.csv" -- value "$tmp/oneclass.csv"
printf 'a,b,label\n1,2,x\n3,4,x\n5,6,y\n' > "$tmp/singleton.csv"
expect_error class-with-one-row "singleton.csv" -- value "$tmp/singleton.csv"
expect_error unknown-label "nope" -- value "$samples/iris.csv" --label nope
expect_error no-such-file "missing.csv" -- value "$tmp/missing.csv"
head -c 2000 "$worth" > "$tmp/binary.csv"
expect_error binary "binary.csv" -- value "$tmp/binary.csv"
expect_error unknown-flag "--bogus" -- value "$samples/iris.csv" --bogus 3
expect_error unknown-method "unknown method" -- value "$samples/iris.csv" --method magic
expect_error wrong-parameter "does not apply" -- value "$samples/iris.csv" --method knn-shapley --trees 5
expect_error bad-number "--flip" -- value "$samples/iris.csv" --flip 2
expect_error raw-penguins "penguins_raw.csv, line" -- value "$samples/penguins_raw.csv"

# --- every method on every sample ------------------------------------------------------------
params() {
  case $1 in
    data-oob) echo "--trees 40" ;;
    tmc-shapley|beta-shapley) echo "--permutations 20" ;;
    banzhaf) echo "--permutations 100" ;;
    dvrl) echo "--iterations 20" ;;
    *) echo "" ;;
  esac
}
methods=$("$worth" help | sed -n '/^Methods:/,/^$/p' | awk 'NF && $1 != "Methods:" {print $1}')
for sample in iris wine breast_cancer penguins penguins_raw; do
  extra=""; [ $sample = penguins_raw ] && extra="--missing drop"
  rows=$(($(grep -c . "$samples/$sample.csv") - 1))
  for method in $methods; do
    # shellcheck disable=SC2046
    if ! "$worth" value "$samples/$sample.csv" --method "$method" $(params "$method") $extra --seed 3 --quiet \
        --out "$tmp/v.csv" 2>"$tmp/err"; then
      bad "value $sample $method: $(head -c 300 "$tmp/err")"; continue
    fi
    lines=$(($(grep -c . "$tmp/v.csv") - 1))
    if [ "$lines" -ne "$rows" ]; then bad "value $sample $method: $lines rows out, file has $rows"; continue; fi
    if ! head -1 "$tmp/v.csv" | grep -q '^row,label,value,stderr,rank,held_out'; then bad "value $sample $method: header $(head -1 "$tmp/v.csv")"; continue; fi
    ok
  done
done

# --- eval, JSON, determinism -----------------------------------------------------------------
if "$worth" eval "$samples/wine.csv" --method data-oob --trees 60 --flip 0.1 --seed 2 --quiet > "$tmp/eval.txt" 2>"$tmp/err" \
   && grep -q "AUROC" "$tmp/eval.txt" && grep -q "Point removal" "$tmp/eval.txt"; then ok; else bad "eval wine: $(cat "$tmp/err")"; fi
if "$worth" value "$samples/iris.csv" --method data-oob --trees 30 --format json --quiet > "$tmp/v.json" 2>"$tmp/err" \
   && python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert len(d['rows'])==150 and d['method']=='data-oob'" "$tmp/v.json"; then ok
else bad "json output: $(cat "$tmp/err")"; fi
"$worth" value "$samples/wine.csv" --method data-oob --trees 50 --seed 5 --workers 1 --quiet > "$tmp/w1.csv" 2>/dev/null
"$worth" value "$samples/wine.csv" --method data-oob --trees 50 --seed 5 --workers 2 --quiet > "$tmp/w2.csv" 2>/dev/null
if cmp -s "$tmp/w1.csv" "$tmp/w2.csv"; then ok; else bad "1 and 2 workers differ"; fi

# --- Monte Carlo: shards merge to the single run; a resumed run equals an uninterrupted one ---
mc0="value $samples/wine.csv --method tmc-shapley --rhat 0 --seed 7 --quiet"
mc="$mc0 --permutations 24"
# shellcheck disable=SC2086
"$worth" $mc > "$tmp/single.csv" 2>"$tmp/err"
for k in 0 1 2; do
  # shellcheck disable=SC2086
  "$worth" $mc --shard $k/3 --state-out "$tmp/part$k.json" > /dev/null 2>>"$tmp/err"
done
if "$worth" merge "$tmp/part0.json" "$tmp/part1.json" "$tmp/part2.json" --quiet > "$tmp/merged.csv" 2>>"$tmp/err" \
   && cmp -s "$tmp/single.csv" "$tmp/merged.csv"; then ok; else bad "shard + merge differs from one run: $(head -c 300 "$tmp/err")"; fi
"$worth" merge "$tmp/part0.json" "$tmp/part2.json" > /dev/null 2>"$tmp/err"
if grep -q "8..<16 are missing" "$tmp/err"; then ok; else bad "merge with a missing shard does not warn: $(cat "$tmp/err")"; fi
# shellcheck disable=SC2086
"$worth" $mc0 --permutations 12 --checkpoint "$tmp/ck.json" > /dev/null 2>&1
# shellcheck disable=SC2086
if "$worth" $mc --resume "$tmp/ck.json" > "$tmp/resumed.csv" 2>"$tmp/err" && cmp -s "$tmp/single.csv" "$tmp/resumed.csv"; then ok
else bad "resume differs from one run: $(head -c 300 "$tmp/err")"; fi
expect_error resume-other-seed "seed 7, not 8" -- value "$samples/wine.csv" --method tmc-shapley --permutations 24 --rhat 0 --seed 8 --quiet --resume "$tmp/ck.json"
expect_error shard-wrong-method "applies to the Monte Carlo methods" -- value "$samples/wine.csv" --method knn-shapley --shard 0/2

# --- influence: explain one validation prediction ---------------------------------------------
if "$worth" value "$samples/wine.csv" --method influence --explain 7 --quiet > "$tmp/explain.txt" 2>"$tmp/err" \
   && grep -q "^Validation row 7" "$tmp/explain.txt" && grep -q "^helped" "$tmp/explain.txt"; then ok; else bad "explain: $(cat "$tmp/err")"; fi
expect_error explain-not-validation "not a validation row" -- value "$samples/wine.csv" --method influence --explain 12

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
