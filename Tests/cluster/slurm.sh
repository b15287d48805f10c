#!/usr/bin/env bash
# Samples/slurm-shards.sh on a real Slurm: starts a one-node cluster on this machine (munged,
# slurmctld, slurmd, all as root, everything they write in a temp directory, loopback only),
# submits the sample for every method that shards, waits for the job arrays and the merges, and
# checks that each merged values.csv equals one plain `worth value` run byte for byte. The
# daemons it started are stopped on exit, also on failure or Ctrl-C.
# Usage: Tests/cluster/slurm.sh [path/to/worth]   (default .build/debug/worth; root, as in CI)
# Installs Debian's slurmctld, slurmd, slurm-client and munge when they are missing.
set -euo pipefail

# The methods that shard today. A method that learns --shard K/N joins by adding its name here;
# the check below fails if a method shards but is not listed.
methods=(tmc-shapley beta-shapley banzhaf data-oob knn-shapley loo influence self-influence)
shards=3
seed=7
limit=${CLUSTER_TIMEOUT:-300}   # seconds for every job to finish

# comparable_run METHOD sets `budget` (the script's BUDGET; empty: the method takes none) and
# `single` (the flags that make one plain run equal to the merged shards).
comparable_run() {
    case $1 in
        # A shard runs its whole share, so the one run must not stop at R-hat either.
        # 10 units over 3 shards: 3, 3 and 4.
        tmc-shapley|beta-shapley|banzhaf) budget=10 single=(--permutations 10 --rhat 0) ;;
        data-oob)                         budget=20 single=(--trees 20) ;;
        *)                                budget=   single=() ;;
    esac
}

root=$(cd "$(dirname "$0")/../.." && pwd)
worth=$(realpath -m "${1:-$root/.build/debug/worth}")
sample=$root/Samples/iris.csv
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
export PATH="$PATH:/usr/sbin:/sbin"

if [ "$(id -u)" -ne 0 ]; then
    if [ "${CI:-}" = true ]; then echo "cluster: must run as root (it starts slurmctld, slurmd and munged)" >&2; exit 1; fi
    echo "cluster: skipped: not root (it starts slurmctld, slurmd and munged)"
    exit 0
fi
[ -x "$worth" ] || { echo "cluster: no worth binary at $worth (swift build first)" >&2; exit 1; }

# --- a method that shards must be in `methods` ---------------------------------------------------
probe=$(mktemp -d)
all=$("$worth" value "$sample" --method no-such-method 2>&1 >/dev/null | sed -n 's/.*methods: *//p' | tr ', ' '\n\n' | grep -E '^[a-z][a-z0-9-]*$' || true)
if [ -z "$all" ]; then bad "could not read the method list from: worth value --method no-such-method"; fi
for m in $all; do
    case " ${methods[*]} " in *" $m "*) continue ;; esac
    if "$worth" value "$sample" --method "$m" --seed "$seed" --shard 0/2 --state-out "$probe/part.json" \
           --out "$probe/values.csv" --quiet >/dev/null 2>&1; then
        bad "$m accepts --shard K/N but is not tested on Slurm: add it to methods=(…) in $0"
    else ok; fi
done
# dvrl cannot be split: the script refuses it before submitting anything.
if OUT=$probe/dvrl METHOD=dvrl bash "$root/Samples/slurm-shards.sh" "$sample" 2 >/dev/null 2>"$probe/err"; then
    bad "slurm-shards.sh accepted dvrl"
elif grep -q "dvrl cannot be split" "$probe/err"; then ok
else bad "slurm-shards.sh refused dvrl without saying why: $(cat "$probe/err")"; fi
rm -rf "$probe"

# --- install --------------------------------------------------------------------------------------
packages=()
command -v slurmctld >/dev/null || packages+=(slurmctld)
command -v slurmd >/dev/null || packages+=(slurmd)
command -v sbatch >/dev/null || packages+=(slurm-client)
command -v munged >/dev/null || packages+=(munge)
if [ ${#packages[@]} -gt 0 ]; then
    echo "cluster: installing ${packages[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
fi

# --- the cluster ----------------------------------------------------------------------------------
# Nothing of a Slurm the caller may be inside of leaks into this one.
while read -r name; do unset "$name"; done < <(compgen -e | grep -E '^(SLURM|SBATCH|SALLOC|SRUN|SQUEUE|SINFO|SCONTROL)_' || true)
tmp=$(mktemp -d /tmp/worth-slurm.XXXXXX)
chmod 755 "$tmp"   # munged wants its socket's directories searchable by all
mkdir -p "$tmp/munge" "$tmp/state" "$tmp/spool" "$tmp/log" "$tmp/bin" "$tmp/jobs" "$tmp/single"
chmod 755 "$tmp/munge"
out="$tmp/out put,1"
pids=()

stop() {
    local status=$? pid n
    trap - EXIT INT TERM
    if [ ${#pids[@]} -gt 1 ]; then   # slurmctld is up: cancel what still runs, let it end
        scancel --quiet --user=root 2>/dev/null || true
        for ((n = 0; n < 50; n++)); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 0.2; done
    fi
    for ((n = ${#pids[@]} - 1; n >= 0; n--)); do   # slurmd, slurmctld, then munged
        pid=${pids[n]}
        kill -TERM "$pid" 2>/dev/null || continue
        for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$tmp"
    exit "$status"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# show_logs: what the jobs and the daemons said, for a failure.
show_logs() {
    local f
    for f in "$out"/*/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -n 20 "$f"; }; done
    echo "--- scontrol show job"; scontrol show job 2>&1 | grep -E 'JobId|JobState' || true
    for f in "$tmp"/log/*.log; do [ -s "$f" ] && { echo "--- $f"; tail -n 30 "$f"; }; done
    return 0
}
die() { echo "cluster: $*" >&2; show_logs >&2; exit 1; }

# Two free TCP ports (a Slurm already on this machine keeps its 6817 and 6818).
listening() { awk -v p="$(printf ':%04X' "$1")" 'substr($2, length($2) - 4) == p && $4 == "0A"' /proc/net/tcp /proc/net/tcp6 2>/dev/null | grep -q .; }
ports=()
for ((p = 16817; ${#ports[@]} < 2 && p < 17817; p++)); do listening "$p" || ports+=("$p"); done
[ ${#ports[@]} -eq 2 ] || die "no free TCP ports in 16817..17816"

# munged of its own: own key and socket.
head -c 1024 /dev/urandom > "$tmp/munge/munge.key"
chmod 400 "$tmp/munge/munge.key"
socket=$tmp/munge/munge.socket
munged -F --key-file="$tmp/munge/munge.key" --socket="$socket" --pid-file="$tmp/munge/munged.pid" \
    --seed-file="$tmp/munge/munged.seed" >"$tmp/log/munged.log" 2>&1 &
pids+=($!)
for ((n = 0; n < 50; n++)); do munge -S "$socket" -n >/dev/null 2>&1 && break; sleep 0.1; done
munge -S "$socket" -n >/dev/null 2>&1 || die "munged did not start"

# One node: this machine as `slurmd -C` sees it (name, CPUs, memory), reached on loopback only.
# No cgroups (they fail in containers): processes tracked through /proc, no task binding, no
# accounting (so no slurmdbd). CR_Core: cores are the only consumable, so a job that asks for no
# memory does not take the whole node. batch_sched_delay=0: a job starts as soon as the node is
# free, not at the next 3-second scheduling pass (this halves the test). KillWait=5: a job
# cancelled at teardown is killed after 5 s, not 30.
node=$(slurmd -C | head -n 1)
export SLURM_CONF=$tmp/slurm.conf
cat > "$SLURM_CONF" <<EOF
ClusterName=worth-test
SlurmctldHost=$(hostname -s)(127.0.0.1)
SlurmctldPort=${ports[0]}
SlurmdPort=${ports[1]}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
MailProg=/bin/true
KillWait=5
SchedulerParameters=batch_sched_delay=0
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -D >"$tmp/log/slurmctld.log" 2>&1 &   # -D: in the foreground, logging to stderr
pids+=($!)
slurmd -D >"$tmp/log/slurmd.log" 2>&1 &
pids+=($!)
node_up() { [ "$(sinfo -h -o %T 2>/dev/null)" = idle ]; }
for ((n = 0; n < 150; n++)); do node_up && break; sleep 0.2; done
node_up || die "the node did not come up within 30 s"

# --- the runs -------------------------------------------------------------------------------------
# The jobs find the freshly built worth first on the PATH they inherit. Data and results sit in
# folders whose names have a space and a comma, which the batch scripts must quote.
ln -s "$worth" "$tmp/bin/worth"
export PATH="$tmp/bin:$PATH"
mkdir -p "$tmp/in put,1"
data="$tmp/in put,1/iris.csv"
cp "$sample" "$data"
cd "$tmp/jobs"
for m in "${methods[@]}"; do
    comparable_run "$m"
    OUT=$out/$m METHOD=$m SEED=$seed BUDGET=$budget bash "$root/Samples/slurm-shards.sh" "$data" "$shards" >/dev/null \
        || die "slurm-shards.sh failed for $m"
done
# The plain runs, while the cluster works.
for m in "${methods[@]}"; do
    comparable_run "$m"
    worth value "$data" --method "$m" --seed "$seed" ${single[@]+"${single[@]}"} --out "$tmp/single/$m.csv" --quiet \
        || die "the single run of $m failed"
done
deadline=$((SECONDS + limit))
while [ -n "$(squeue -h)" ]; do
    [ $SECONDS -lt $deadline ] || die "jobs still queued or running after $limit s"
    sleep 0.5
done

for m in "${methods[@]}"; do
    merged=$out/$m/values.csv
    if [ ! -s "$merged" ]; then bad "$m: no merged values.csv"
    elif cmp -s "$tmp/single/$m.csv" "$merged"; then ok
    else bad "$m: the merged values differ from one run: $(cmp "$tmp/single/$m.csv" "$merged" 2>&1 | head -n 1)"; fi
done
if [ "$failed" -gt 0 ]; then show_logs; fi
echo "cluster: ${methods[*]} on $shards shards of a real Slurm, ${SECONDS} s"
echo "cluster: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
