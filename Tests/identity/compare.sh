#!/usr/bin/env bash
# Compares two worth binaries' outputs byte for byte: `worth value` CSV and JSON for every
# sample × method (small budgets, seed 3, --workers 1 and 2), `worth eval`'s report, every help
# text, a set of refused inputs (their one-line message and exit status) and Monte Carlo
# sessions (shards, state files, merge, checkpoint, resume); run times are masked. A
# refactoring that must not change behaviour shows no difference; run it on a release build of
# main and of the branch:  Tests/identity/compare.sh OLD/worth NEW/worth [PATTERN]
# (PATTERN, an extended regular expression, keeps only the cases whose words match it.)
# Prints each case that differs (with a diff) and a count; exit status 1 if any differ.
set -uo pipefail
old=$(realpath "$1"); new=$(realpath "$2")
cd "$(dirname "$0")/../.."
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT

budget() {
  case $1 in
    data-oob) echo --trees 20 ;;
    tmc-shapley|beta-shapley) echo --permutations 4 ;;
    banzhaf) echo --permutations 40 ;;
    dvrl) echo --iterations 5 --batch-size 32 --hidden 8 --layers 1 ;;
    *) echo ;;
  esac
}

cases=()
for sample in iris wine penguins breast_cancer penguins_raw; do
  file="Samples/$sample.csv"; extra=""
  [ "$sample" = penguins_raw ] && extra="--missing impute"
  for method in data-oob knn-shapley loo influence self-influence tmc-shapley beta-shapley banzhaf dvrl; do
    for w in 1 2; do
      common="$file --method $method $(budget $method) --seed 3 --workers $w $extra"
      cases+=("value $common --format csv --quiet" "value $common --format json --quiet")
      cases+=("eval $common --quiet")
    done
  done
done
cases+=("--help" "help" "help value" "help eval" "help merge" "value --help" "eval --help" "merge --help")
# Refused inputs: the message and the exit status.
cases+=("value Samples/penguins_raw.csv" "value Samples/iris.csv --method nope" "value Samples/iris.csv --trees 0"
        "value Samples/iris.csv --valid-fraction 1" "value Samples/iris.csv --valid-fraction 0.6 --test-fraction 0.5"
        "value Samples/iris.csv --method loo --valid-fraction 0" "value Samples/iris.csv --method loo --resume x.json"
        "value Samples/iris.csv --method tmc-shapley --shard 3/2" "value Samples/iris.csv --seed -1"
        "value Samples/iris.csv --method tmc-shapley --utility nope" "eval Samples/iris.csv --flip 2"
        "value Samples/iris.csv --format xml" "value Samples/iris.csv --label nope" "value Samples/nope.csv"
        "value Samples/iris.csv --method influence --explain 9999" "merge" "value")
# Monte Carlo sessions: shards, their state files and merge; checkpoint and resume; --out files.
for method in tmc-shapley beta-shapley banzhaf; do
  mc="value Samples/wine.csv --method $method $(budget $method) --seed 3 --quiet"
  cases+=("$mc --shard 0/2 --state-out @DIR@/s0.json ;; $mc --shard 1/2 --state-out @DIR@/s1.json ;; merge @DIR@/s0.json @DIR@/s1.json --out @DIR@/merged.csv")
  cases+=("$mc --checkpoint @DIR@/c.json --out @DIR@/v.csv ;; $mc --resume @DIR@/c.json --out @DIR@/r.json --format json")
  cases+=("$mc --shard 0/2 --state-out @DIR@/s0.json ;; value Samples/wine.csv --method loo --resume @DIR@/s0.json ;; merge @DIR@/s0.json")
done
cases+=("value Samples/iris.csv --method data-oob --trees 5 --out @DIR@/v.json --format json --quiet ;; value Samples/iris.csv --method knn-shapley --out @DIR@/v.json")

# The one thing that may differ between runs: how long a run took.
clock='s/ in [0-9][0-9.]*(s|m[0-9]*s|h[0-9]*m)$/ in …/'
# Runs case $1 (commands separated by " ;; ", @DIR@ standing for a fresh directory) with binary
# $2 and prints what it printed, its exit status and every file it wrote there, the directory's
# path and run times masked.
run() {
  local dir; dir=$(mktemp -d "$out/run.XXXX")
  local c=${1//@DIR@/$dir} part
  while [ -n "$c" ]; do
    part=${c%% ;; *}; [ "$part" = "$c" ] && c="" || c=${c#* ;; }
    # shellcheck disable=SC2086
    "$2" $part 2>&1; echo "exit $?"
  done
  # State files are JSON objects written in no fixed key order: compared with sorted keys.
  for f in $(cd "$dir" && ls); do
    echo "== $f"
    case $f in
      *.json) python3 -c 'import json, sys
text = open(sys.argv[1]).read()
try: print(json.dumps(json.loads(text), sort_keys=True))
except ValueError: print(text)' "$dir/$f" ;;
      *) cat "$dir/$f" ;;
    esac
  done
  rm -rf "$dir"
}

differ=0
compared=0
for c in "${cases[@]}"; do
  [[ -n "${3:-}" && ! "$c" =~ $3 ]] && continue
  compared=$((compared + 1))
  run "$c" "$old" | sed -E -e "$clock" -e "s|$out/run\.[A-Za-z0-9]+|@DIR@|g" >"$out/a"
  run "$c" "$new" | sed -E -e "$clock" -e "s|$out/run\.[A-Za-z0-9]+|@DIR@|g" >"$out/b"
  if ! cmp -s "$out/a" "$out/b"; then
    differ=$((differ + 1))
    echo "differs: worth $c"
    diff "$out/a" "$out/b" | head -20 | cut -c1-300
  fi
done
echo "identity: $compared cases compared, $differ differ"
[ "$differ" -eq 0 ]
