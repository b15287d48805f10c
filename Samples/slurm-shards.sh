#!/usr/bin/env bash
# Value a dataset on a Slurm cluster: N shards (`worth value --shard K/N`) as a job array, then
# one `worth merge` that runs once every shard has succeeded.
#
#   Samples/slurm-shards.sh DATA.csv [SHARDS]        (from a login node; SHARDS defaults to 8)
#
#   METHOD  any method but dvrl and in-run-shapley (default tmc-shapley). Each shards its own units: permutations
#           (tmc-shapley, beta-shapley) or random subsets (banzhaf), trees (data-oob),
#           validation points (knn-shapley), rows (loo, influence, self-influence)
#   BUDGET  its budget: permutations for tmc-shapley and beta-shapley, random subsets for
#           banzhaf (default 4000), trees for data-oob (default: worth's); knn-shapley, loo,
#           influence and self-influence do all their units and take none
#   SEED    seed of the split and the method (default 7)
#   OUT     directory every node sees (default worth-shards): parts, logs, OUT/values.csv
#
# `worth` must be on the PATH of the jobs (they get the submitting shell's environment). Every
# shard runs its share with the same seed, so OUT/values.csv is byte for byte one run's result.
# A requeued or preempted Monte Carlo shard resumes from its checkpoint in OUT; rerunning the
# script with the same settings and OUT resumes too (use a fresh OUT for other settings).
# `worth merge` refuses parts made with another seed, method, parameters or input file, and says
# which units are missing. dvrl and in-run-shapley cannot be split (one training run, each step on the ones before):
# run it on one node. Tests/cluster/slurm.sh runs this script on a real one-node Slurm.
set -euo pipefail

data=${1:?usage: slurm-shards.sh DATA.csv [SHARDS]}
shards=${2:-8}
method=${METHOD:-tmc-shapley}
seed=${SEED:-7}
out=${OUT:-worth-shards}
budget=${BUDGET:-}

# What each method takes, in one place: the flag that sets its budget, and whether a shard
# checkpoints (so that a requeued shard resumes instead of starting over; the others are short
# and run their share again).
case $method in
    tmc-shapley|beta-shapley|banzhaf)        budget_flag=--permutations checkpoints=yes budget=${budget:-4000} ;;
    data-oob)                                budget_flag=--trees        checkpoints=no ;;
    knn-shapley|loo|influence|self-influence) budget_flag=              checkpoints=no ;;
    dvrl|in-run-shapley) echo "slurm-shards.sh: $method cannot be split into shards (it trains one model step by step); run worth value --method $method on one node" >&2; exit 2 ;;
    *)                                       budget_flag=               checkpoints=no ;;   # worth says whether it shards
esac

case $shards in ''|*[!0-9]*|0*) echo "slurm-shards.sh: SHARDS must be a whole number ≥ 1, not '$shards'" >&2; exit 2 ;; esac
if [ -n "$budget" ] && [ -z "$budget_flag" ]; then
    echo "slurm-shards.sh: $method takes no budget; unset BUDGET" >&2; exit 2
fi
[ -f "$data" ] || { echo "slurm-shards.sh: $data: no such file" >&2; exit 2; }
mkdir -p "$out"
data=$(realpath "$data")
out=$(realpath "$out")

run=(worth value "$data" --method "$method" --seed "$seed")
if [ -n "$budget" ]; then run+=("$budget_flag" "$budget"); fi

# The batch scripts carry every value quoted for bash, so paths with spaces or commas survive.
# $SLURM_ARRAY_TASK_ID is 0-based, like --shard K/N; 2 cores per shard.
shard_script() {
    printf '#!/bin/bash\nset -euo pipefail\n'
    printf 'out=%q shards=%q checkpoints=%q\n' "$out" "$shards" "$checkpoints"
    printf 'run=(%s)\n' "$(printf '%q ' "${run[@]}")"
    cat <<'EOF'
k=$SLURM_ARRAY_TASK_ID
resume=()
if [ "$checkpoints" = yes ]; then
    checkpoint="$out/checkpoint-$k.json"
    resume=(--checkpoint "$checkpoint")
    if [ -f "$checkpoint" ]; then resume+=(--resume "$checkpoint"); fi
fi
exec "${run[@]}" --workers "${SLURM_CPUS_PER_TASK:-1}" --shard "$k/$shards" ${resume[@]+"${resume[@]}"} \
    --state-out "$out/part-$k.json" --out "$out/shard-$k-values.csv" --quiet
EOF
}
# The parts of this run only, named one by one (a part left in OUT by another run is not merged).
merge_script() {
    printf '#!/bin/bash\nset -euo pipefail\nexec worth merge'
    for ((k = 0; k < shards; k++)); do printf ' %q' "$out/part-$k.json"; done
    printf ' --out %q\n' "$out/values.csv"
}

# --parsable prints "ID" or "ID;CLUSTER". --kill-on-invalid-dep cancels the merge when a shard
# fails, instead of leaving it pending for ever.
array_job=$(shard_script | sbatch --parsable --job-name=worth-shard --array="0-$((shards - 1))" \
    --cpus-per-task=2 --time=04:00:00 --requeue --export=ALL --open-mode=append \
    --output="$out/shard-%a.log")
array_job=${array_job%%;*}
merge_job=$(merge_script | sbatch --parsable --job-name=worth-merge \
    --dependency="afterok:$array_job" --kill-on-invalid-dep=yes \
    --cpus-per-task=1 --time=00:10:00 --export=ALL --open-mode=append --output="$out/merge.log")
merge_job=${merge_job%%;*}

echo "shards: job $array_job ($shards tasks of: ${run[*]}), merge: job $merge_job -> $out/values.csv"
