#!/usr/bin/env bash
# Compares two worth binaries' outputs byte for byte: `worth value` CSV and JSON for every
# sample × method (small budgets, seed 3, --workers 1 and 2), `worth eval`'s report, every help
# text and a set of refused inputs (their one-line message and exit status); run times are
# masked. A refactoring
# that must not change behaviour shows no difference; run it on a release build of main and
# of the branch:  Tests/identity/compare.sh OLD/worth NEW/worth
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

# The one thing that may differ between runs: how long a run took.
clock='s/ in [0-9][0-9.]*(s|m[0-9]*s|h[0-9]*m)$/ in …/'
differ=0
for c in "${cases[@]}"; do
  # shellcheck disable=SC2086
  "$old" $c 2>&1 | sed -E "$clock" >"$out/a"; echo "exit ${PIPESTATUS[0]}" >>"$out/a"
  # shellcheck disable=SC2086
  "$new" $c 2>&1 | sed -E "$clock" >"$out/b"; echo "exit ${PIPESTATUS[0]}" >>"$out/b"
  if ! cmp -s "$out/a" "$out/b"; then
    differ=$((differ + 1))
    echo "differs: worth $c"
    diff "$out/a" "$out/b" | head -20
  fi
done
echo "identity: ${#cases[@]} cases compared, $differ differ"
[ "$differ" -eq 0 ]
