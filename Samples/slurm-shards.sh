#!/usr/bin/env bash
# Value a dataset with TMC-Shapley on a Slurm cluster: N shards as a job array, then one merge.
#
#   Samples/slurm-shards.sh DATA.csv [SHARDS]        (from a login node; `worth` on the PATH)
#
# Shard K of N runs units ⌊B·K/N⌋..<⌊B·(K+1)/N⌋ of the budget B with the same seed, so the
# merged values are exactly those of one run of B units. Every shard checkpoints; a
# requeued or preempted shard resumes from its checkpoint. `worth merge` refuses parts made with
# another seed, method, parameters or input file, and says which units are missing.
set -euo pipefail

data=${1:?usage: slurm-shards.sh DATA.csv [SHARDS]}
shards=${2:-8}
out=${OUT:-worth-shards}          # shared directory (every node must see it)
method=${METHOD:-tmc-shapley}     # tmc-shapley, beta-shapley or banzhaf
budget=${BUDGET:-4000}             # permutations (random subsets for banzhaf)
seed=${SEED:-7}

mkdir -p "$out"
data=$(realpath "$data")
out=$(realpath "$out")

# One array task per shard, 2 cores each (--wrap runs sh). $SLURM_ARRAY_TASK_ID is 0-based,
# like --shard K/N.
array_job=$(sbatch --parsable --job-name=worth-shard --array="0-$((shards - 1))" \
    --cpus-per-task=2 --time=04:00:00 --requeue --output="$out/shard-%a.log" \
    --export=ALL,DATA="$data",OUT="$out",METHOD="$method",BUDGET="$budget",SEED="$seed",SHARDS="$shards" \
    --wrap '
        set -eu
        k=$SLURM_ARRAY_TASK_ID
        checkpoint="$OUT/checkpoint-$k.json"
        set --
        if [ -f "$checkpoint" ]; then set -- --resume "$checkpoint"; fi
        worth value "$DATA" --method "$METHOD" --seed "$SEED" --permutations "$BUDGET" \
            --workers "$SLURM_CPUS_PER_TASK" --shard "$k/$SHARDS" \
            --checkpoint "$checkpoint" "$@" \
            --state-out "$OUT/part-$k.json" --out "$OUT/shard-$k-values.csv" --quiet
    ')

# Runs once every shard has succeeded.
merge_job=$(sbatch --parsable --job-name=worth-merge --dependency="afterok:$array_job" \
    --cpus-per-task=1 --time=00:10:00 --output="$out/merge.log" \
    --wrap "worth merge $(printf '%q' "$out")/part-*.json --out $(printf '%q' "$out")/values.csv")

echo "shards: job $array_job ($shards tasks), merge: job $merge_job -> $out/values.csv"
