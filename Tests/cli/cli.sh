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

expect_error missing-flag-value "--out needs a value" -- value "$samples/iris.csv" --out --quiet
if [ -e ./--quiet ]; then bad "--out --quiet wrote a file called --quiet"; rm -f -- ./--quiet; else ok; fi

# --- text from files never reaches the terminal raw; every error is one line --------------------
esc=$'\033'
# no_raw_control NAME FILE...: none of the files holds ESC or CSI bytes.
no_raw_control() {
  local name=$1; shift
  if grep -q "$esc" "$@" || grep -qP '\x9b' "$@" 2>/dev/null; then bad "$name: raw control characters reached the terminal: $(cat -v "$@" | head -c 300)"
  else ok; fi
}
printf 'f1,"lab\033[31mel",label\n1,2,x\n3,zz,y\n5,6,x\n7,8,y\n' > "$tmp/escheader.csv"
expect_error escaped-header 'column 2 (lab\e[31mel)' -- value "$tmp/escheader.csv"
no_raw_control escaped-header "$tmp/err"
printf 'f1,"two\nlines",label\n1,2,x\n3,zz,y\n5,6,x\n7,8,y\n' > "$tmp/nlheader.csv"
expect_error newline-header 'column 2 (two\nlines)' -- value "$tmp/nlheader.csv"
expect_error newline-path 'new\nline\nmissing.csv' -- value "$tmp/new
line
missing.csv"
printf 'f1,f2,kind\n1,2,"cat\033[2Jdog"\n2,1,"cat\033[2Jdog"\n1,1,"cat\033[2Jdog"\n2,2,"cat\033[2Jdog"\n8,9,"a\033]0;title\007b"\n9,8,"a\033]0;title\007b"\n8,8,"a\033]0;title\007b"\n9,9,"a\033]0;title\007b"\n1,2,z\n2,1,z\n1,1,z\n9,9,z\n' > "$tmp/esclabels.csv"
printf 'f1,f2,"co\033[7mlor",kind\n' > "$tmp/esctext.csv"
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do printf '%s,%s,r%s,k%s\n' $i $((i % 5)) $((i % 2)) $((i % 2)) >> "$tmp/esctext.csv"; done
"$worth" value "$tmp/esctext.csv" --method knn-shapley --out "$tmp/esctext.out" 2>"$tmp/err" >/dev/null
if grep -q 'co\\e\[7mlor' "$tmp/err"; then no_raw_control escaped-note "$tmp/err"; else bad "note with an escaped header: $(cat -v "$tmp/err")"; fi
cp "$samples/wine.csv" "$tmp/wine${esc}[31m.csv"
"$worth" eval "$tmp/wine${esc}[31m.csv" --method knn-shapley --quiet > "$tmp/eval-esc.txt" 2>"$tmp/err"
if grep -q 'wine\\e\[31m.csv' "$tmp/eval-esc.txt"; then no_raw_control eval-report "$tmp/eval-esc.txt" "$tmp/err"; else bad "eval report with an escaped path: $(cat -v "$tmp/eval-esc.txt" "$tmp/err" | head -c 300)"; fi
"$worth" value "$tmp/esclabels.csv" --method influence --valid-fraction 0.4 --quiet > "$tmp/esc-values.csv" 2>"$tmp/err"
vrow=$(awk -F, '$6 == "validation" {print $1; exit}' "$tmp/esc-values.csv")
"$worth" value "$tmp/esclabels.csv" --method influence --valid-fraction 0.4 --explain "$vrow" --quiet > "$tmp/explain-esc.txt" 2>"$tmp/err"
if grep -q '\\e\[2J\|\\e\]0;title' "$tmp/explain-esc.txt"; then no_raw_control explain-labels "$tmp/explain-esc.txt" "$tmp/err"
else bad "explain with escaped labels: $(cat -v "$tmp/explain-esc.txt" "$tmp/err" | head -c 300)"; fi
# ... while the result file keeps the labels exactly (it is data, not terminal text).
if grep -q "cat${esc}\[2Jdog" "$tmp/esc-values.csv"; then ok; else bad "result CSV does not keep labels exactly"; fi

# --- output paths: devices and FIFOs written through, links kept, inputs never overwritten -------
# Device nodes are made in $tmp, never the machine's own: a broken build would rename over them.
is_char() { [ -c "$1" ]; }
devices_safe=1   # without root a broken build cannot rename over /dev entries anyway
if [ "$(id -u)" -eq 0 ] && mknod "$tmp/null" c 1 3 && mknod "$tmp/full" c 1 7; then
  failed_before=$failed
  ln -s null "$tmp/link-to-null"
  for dest in null link-to-null; do
    if "$worth" value "$samples/iris.csv" --method knn-shapley --quiet --out "$tmp/$dest" 2>"$tmp/err" && is_char "$tmp/null" && [ -L "$tmp/link-to-null" ]
    then ok; else bad "--out $dest: device replaced or error: $(cat "$tmp/err")"; fi
  done
  expect_error full-device "no space left on device" -- value "$samples/iris.csv" --method knn-shapley --quiet --out "$tmp/full"
  if is_char "$tmp/full"; then ok; else bad "--out full device: the device was replaced"; fi
  # checkpoints and state files go through the same writer
  if "$worth" value "$samples/wine.csv" --method tmc-shapley --permutations 4 --quiet --checkpoint "$tmp/null" --state-out "$tmp/link-to-null" --out "$tmp/mc.csv" 2>"$tmp/err" \
     && is_char "$tmp/null"; then ok; else bad "--checkpoint/--state-out to a device: $(cat "$tmp/err")"; fi
  [ "$failed" -eq "$failed_before" ] || devices_safe=0
else
  echo "cli: skipping the device-node checks (needs root for mknod)"
fi
mkfifo "$tmp/fifo"
(timeout 60 cat "$tmp/fifo" > "$tmp/from-fifo") &
if "$worth" value "$samples/iris.csv" --method knn-shapley --quiet --out "$tmp/fifo" 2>"$tmp/err"; then wait; else wait; fi
if [ -p "$tmp/fifo" ] && [ "$(grep -c . "$tmp/from-fifo")" -eq 151 ]; then ok; else bad "--out FIFO: $(cat "$tmp/err")"; fi
# The machine's own /dev/null and /dev/stdout, only once the devices above stayed devices.
if [ "$devices_safe" -eq 0 ]; then bad "not trying the real /dev/null and /dev/stdout: the device checks failed"
elif "$worth" value "$samples/iris.csv" --method knn-shapley --quiet --out /dev/null 2>"$tmp/err" && [ -c /dev/null ]; then ok; else bad "--out /dev/null: $(cat "$tmp/err")"; fi
echo "first line" > "$tmp/appended"
[ "$devices_safe" -eq 1 ] && "$worth" value "$samples/iris.csv" --method knn-shapley --quiet --out /dev/stdout >> "$tmp/appended" 2>"$tmp/err"
if [ "$devices_safe" -eq 1 ] && [ "$(head -1 "$tmp/appended")" = "first line" ] && [ "$(grep -c . "$tmp/appended")" -eq 152 ]; then ok; else bad "--out /dev/stdout >> file: $(head -3 "$tmp/appended")"; fi
# A symlinked destination: the target is replaced in its own directory, the link stays.
mkdir -p "$tmp/real" "$tmp/links"
echo old > "$tmp/real/values.csv"; chmod 640 "$tmp/real/values.csv"
ln -s ../real/values.csv "$tmp/links/values.csv"
if "$worth" value "$samples/iris.csv" --method knn-shapley --quiet --out "$tmp/links/values.csv" 2>"$tmp/err" \
   && [ -L "$tmp/links/values.csv" ] && [ "$(grep -c . "$tmp/real/values.csv")" -eq 151 ] \
   && [ "$(stat -c %a "$tmp/real/values.csv")" = 640 ] && [ -z "$(ls -A "$tmp/real" | grep '\.tmp$')" ]; then ok
else bad "--out through a symlink: $(ls -la "$tmp/real" "$tmp/links"; cat "$tmp/err")"; fi
expect_error trailing-slash "ends in /" -- value "$samples/iris.csv" --method knn-shapley --out "$tmp/real/"
expect_error missing-directory "does not exist" -- value "$samples/iris.csv" --method knn-shapley --out "$tmp/nowhere/v.csv"
# A stale temporary file of a writer that died before its rename is cleaned up.
touch "$tmp/real/.values.csv.99999999.abc.tmp"
"$worth" value "$samples/iris.csv" --method knn-shapley --quiet --out "$tmp/real/values.csv" 2>/dev/null
if [ -e "$tmp/real/.values.csv.99999999.abc.tmp" ]; then bad "a stale temporary file stays"; else ok; fi
# A full file system (a 16 KiB tmpfs, where mounting is allowed) says so.
mkdir -p "$tmp/small"
if mount -t tmpfs -o size=16k tmpfs "$tmp/small" 2>/dev/null; then
  expect_error full-disk "no space left on device" -- value "$samples/breast_cancer.csv" --method knn-shapley --quiet --out "$tmp/small/v.csv"
  if [ -z "$(ls -A "$tmp/small")" ]; then ok; else bad "a full disk left files behind: $(ls -A "$tmp/small")"; fi
  umount "$tmp/small"
else
  echo "cli: skipping the full-disk check (cannot mount a tmpfs here)"
fi
# The temporary file is flushed before the rename and the directory after it.
if command -v strace >/dev/null 2>&1; then
  strace -f -e trace=fsync,rename -o "$tmp/trace" "$worth" value "$samples/iris.csv" --method knn-shapley --quiet --out "$tmp/synced.csv" 2>/dev/null
  order=$(grep -oE 'fsync|rename\(' "$tmp/trace" | tr -d '(' | tr '\n' ' ')
  if [ "$order" = "fsync rename fsync " ]; then ok; else bad "fsync, rename, fsync expected, got: $order"; fi
else
  echo "cli: skipping the fsync check (no strace)"
fi
# Outputs naming an input are refused before any work, the input untouched.
cp "$samples/wine.csv" "$tmp/in.csv"; ln "$tmp/in.csv" "$tmp/in-hard.csv"; ln -s in.csv "$tmp/in-soft.csv"
cp "$samples/wine.csv" "$tmp/valid.csv"
for alias in in.csv in-hard.csv in-soft.csv; do
  expect_error "out-is-input-$alias" "is the data file" -- value "$tmp/in.csv" --method knn-shapley --out "$tmp/$alias"
done
expect_error out-is-valid "is the --valid file" -- value "$tmp/in.csv" --valid "$tmp/valid.csv" --method knn-shapley --out "$tmp/valid.csv"
expect_error out-is-test "is the --test file" -- eval "$tmp/in.csv" --test "$tmp/valid.csv" --method knn-shapley --out "$tmp/valid.csv"
expect_error checkpoint-is-data "is the data file" -- value "$tmp/in.csv" --method tmc-shapley --checkpoint "$tmp/in-soft.csv"
echo '{}' > "$tmp/ck-in.json"
expect_error out-is-resume "is the --resume file" -- value "$tmp/in.csv" --method tmc-shapley --resume "$tmp/ck-in.json" --out "$tmp/ck-in.json"
echo old > "$tmp/same.out"
expect_error checkpoint-is-out "are the same file" -- value "$tmp/in.csv" --method tmc-shapley --out "$tmp/same.out" --checkpoint "$tmp/same.out"
if cmp -s "$tmp/in.csv" "$samples/wine.csv" && cmp -s "$tmp/valid.csv" "$samples/wine.csv" && [ "$(cat "$tmp/ck-in.json")" = '{}' ]; then ok
else bad "an input was changed by a refused run"; fi

# --- numbers near the largest double, runs that value nothing, interrupts -------------------------
python3 - "$tmp" <<'PY'
import random, sys
random.seed(1)
big, small = ["f1,f2,label"], ["f1,f2,label"]
for i in range(40):
    side = 1 if i % 2 else -1
    f1 = side * 1.7e308 * (0.5 + random.random() / 2)
    f2 = random.random()
    label = "a" if side > 0 else "b"
    big.append(f"{f1!r},{f2!r},{label}")
    small.append(f"{f1 * 2.0 ** -1000!r},{f2!r},{label}")   # exactly the same numbers, scaled down
open(sys.argv[1] + "/big.csv", "w").write("\n".join(big) + "\n")
open(sys.argv[1] + "/scaled.csv", "w").write("\n".join(small) + "\n")
PY
for method in influence self-influence loo data-oob; do
  extra=""; [ $method = data-oob ] && extra="--trees 50"
  # shellcheck disable=SC2086
  "$worth" value "$tmp/big.csv" --method $method $extra --quiet > "$tmp/big.out" 2>"$tmp/err"; status=$?
  # shellcheck disable=SC2086
  "$worth" value "$tmp/scaled.csv" --method $method $extra --quiet > "$tmp/scaled.out" 2>/dev/null
  empty=$(awk -F, 'NR > 1 && $6 == "" && $3 == ""' "$tmp/big.out" | wc -l)
  if [ $status -ne 0 ] || [ "$empty" -ne 0 ]; then bad "features near 1.7e308, $method: exit $status, $empty valued rows without a value $(head -c 200 "$tmp/err")"
  elif ! cmp -s "$tmp/big.out" "$tmp/scaled.out"; then bad "features near 1.7e308, $method: values differ from the same data scaled down"
  else ok; fi
done
echo old > "$tmp/kept.csv"
expect_error valued-nothing "valued no row" -- value "$samples/wine.csv" --method tmc-shapley --max-seconds 0.001 --quiet --out "$tmp/kept.csv"
if [ "$(cat "$tmp/kept.csv")" = old ]; then ok; else bad "a run that valued nothing replaced the older --out"; fi
# Ctrl-C or SIGTERM at any moment of a 20,000-row Data-OOB: 128 + signal, one line, the older
# --out intact (or replaced whole by the estimate so far).
python3 -c "
import random
random.seed(5)
print('a,b,c,d,label')
for i in range(20000):
    l = i % 2
    print(','.join(f'{random.gauss(l, 1):.4f}' for _ in range(4)) + f',{l}')
" > "$tmp/rows20k.csv"
for sig in INT TERM; do
  for delay in 0.15 0.3 0.6 1.2; do
    echo old > "$tmp/kept.csv"
    "$worth" value "$tmp/rows20k.csv" --quiet --out "$tmp/kept.csv" 2>"$tmp/err" & pid=$!
    sleep $delay; kill -$sig $pid; wait $pid; status=$?
    want=130; [ $sig = TERM ] && want=143
    kept=$(cat "$tmp/kept.csv" | head -1)
    if [ $status -ne $want ]; then bad "SIG$sig after ${delay}s: exit $status, wanted $want: $(head -c 300 "$tmp/err")"
    elif [ "$(grep -c . "$tmp/err")" -ne 1 ]; then bad "SIG$sig after ${delay}s: not one line: $(head -c 300 "$tmp/err")"
    elif [ "$kept" != old ] && [ "$(grep -c . "$tmp/kept.csv")" -ne 20001 ]; then bad "SIG$sig after ${delay}s: --out damaged"
    else ok; fi
  done
done

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
# In-Run Data Shapley: one training run finds wine's flipped labels (AUROC 1.000 at seed 2)
if "$worth" eval "$samples/wine.csv" --method in-run-shapley --flip 0.1 --seed 2 --quiet > "$tmp/eval.txt" 2>"$tmp/err" \
   && awk '/^  AUROC/ {found = 1; good = ($2 >= 0.95)} END {exit !(found && good)}' "$tmp/eval.txt"; then ok; else bad "eval wine in-run-shapley: $(cat "$tmp/err" "$tmp/eval.txt" | head -c 400)"; fi
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
# A checkpoint continued in place: --checkpoint may be the --resume state it extends.
# shellcheck disable=SC2086
"$worth" $mc0 --permutations 12 --checkpoint "$tmp/inplace.json" > /dev/null 2>&1
# shellcheck disable=SC2086
if "$worth" $mc --resume "$tmp/inplace.json" --checkpoint "$tmp/inplace.json" > "$tmp/inplace.csv" 2>"$tmp/err" \
   && cmp -s "$tmp/single.csv" "$tmp/inplace.csv" && grep -q '"completed":\[\[0,24\]\]' "$tmp/inplace.json"; then ok
else bad "resuming a checkpoint in place: $(head -c 300 "$tmp/err")"; fi
expect_error resume-other-seed "seed 7, not 8" -- value "$samples/wine.csv" --method tmc-shapley --permutations 24 --rhat 0 --seed 8 --quiet --resume "$tmp/ck.json"
expect_error checkpoint-wrong-method "--checkpoint applies to tmc-shapley, beta-shapley, banzhaf, not loo" -- value "$samples/wine.csv" --method loo --checkpoint "$tmp/ck-loo.json"

# Damaged state files: one line naming the file and the fault, exit 2, never a trap.
damage() {  # damage KIND IN OUT
  python3 - "$@" <<'PY'
import base64, json, sys
kind, src, dst = sys.argv[1:4]
d = json.load(open(src))
p = d["statistics"]["positive"]
if kind == "flip":          # one base64 character of the sums
    s = list(p["sums"]); s[88] = "B" if s[88] == "A" else "A"; p["sums"] = "".join(s)
elif kind == "completed":   # claims 10^18 permutations
    d["completed"] = [[0, 10**18]]
elif kind == "counts":      # overflowed the moments (SIGILL before)
    p["counts"][0] = 2**63 - 1; p["counts"][178] = 2**63 - 1
elif kind == "sums":        # the largest 128-bit sum (SIGILL before)
    b = bytearray(base64.b64decode(p["sums"])); b[0:16] = (2**127 - 1).to_bytes(16, "little"); p["sums"] = base64.b64encode(bytes(b)).decode()
elif kind == "layout":      # a row pointing past the valued rows (index out of range before)
    d["input"]["layout"]["rows"][0]["valued"] = 10**6
elif kind == "truncated":
    open(dst, "w").write(open(src).read()[:200]); sys.exit()
json.dump(d, open(dst, "w"))
PY
}
for kind in flip completed counts sums layout truncated; do
  damage $kind "$tmp/part1.json" "$tmp/damaged.json"
  expect_error "merge-damaged-$kind" "damaged.json: " -- merge "$tmp/damaged.json" "$tmp/part0.json" "$tmp/part2.json" --quiet
  # shellcheck disable=SC2086
  expect_error "resume-damaged-$kind" "damaged.json: " -- $mc --shard 1/3 --resume "$tmp/damaged.json"
done

# --- every other method but dvrl: shards merge to one run, CSV and JSON byte for byte ---------
for m in "data-oob --trees 20" knn-shapley loo influence self-influence; do
  name=${m%% *}
  # shellcheck disable=SC2086
  "$worth" value "$samples/wine.csv" --method $m --seed 7 --quiet > "$tmp/one-$name.csv" 2>"$tmp/err"
  # shellcheck disable=SC2086
  "$worth" value "$samples/wine.csv" --method $m --seed 7 --quiet --format json > "$tmp/one-$name.json" 2>>"$tmp/err"
  for k in 0 1 2; do
    # shellcheck disable=SC2086
    "$worth" value "$samples/wine.csv" --method $m --seed 7 --quiet --shard $k/3 --state-out "$tmp/$name-$k.json" > /dev/null 2>>"$tmp/err"
  done
  parts=("$tmp/$name-2.json" "$tmp/$name-0.json" "$tmp/$name-1.json")   # in any order
  if "$worth" merge "${parts[@]}" --quiet > "$tmp/merged-$name.csv" 2>>"$tmp/err" \
     && "$worth" merge "${parts[@]}" --quiet --format json > "$tmp/merged-$name.json" 2>>"$tmp/err" \
     && cmp -s "$tmp/one-$name.csv" "$tmp/merged-$name.csv" && cmp -s "$tmp/one-$name.json" "$tmp/merged-$name.json"; then ok
  else bad "$name: shard + merge differs from one run: $(head -c 300 "$tmp/err")"; fi
done
# More shards than trees: an empty shard succeeds, and the parts still make the one run.
"$worth" value "$samples/wine.csv" --method data-oob --trees 2 --seed 7 --quiet > "$tmp/oob2.csv" 2>"$tmp/err"
for k in 0 1 2; do
  "$worth" value "$samples/wine.csv" --method data-oob --trees 2 --seed 7 --quiet --shard $k/3 --state-out "$tmp/oob2-$k.json" > /dev/null 2>>"$tmp/err" \
    || bad "data-oob shard $k/3 of 2 trees failed: $(head -c 300 "$tmp/err")"
done
if "$worth" merge "$tmp/oob2-0.json" "$tmp/oob2-1.json" "$tmp/oob2-2.json" --quiet --state-out "$tmp/oob2-merged.json" > "$tmp/oob2-merged.csv" 2>>"$tmp/err" \
   && cmp -s "$tmp/oob2.csv" "$tmp/oob2-merged.csv" && "$worth" merge "$tmp/oob2-merged.json" --quiet | cmp -s - "$tmp/oob2.csv"; then ok
else bad "an empty shard: $(head -c 300 "$tmp/err")"; fi
expect_error merge-missing-shard "loo-0.json: rows 47..<94 of 0..<142 are in no part (shard 1/3 not given or not finished)" -- merge "$tmp/loo-0.json" "$tmp/loo-2.json"
expect_error merge-mixed-methods "knn-shapley-1.json: does not belong with $tmp/loo-0.json: made with method knn-shapley, not loo" -- merge "$tmp/loo-0.json" "$tmp/knn-shapley-1.json" "$tmp/loo-2.json"
expect_error merge-repeated-shard "is shard 0/3 again" -- merge "$tmp/loo-0.json" "$tmp/loo-0.json"
expect_error merge-mixed-kinds "part1.json: is not a state of the same method as $tmp/loo-0.json" -- merge "$tmp/loo-0.json" "$tmp/part1.json"
"$worth" value "$samples/wine.csv" --method loo --score accuracy --seed 7 --quiet --shard 1/3 --state-out "$tmp/loo-acc-1.json" > /dev/null 2>&1
expect_error merge-other-parameters "made with parameters model=logistic score=accuracy, not model=logistic score=logloss" -- merge "$tmp/loo-0.json" "$tmp/loo-acc-1.json" "$tmp/loo-2.json"
sed 's/"seed":7/"seed":8/' "$tmp/data-oob-1.json" > "$tmp/oob-damaged.json"
expect_error merge-damaged-shard-state "oob-damaged.json: damaged state file: the checksum does not match" -- merge "$tmp/data-oob-0.json" "$tmp/oob-damaged.json" "$tmp/data-oob-2.json"
expect_error dvrl-shard "dvrl cannot run as --shard K/N" -- value "$samples/wine.csv" --method dvrl --shard 0/2
if "$worth" value --help | grep -q "not dvrl or in-run-shapley, which cannot be split" && "$worth" merge --help | grep -q "Every method but dvrl and in-run-shapley splits"; then ok
else bad "--help does not say which methods shard"; fi

# --- influence: explain one validation prediction ---------------------------------------------
if "$worth" value "$samples/wine.csv" --method influence --explain 7 --quiet > "$tmp/explain.txt" 2>"$tmp/err" \
   && grep -q "^Validation row 7" "$tmp/explain.txt" && grep -q "^helped" "$tmp/explain.txt"; then ok; else bad "explain: $(cat "$tmp/err")"; fi
expect_error explain-not-validation "not a validation row" -- value "$samples/wine.csv" --method influence --explain 12

# --- bench: a method on generated data, and the same data as a file -----------------------------
if "$worth" bench knn-shapley --rows 400 --features 5 --workers 1 --format json > "$tmp/bench.json" 2>"$tmp/err" \
   && python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['valued_rows']==320 and d['validation_rows']==80 and d['done']==80 and d['peak_mib']>0 and len(d['values_fingerprint'])==16" "$tmp/bench.json"
then ok; else bad "bench knn-shapley: $(cat "$tmp/err")"; fi
"$worth" bench knn-shapley --rows 400 --features 5 --workers 2 --format json > "$tmp/bench2.json" 2>/dev/null
if python3 -c "import json,sys; a,b=(json.load(open(p)) for p in sys.argv[1:]); assert a['values_fingerprint']==b['values_fingerprint']" "$tmp/bench.json" "$tmp/bench2.json"
then ok; else bad "bench: 1 and 2 workers differ"; fi
if "$worth" bench generate --rows 300 --features 4 --seed 2 --out "$tmp/gen.csv" 2>"$tmp/err" && [ "$(grep -c . "$tmp/gen.csv")" -eq 301 ] \
   && "$worth" value "$tmp/gen.csv" --method data-oob --trees 10 --quiet > /dev/null 2>>"$tmp/err"; then ok; else bad "bench generate: $(cat "$tmp/err")"; fi
# bench generate writes as every output does: through a link to its target, through a device.
ln -s gen-target.csv "$tmp/gen-link.csv"
if "$worth" bench generate --rows 50 --out "$tmp/gen-link.csv" 2>"$tmp/err" && [ -L "$tmp/gen-link.csv" ] \
   && [ "$(grep -c . "$tmp/gen-target.csv")" -eq 51 ]; then ok; else bad "bench generate replaced a link: $(cat "$tmp/err")"; fi
if mknod "$tmp/gen-null" c 1 3 2>/dev/null; then
  if "$worth" bench generate --rows 50 --out "$tmp/gen-null" 2>"$tmp/err" && [ -c "$tmp/gen-null" ]; then ok
  else bad "bench generate replaced a device: $(cat "$tmp/err")"; fi
fi
if "$worth" bench --help | grep -q "not for valuing data"; then ok; else bad "bench --help does not say what it is for"; fi
expect_error bench-unknown-method "give one method" -- bench magic --rows 10

# --- describe: the file as the loader sees it ------------------------------------------------------
if "$worth" describe "$samples/penguins_raw.csv" > "$tmp/describe.txt" 2>"$tmp/err" \
   && grep -q "344 rows, 8 columns; label label (3 classes)" "$tmp/describe.txt" \
   && grep -qE "^  bill_length_mm +numeric +2 +32.1 +43.92.* 59.6 +164" "$tmp/describe.txt" \
   && grep -q "classes: Adelie 152, Gentoo 124, Chinstrap 68" "$tmp/describe.txt" \
   && grep -q "missing drop would leave out 11 rows (data rows 4, 9, 10, 11, 12, 48, 179, 219, 257, 269, …)" "$tmp/describe.txt" \
   && grep -q "missing impute would fill 19 cells" "$tmp/describe.txt"
then ok; else bad "describe table: $(cat "$tmp/describe.txt" "$tmp/err")"; fi
if "$worth" describe "$samples/penguins_raw.csv" --label island --format json > "$tmp/describe.json" 2>"$tmp/err" \
   && python3 -c "
import json,sys
d=json.load(open(sys.argv[1]))
assert d['rows']==344 and d['label']=='island' and len(d['columns'])==8, d
assert d['classes']==[{'value':'Biscoe','count':168},{'value':'Dream','count':124},{'value':'Torgersen','count':52}], d['classes']
bill=d['columns'][1]
assert bill['kind']=='numeric' and bill['missing']==2 and bill['min']==32.1 and bill['max']==59.6, bill
species=d['columns'][7]
assert species['kind']=='text' and species['most_frequent'][0]=={'value':'Adelie','count':152}, species
assert len(d['rows_with_missing'])==11 and d['rows_with_missing_label']==[] and d['imputed_cells']==19
" "$tmp/describe.json"
then ok; else bad "describe json: $(cat "$tmp/err")"; fi
printf 'a,label\n1,x\n2,\n,y\n' > "$tmp/nolabel.csv"
if "$worth" describe "$tmp/nolabel.csv" 2>"$tmp/err" | grep -q "1 rows have no label (data rows 2), which only --missing drop accepts"
then ok; else bad "describe: a missing label is not said"; fi
expect_error describe-ragged "ragged.csv, line 3" -- describe "$tmp/ragged.csv"
expect_error describe-unknown-label 'has no column "nope"' -- describe "$samples/iris.csv" --label nope
expect_error describe-format "--format takes table or json" -- describe "$samples/iris.csv" --format csv
expect_error describe-no-file "no data file given" -- describe
if "$worth" help describe | grep -q "as \`worth value\` would load it"; then ok; else bad "describe --help"; fi
# --- saved runs: value --save-run, worth runs -----------------------------------------------------
cp "$samples/iris.csv" "$tmp/runs.csv"
if "$worth" runs "$tmp/runs.csv" 2>"$tmp/err" | grep -qx "no runs saved beside $tmp/runs.csv"; then ok; else bad "runs: nothing saved yet: $(cat "$tmp/err")"; fi
if "$worth" value "$tmp/runs.csv" --method knn-shapley --save-run --out "$tmp/runs-values.csv" 2>"$tmp/err" \
   && grep -q "saved the run to $tmp/runs.csv.worth-runs/.*-knn-shapley-[0-9a-f]*\.json" "$tmp/err" \
   && [ "$(ls "$tmp/runs.csv.worth-runs" | wc -l)" = 1 ]; then ok; else bad "value --save-run: $(cat "$tmp/err")"; fi
"$worth" value "$tmp/runs.csv" --method data-oob --trees 50 --flip 0.1 --save-run --quiet --out "$tmp/runs-values2.csv"
"$worth" runs "$tmp/runs.csv" > "$tmp/runs.txt" 2>"$tmp/err"
if [ $? = 0 ] && grep -qE "knn-shapley +defaults +0 +0.0 +120 .* completed" "$tmp/runs.txt" \
   && grep -qE "data-oob +trees=50 +0 +0.1 +150 .* completed +0\.[0-9]{3}" "$tmp/runs.txt" && [ ! -s "$tmp/err" ]; then ok
else bad "runs lists both: $(cat "$tmp/runs.txt" "$tmp/err")"; fi
echo 'not json' > "$tmp/runs.csv.worth-runs/damaged.json"
echo "7.0,3.0,5.0,1.0,versicolor" >> "$tmp/runs.csv"
"$worth" runs "$tmp/runs.csv" > "$tmp/runs.txt" 2>"$tmp/err"
if [ $? = 0 ] && [ "$(grep -c "stale: saved for another version of the file" "$tmp/runs.txt")" = 2 ] \
   && [ "$(grep -c . "$tmp/err")" = 1 ] && grep -q "unreadable run: $tmp/runs.csv.worth-runs/damaged.json: not a worth run file" "$tmp/err"; then ok
else bad "runs: stale and damaged: $(cat "$tmp/runs.txt" "$tmp/err")"; fi
expect_error save-run-shard "--save-run saves a whole run, not a shard" -- value "$tmp/runs.csv" --method tmc-shapley --shard 0/2 --save-run
expect_error runs-no-file "no data file given" -- runs

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
