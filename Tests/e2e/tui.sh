#!/usr/bin/env bash
# End-to-end test of the terminal workbench, driven through tmux as a person would use it:
# open Samples/iris.csv, pick Data-OOB, wait for the run to finish, open a row's details, flag
# the lowest 10%, export, quit; then check the exported files, the saved flags, what the screen
# showed; run Data-OOB then KNN-Shapley, quit, reopen: both runs listed with their stop reasons,
# not rerun; relabel the lowest row with l, export a corrected dataset, undo; open Samples/penguins_raw.csv and drop its rows with missing cells from the label
# picker; flags that cannot be saved (shown, asked about, saved elsewhere); a damaged flags
# file; exports of a CR-only file; escaped text from a hostile header; a 10,000-column file
# that must not block the keys; a 300,000-row file loaded in the background (its progress, help
# and Esc while it loads) and the ranked table of a run of it paged; a 10-class, 64-feature file with help at 80x24 and 160x50; a
# run paused (the CPU idle, its count still) and resumed, Ctrl-C and a quit question on a
# small terminal during it, Ctrl-Z and fg; and check that the terminal is given back on quit,
# on SIGTERM, and refused without a terminal.
#
#   Tests/e2e/tui.sh [BINARY]   (after `swift build`; default .build/debug/worth)
#
# Prints one line per check and a final `N passed, M failed`; exits non-zero on any failure.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-${WORTH_BIN:-$root/.build/debug/worth}}
[ -e "$bin" ] && bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
command -v tmux >/dev/null || { echo "tui.sh: tmux is missing (apt-get install -y tmux)"; echo "0 passed, 1 failed"; exit 1; }
[ -x "$bin" ] || { echo "tui.sh: $bin not built (run swift build)"; echo "0 passed, 1 failed"; exit 1; }

work=$(mktemp -d)
session="worth-e2e-$$"
passed=0 failed=0
cleanup() { tmux kill-session -t "$session" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cp "$root/Samples/iris.csv" "$work/iris.csv"

check() { # check NAME COMMAND...
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name"; fi
}
screen() { tmux capture-pane -p -t "$session" 2>/dev/null; }
wait_for() { # wait_for TEXT SECONDS: true once the screen shows TEXT
  local deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    screen | grep -qF -- "$1" && return 0
    sleep 0.2
  done
  echo "---- screen while waiting for '$1' ----"; screen; echo "----"
  return 1
}
keys() { tmux send-keys -t "$session" "$@"; sleep 0.3; }
start() { # start ARGS...: run worth in a fresh 120x40 session in $work
  start_sized 120 40 "$@"
}
start_sized() { # start_sized COLUMNS ROWS ARGS...: run worth in a fresh session of that size
  local columns=$1 rows=$2; shift 2
  new_session "$columns" "$rows" "cd $work && LANG=C.UTF-8 $(printf '%q ' "$bin" "$@"); echo \$? > $work/status; sleep 60"
}
new_session() { # new_session COLUMNS ROWS COMMAND: a fresh session running COMMAND
  tmux kill-session -t "$session" 2>/dev/null
  rm -f "$work/status"
  # A new session can race the exit of the server the last one left: try again.
  for _ in 1 2 3 4 5; do
    tmux new-session -d -s "$session" -x "$1" -y "$2" "$3" 2>/dev/null && tmux has-session -t "$session" 2>/dev/null && return 0
    sleep 0.5
  done
  echo "tui.sh: cannot start a tmux session"
}
resize() { tmux resize-window -t "$session" -x "$1" -y "$2"; sleep 0.5; }
worth_pid() { pgrep -P "$(tmux display -p -t "$session" '#{pane_pid}')" | head -1; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
exited() { # exited SECONDS: true once worth has exited
  local deadline=$((SECONDS + $1))
  while [ $SECONDS -lt $deadline ]; do [ -s "$work/status" ] && return 0; sleep 0.2; done
  return 1
}
choose_method() { # choose_method TITLE: moves down the Method screen's list until TITLE is shown
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    screen | grep -q "┌─ $1 ─" && return 0
    keys j
  done
}
alternate_off() { [ "$(tmux display -p -t "$session" '#{alternate_on}')" = 0 ]; }

# --- the whole job -------------------------------------------------------------------------
start iris.csv
check "label picker shows the header" wait_for "Which column holds the class label" 20
keys Enter
check "dataset screen shows rows and classes" wait_for "150 rows, 5 columns, label 'label', 3 classes" 10
keys Enter
check "method screen lists Data-OOB" wait_for "Data-OOB" 10
choose_method Data-OOB
keys Enter
check "run finishes" wait_for "stopped: " 120
run_screen=$(screen)
check "run view shows the method and progress" grep -qE "Data-OOB +iris.csv +120 valued rows" <<<"$run_screen"
check "run view shows the ranked table" grep -qF "Ranked rows · sort: value ↑ (lowest first) · 120 rows" <<<"$run_screen"
check "run view shows the trees done" grep -qE "[0-9]+/[0-9]+ trees" <<<"$run_screen"
check "ranked table has a predicted column" grep -qE "rank +row +label +predicted +value" <<<"$run_screen"
keys Enter
check "row detail shows the suggested label" wait_for "suggested label" 10
keys Escape
keys f
check "f asks for a percentage" wait_for "Flag the lowest N%" 5
keys Enter
check "lowest 10% flagged" wait_for "flagged 12 rows; 12 flagged in all" 5
check "title bar counts the flags" wait_for "12 flagged" 5
keys r
check "what-if shows test accuracy before and after" wait_for "What if the flagged rows were removed?" 5
check "what-if result" wait_for "Enter or Esc closes" 20
screen | grep -E "^ *│ *test " | head -1
keys Escape
keys e
check "e asks for a prefix" wait_for "Export files starting with: iris-worth" 5
keys Enter
check "export reported" wait_for "exported iris-worth-values.csv" 5
keys q
check "q quits with status 0" bash -c "$(declare -f exited); work=$work; exited 10 && [ \"\$(cat $work/status)\" = 0 ]"
check "terminal restored after quit" alternate_off

# --- the files -----------------------------------------------------------------------------
values="$work/iris-worth-values.csv"
check "values file has a header and one line per row" bash -c "head -1 $values | grep -qE '^row,label,value,stderr,rank,held_out,.*flagged\$' && [ \$(wc -l < $values) = 151 ]"
check "values file marks 12 flagged rows" bash -c "[ \$(awk -F, 'NR > 1 && \$NF == 1' $values | wc -l) = 12 ]"
check "values file holds 30 test rows without a value" bash -c "[ \$(awk -F, 'NR > 1 && \$6 == \"test\" && \$3 == \"\"' $values | wc -l) = 30 ]"
check "flagged rows are the lowest valued" bash -c "awk -F, 'BEGIN { hi = -1e300; lo = 1e300 } NR > 1 && \$6 == \"\" { if (\$NF == 1) { if (\$3 + 0 > hi) hi = \$3 + 0 } else if (\$3 + 0 < lo) lo = \$3 + 0 } END { exit !(hi <= lo) }' $values"
check "flagged file: header and 12 original lines" bash -c "[ \$(wc -l < $work/iris-worth-flagged.csv) = 13 ] && [ \"\$(head -1 $work/iris-worth-flagged.csv)\" = \"\$(head -1 $work/iris.csv)\" ]"
check "flagged lines are the file's own lines" bash -c "for r in \$(awk -F, 'NR > 1 && \$NF == 1 { print \$1 }' $values); do sed -n \"\$((r + 1))p\" $work/iris.csv; done | diff - <(tail -n +2 $work/iris-worth-flagged.csv)"
check "cleaned file: the other 138 rows" bash -c "[ \$(wc -l < $work/iris-worth-cleaned.csv) = 139 ]"
check "flags saved beside the data" bash -c "[ \$(tail -n +3 $work/iris.csv.worth-flags.csv | wc -l) = 12 ]"

# --- flags come back -----------------------------------------------------------------------
start iris.csv
wait_for "Which column holds the class label" 20 >/dev/null
keys Enter
check "reopening restores the flags" wait_for "restored 12 flagged rows" 10
keys q
check "second quit is clean" bash -c "$(declare -f exited); work=$work; exited 10"

# --- runs are kept and saved; relabel, export a corrected dataset, undo -------------------------
mkdir -p "$work/runs"
cp "$root/Samples/iris.csv" "$work/runs/iris.csv"
start --label label runs/iris.csv
wait_for "150 rows, 5 columns" 20 >/dev/null
keys Enter
wait_for "Data-OOB" 10 >/dev/null
keys Enter                                          # Data-OOB, the first method
check "Data-OOB run finishes" wait_for "stopped: " 120
keys Escape Escape j Enter                          # Run → Runs → Method: KNN-Shapley
check "KNN-Shapley run starts beside the other" wait_for "KNN-Shapley   iris.csv" 10
wait_for "stopped: " 60 >/dev/null
keys q
check "quit without a question: both runs are saved" bash -c "$(declare -f exited); work=$work; exited 10 && [ \"\$(cat $work/status)\" = 0 ]"
check "two run files beside the data" bash -c "[ \$(ls $work/runs/iris.csv.worth-runs/*.json | wc -l) = 2 ]"
"$bin" value "$work/runs/iris.csv" --label label --method loo --save-run --quiet --out /dev/null   # a headless run, saved too
start --label label runs/iris.csv
check "reopening lists the saved runs, the headless one too" wait_for "3 saved runs on the Runs screen" 20
keys Tab Tab                                        # Dataset → Method → Runs
runs_screen=$(screen)
check "Runs lists the headless run" grep -qE "Leave-one-out .* completed" <<<"$runs_screen"
check "Runs lists Data-OOB with its stop reason" grep -qE "Data-OOB .* completed" <<<"$runs_screen"
check "Runs lists KNN-Shapley with its stop reason" grep -qE "KNN-Shapley .* completed" <<<"$runs_screen"
keys g Enter                                        # the Data-OOB run, reopened: nothing runs
check "a reopened run shows its ranked rows" wait_for "Ranked rows · sort: value ↑ (lowest first) · 120 rows" 10
check "a reopened run is not run again" bash -c "! tmux capture-pane -p -t $session | grep -q 'running'"
wait_for "predicted" 5 >/dev/null
sleep 1                                             # the suggested labels (cross-fitted) come in the background
keys l
check "l proposes the suggested label" wait_for "Relabel row " 5
lowest=$(screen | sed -n 's/.*Relabel row \([0-9]*\) .*/\1/p' | head -1)
keys Enter
check "the relabel is shown old → new" wait_for "→" 5
keys e
wait_for "Export files starting with" 5 >/dev/null
keys Enter
check "export writes the corrected dataset" wait_for "iris-worth-corrected.csv (1 relabeled" 5
corrected="$work/iris-worth-corrected.csv"
check "the corrected dataset differs from the original in exactly the relabeled row's label" bash -c "
  diff <(sed -n '$((lowest + 1))!p' $work/runs/iris.csv) <(sed -n '$((lowest + 1))!p' $corrected) >/dev/null &&
  [ \"\$(sed -n '$((lowest + 1))p' $work/runs/iris.csv | cut -d, -f1-4)\" = \"\$(sed -n '$((lowest + 1))p' $corrected | cut -d, -f1-4)\" ] &&
  [ \"\$(sed -n '$((lowest + 1))p' $work/runs/iris.csv | cut -d, -f5)\" != \"\$(sed -n '$((lowest + 1))p' $corrected | cut -d, -f5)\" ]"
check "the changes file lists the row with each run's value" bash -c "head -1 $work/iris-worth-changes.csv | grep -qx 'row,old_label,new_label,value_Data-OOB,value_KNN-Shapley,value_Leave-one-out' && grep -q '^$lowest,' $work/iris-worth-changes.csv"
keys u
check "u undoes the relabel" wait_for "undid: relabel row $lowest" 5
keys e
wait_for "Export files starting with" 5 >/dev/null
keys Enter
wait_for "(0 relabeled" 5 >/dev/null
check "after undo the corrected dataset is the original" cmp -s "$work/runs/iris.csv" "$corrected"
keys q
check "quit after the relabel" bash -c "$(declare -f exited); work=$work; exited 10"

# --- missing cells: the picker says which key to press --------------------------------------
cp "$root/Samples/penguins_raw.csv" "$work/penguins_raw.csv"
start penguins_raw.csv
wait_for "Which column holds the class label" 20 >/dev/null
keys Enter
check "a missing cell says to press m" wait_for "missing value: press m" 10
keys m
check "m chooses drop" wait_for "[drop]" 5
keys Enter
check "drop loads the rows without missing cells" wait_for "dropped 11 rows with missing values" 10
keys q
check "quit after the missing-cell load" bash -c "$(declare -f exited); work=$work; exited 10"

# --- flags that cannot be saved: shown, asked about at quit, saved elsewhere -----------------
rm -f "$work/iris.csv.worth-flags.csv"              # where the flags will be saved instead
mkdir -p "$work/nosave"
cp "$root/Samples/iris.csv" "$work/nosave/iris.csv"
mkdir "$work/nosave/iris.csv.worth-flags.csv"      # the flags file's path is taken by a directory
start --label label nosave/iris.csv
wait_for "150 rows, 5 columns" 20 >/dev/null
keys Enter
wait_for "KNN-Shapley" 10 >/dev/null
keys j Enter                                        # KNN-Shapley: 90 valued rows, 10% = 9
wait_for "stopped: " 60 >/dev/null
keys f
keys Enter
check "a failed save is reported, not success" wait_for "flags NOT SAVED: nosave/iris.csv.worth-flags.csv: " 5
check "the title shows the flags are not saved" bash -c "$(declare -f screen); session=$session; screen | head -1 | grep -qF '9 flagged NOT SAVED'"
keys q
check "q asks about the unsaved flags" wait_for "9 flags NOT SAVED: s save to another file, r retry, y quit without, n stay" 5
keys s
check "s proposes another path" wait_for "Save the flags to (Tab completes): $work/iris.csv.worth-flags.csv" 5
keys Enter
check "quit after saving elsewhere" bash -c "$(declare -f exited); work=$work; exited 10 && [ \"\$(cat $work/status)\" = 0 ]"
check "the flags are in the other file" bash -c "[ \$(tail -n +3 $work/iris.csv.worth-flags.csv | wc -l) = 9 ]"

# --- a damaged flags file; exports of a CR-only file ----------------------------------------
mkdir -p "$work/cr"
tr '\n' '\r' < "$root/Samples/iris.csv" > "$work/cr/iris.csv"
printf '# worth flags\nrow\nthree\n' > "$work/cr/iris.csv.worth-flags.csv"
start --label label cr/iris.csv
check "a damaged flags file is called unreadable" wait_for "unreadable flags file cr/iris.csv.worth-flags.csv" 20
keys Enter
wait_for "KNN-Shapley" 10 >/dev/null
keys j Enter
wait_for "stopped: " 60 >/dev/null
keys f
keys Enter
wait_for "flagged 9 rows" 5 >/dev/null
check "the damaged file is moved aside, not overwritten" bash -c "grep -qx three $work/cr/iris.csv.worth-flags.csv.unreadable"
keys e
keys Enter
wait_for "exported" 5 >/dev/null
keys q
check "quit after the CR-only export" bash -c "$(declare -f exited); work=$work; exited 10"
check "CR-only file: flagged export is the header and 9 rows" bash -c "[ \$(tr -cd '\r' < $work/iris-worth-flagged.csv | wc -c) = 10 ]"
check "CR-only file: cleaned export is the header and 141 rows" bash -c "[ \$(tr -cd '\r' < $work/iris-worth-cleaned.csv | wc -c) = 142 ]"
check "CR-only file: exported rows are the file's own" bash -c "tr '\r' '\n' < $work/iris-worth-flagged.csv | tail -n +2 | while IFS= read -r l; do grep -qxF -- \"\$l\" $root/Samples/iris.csv || exit 1; done"

# --- text from the file is escaped ----------------------------------------------------------
printf 'f1,"two\nlines","lab\033[31mel"\n' > "$work/hostile.csv"
for i in 1 2 3 4 5 6 7 8 9 10; do printf '%s,%s,"c\033[2J%s"\n' "$i" "$((i % 3))" "$((i % 2))"; done >> "$work/hostile.csv"
start hostile.csv
check "an ESC sequence in a header is drawn escaped" wait_for 'Label column: lab\e[31mel' 20
check "a line break in a quoted header is drawn escaped" wait_for 'two\nlines' 5
check "a label's ESC sequence is drawn escaped" wait_for 'c\e[2J1' 5
keys q

# --- a wide file: the map is computed in the background, keys work at once --------------------
python3 - "$work/wide.csv" <<'PY'
import sys
d, n = 10000, 50
with open(sys.argv[1], "w") as f:
    f.write(",".join(f"f{j}" for j in range(d)) + ",label\n")
    for i in range(n):
        f.write(",".join(str((i * 7 + j * 13) % 97) for j in range(d)) + f",{'ab'[i % 2]}\n")
PY
start --label label wide.csv
check "a 10,000-column file opens, its map in the background" wait_for "50 rows, 10001 columns" 120
keys Tab
check "keys work while the map is computed" wait_for "Enter runs" 3
keys q
check "q quits while the map is computed" bash -c "$(declare -f exited); work=$work; exited 3"

# --- a big file loads in the background: progress, help and Esc while loading; a big run's table --
# 300,000 rows of 20 features (45 MB): several seconds of loading in a debug build.
"$bin" bench generate --out "$work/big.csv" --rows 300000 --features 20 >/dev/null 2>&1
start --label label big.csv
check "a big file shows the load's progress bar" wait_for "Loading big.csv" 20
check "... with the rows read so far" wait_for " rows so far, " 10
keys '?'
check "? opens the help while loading" wait_for "│ Loading a file" 2
keys Escape
check "the load goes on behind the help" wait_for "Loading big.csv" 2
keys Escape
check "Esc stops the load: the Open screen, the file chosen" wait_for "stopped loading big.csv: Enter loads it again" 2
check "... and no file is open" bash -c "! tmux capture-pane -p -t $session | head -1 | grep -q 'big.csv'"
keys Enter
wait_for "Which column holds the class label" 10 >/dev/null
keys Enter
check "a second load ends on the Dataset screen with every row" wait_for "300000 rows, 21 columns, label 'label', 2 classes" 180
keys Enter
wait_for "Data-OOB" 10 >/dev/null
choose_method Data-OOB
keys Enter
check "a Data-OOB run of 240,000 valued rows lists them" wait_for "(lowest first) · 240000 rows" 60
# The data rows listed in the ranked table (its second column).
table_rows() { screen | sed -n 's/^│  *\(–\|[0-9][0-9]*\)  *\([0-9][0-9]*\) .*/\2/p'; }
rows_shown() { # rows_shown TEST: within 2 s, the rows listed pass TEST (an awk condition on min and max)
  local deadline=$((SECONDS + 2))
  while [ $SECONDS -lt $deadline ]; do
    table_rows | awk "NR == 1 { min = \$1; max = \$1 } { if (\$1 < min) min = \$1; if (\$1 > max) max = \$1 } END { exit !(NR > 0 && ($1)) }" && return 0
    sleep 0.1
  done
  echo "---- rows shown: $(table_rows | tr '\n' ' ')"; return 1
}
keys End
check "End shows the last rows of the run going within 2 s" rows_shown "max > 299000"
keys Home
check "Home shows the first rows" rows_shown "min == 1"
keys PgDn PgDn PgDn
check "PgDn pages down within 2 s" rows_shown "min > 20"
keys x
wait_for "stopped: " 30 >/dev/null
keys q
check "quit after the big file" bash -c "$(declare -f exited); work=$work; exited 20"

# --- a 10-class, 64-feature file at 80x24: every class; help per screen, scrolling ----------
python3 - "$work/ten.csv" <<'PY'
import sys, random
random.seed(3)
d, n, k = 64, 300, 10
centers = [[random.gauss(0, 1) for _ in range(d)] for _ in range(k)]
with open(sys.argv[1], "w") as f:
    f.write(",".join(f"f{j}" for j in range(d)) + ",digit\n")
    for i in range(n):
        c = i % k
        f.write(",".join(f"{centers[c][j] + random.gauss(0, 1.5):.3f}" for j in range(d)) + f",d{c}\n")
PY
start_sized 80 24 --label digit ten.csv
check "10 classes: the Dataset screen opens at 80x24" wait_for "label 'digit'" 60
every_class() { local s; s=$(screen); for c in 0 1 2 3 4 5 6 7 8 9; do grep -qE "d$c +█+ +30" <<<"$s" || return 1; done; }
check "10 classes: every class has its bar and count" every_class
check "10 classes: no class is left out" bash -c "! tmux capture-pane -p -t $session | grep -q 'more classes'"
keys j j j G
check "the columns list scrolls to the last column" wait_for "Columns 57–65 of 65" 5
keys '?'
check "help at 80x24 lists the Dataset keys first" wait_for "│ Dataset" 5
check "help at 80x24 says there is more" wait_for "more below" 5
check "help at 80x24 cuts no line" bash -c "! tmux capture-pane -p -t $session | sed -n '2,22p' | grep -q '…'"
keys PgDn PgDn PgDn
check "help at 80x24 scrolls to its end" wait_for "Flags are saved beside the data file" 5
keys Escape
resize 160 50
keys '?'
check "help at 160x50 lists every key at once" wait_for "Flags are saved beside the data file" 5
check "help at 160x50 needs no scrolling" bash -c "tmux capture-pane -p -t $session | grep -q '│ Everywhere' && ! tmux capture-pane -p -t $session | grep -q 'more below'"
check "help at 160x50 cuts no line" bash -c "! tmux capture-pane -p -t $session | sed -n '2,48p' | grep -q '…'"
keys Escape q
check "quit after the 10-class file" bash -c "$(declare -f exited); work=$work; exited 10"

# --- a run paused and resumed; Ctrl-C, a small terminal, Ctrl-Z during it ----------------------
# In an interactive shell, as a person runs it: Ctrl-Z needs a shell with job control.
new_session 120 40 "env PS1='$ ' bash --norc --noprofile -i"
sleep 0.5
keys "cd $work && LANG=C.UTF-8 $(printf '%q ' "$bin") --label label iris.csv" Enter
wait_for "150 rows, 5 columns" 20 >/dev/null
keys Enter
wait_for "TMC-Shapley" 10 >/dev/null
choose_method TMC-Shapley
# 20,000 permutations and no R-hat stop: the run must still be going when it is cancelled below
# (1,000 permutations of iris take about 4 s on an idle machine since the refits got faster).
keys l Enter C-u 20000 Enter j j Enter C-u 0 Enter R
check "TMC-Shapley runs" wait_for "/20000 permutations" 60
check "without its R-hat stop" wait_for "stops at 20000 permutations   rhat=0" 5
pid=$(worth_pid)
keys p
check "p pauses the run" wait_for "paused (the engine waits): p resumes, x cancels" 5
sleep 1
count() { screen | grep -oE "[0-9]+/20000 permutations" | head -1 | cut -d/ -f1; }
done_before=$(count); ticks_before=$(cpu_ticks "$pid")
sleep 2
done_after=$(count); ticks_after=$(cpu_ticks "$pid")
check "a paused run's count does not move for 2 s ($done_before, then $done_after)" [ -n "$done_before" -a "$done_before" = "$done_after" ]
check "a paused run leaves the CPU idle ($((ticks_after - ticks_before)) ticks in 2 s)" [ $((ticks_after - ticks_before)) -lt 30 ]
keys p
check "p resumes the run" wait_for "running" 5
sleep 2
done_resumed=$(count)
check "a resumed run goes on ($done_before, then $done_resumed)" [ "${done_resumed:-0}" -gt "${done_before:-0}" ]
keys C-c
check "Ctrl-C during a run asks first" wait_for "is going. Quit anyway? (y/n)" 5
keys n
resize 60 15
check "a small terminal asks to be enlarged" wait_for "Enlarge the terminal" 5
keys q
sleep 0.5
check "q on a small terminal shows its question" bash -c "tmux capture-pane -p -t $session | tr '\n' ' ' | grep -qF 'Quit anyway? (y/n)'"
keys n
resize 120 40
keys C-z
sleep 1
check "Ctrl-Z stops the program" bash -c "ps -o stat= -p $pid | grep -q '^T'"
check "Ctrl-Z gives the terminal back to the shell" bash -c "$(declare -f alternate_off wait_for screen); session=$session; alternate_off && wait_for Stopped 5 >/dev/null"
keys fg Enter
check "fg brings the workbench back" wait_for "TMC-Shapley   iris.csv" 5
check "the terminal is taken over again" bash -c "[ \"\$(tmux display -p -t $session '#{alternate_on}')\" = 1 ]"
keys x
check "x cancels the run" wait_for "stopped: cancelled" 10
keys q                                              # the cancelled run is saved: nothing to ask
gone() { local deadline=$((SECONDS + 10)); while kill -0 "$pid" 2>/dev/null; do [ $SECONDS -lt $deadline ] || return 1; sleep 0.2; done; }
check "quit after the paused run" gone
keys "echo \$? > $work/status" Enter                # the shell's fg job: its exit status
check "... with status 0, the terminal given back" bash -c "$(declare -f exited alternate_off); work=$work; session=$session; exited 5 && [ \"\$(cat $work/status)\" = 0 ] && alternate_off"

# --- signals and no terminal ---------------------------------------------------------------
start iris.csv
wait_for "Which column holds the class label" 20 >/dev/null
# The pane runs `sh -c "…; worth …"`: worth is the pane process's child.
worth_pid=$(worth_pid)
[ -n "$worth_pid" ] && kill -TERM "$worth_pid"
check "SIGTERM exits with 143" bash -c "$(declare -f exited); work=$work; exited 10 && [ \"\$(cat $work/status)\" = 143 ]"
check "terminal restored after SIGTERM" alternate_off
out=$(cd "$work" && TERM=dumb "$bin" iris.csv 2>&1 </dev/null); status=$?
check "TERM=dumb: exit 2" [ "$status" = 2 ]
check "TERM=dumb: points to worth value" grep -qF "worth value" <<<"$out"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
