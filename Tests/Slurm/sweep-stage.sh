#!/usr/bin/env bash
# `ganlab sweep NAME --slurm` against the single-node Slurm cluster (docs/SLURM.md): a sweep of
# 2 cells × 3 seeds × 300 steps of a small ring8, run once locally (`ganlab sweep --jobs 2`) and
# once as a Slurm job array with a dependent report job. Checks:
#   - every array task and the report job completed (`sacct -c`);
#   - every run of the Slurm sweep is complete, and its final snapshot is byte-identical to the
#     local sweep's (same seed, thread count and build);
#   - the report job wrote summary.csv, summary.md and summary.png, and summary.csv equals the
#     local sweep's.
# Starts the node with node.sh and stops it on exit, failure and Ctrl-C included. Prints one
# PASS or FAIL line; exits 1 on failure.
# GANLAB_BIN: the binary (default .build/release/ganlab); GANLAB_SLURM_SWEEP_TIMEOUT: seconds to
# wait for the jobs (default 240).
set -euo pipefail

# shellcheck disable=SC2034  # read by stage.sh
stage="slurm sweep stage"
# shellcheck disable=SC2034
prefix=ganlab-slurm-sweep
# shellcheck source=Tests/Slurm/stage.sh
source "$(dirname "${BASH_SOURCE[0]}")/stage.sh"
repo=$(cd "$here/../.." && pwd)
bin=${GANLAB_BIN:-$repo/.build/release/ganlab}
wait_seconds=${GANLAB_SLURM_SWEEP_TIMEOUT:-240}

cat >"$work/small.yaml" <<'YAML'
description: "make slurm-test: a small ring8 sweep"
experiment: ring8
seeds: [1, 2, 3]
grid:
  train.loss: [non-saturating, hinge]
set:
  train.steps: 300
  generator.hidden: [32, 32]
  discriminator.hidden: [32, 32]
  output.snapshotEvery: 150
  output.frameEvery: 0
  output.probeCount: 500
  output.diagnosticsGrid: 32
threads: 1
YAML

# MARK: - local

"$bin" sweep "$work/small.yaml" --experiments "$repo/experiments" --out "$work/local" --jobs 2 \
  >"$work/local.log" 2>&1 || fail "the local sweep failed (see $work/local.log)"

# MARK: - Slurm

use_node
t0=$SECONDS
"$bin" sweep "$work/small.yaml" --experiments "$repo/experiments" --out "$work/slurm" --slurm --max-parallel 2 \
  >"$work/submit.log" 2>&1 || fail "submitting failed: $(tail -1 "$work/submit.log")"
array=$(awk '$1 == "array" {print $2}' "$work/slurm/slurm/jobs")
report=$(awk '$1 == "report" {print $2}' "$work/slurm/slurm/jobs")
if [ -z "$array" ] || [ -z "$report" ]; then fail "no job ids in $work/slurm/slurm/jobs"; fi
while [ -n "$(squeue --noheader --jobs="$array,$report" 2>/dev/null)" ]; do
  [ $((SECONDS - t0)) -lt "$wait_seconds" ] || fail "the jobs did not finish within $wait_seconds s"
  sleep 1
done
elapsed=$((SECONDS - t0))

# MARK: - checks

states=$(sacct -c --noheader --parsable2 --format=JobID,State 2>/dev/null || true)
completed=$(grep -c '|COMPLETED$' <<<"$states" || true)
[ "$completed" -ge 7 ] || fail "sacct -c lists $completed completed jobs, expected 6 array tasks and the report: $states"
for snapshot in $(cd "$work/local" && find . -name 'step-0000300.snap' | sort); do
  run=$(dirname "$(dirname "$snapshot")")
  [ -f "$work/slurm/$run/complete" ] || fail "$run is not complete in the Slurm sweep"
  cmp -s "$work/local/$snapshot" "$work/slurm/$snapshot" || fail "$snapshot differs between the local and the Slurm sweep"
  count=$((${count:-0} + 1))
done
[ "${count:-0}" -eq 6 ] || fail "found ${count:-0} final snapshots in the local sweep, expected 6"
for file in summary.csv summary.md summary.png; do
  [ -s "$work/slurm/$file" ] || fail "the report job did not write $file (see $work/slurm/slurm/report.out)"
done
cmp -s "$work/local/summary.csv" "$work/slurm/summary.csv" || fail "summary.csv differs between the local and the Slurm sweep"
echo "PASS slurm sweep stage: 6 runs as array job $array (at most 2 at once) and report job $report in ${elapsed} s; snapshots and summary.csv equal the local sweep's"
