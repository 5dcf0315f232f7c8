#!/usr/bin/env bash
# Runs per hour of `ganlab sweep` (parallel processes, one engine thread each) against the same
# runs one after another with two engine threads each (`ganlab run`), in the same invocation so
# both see the same machine. Usage, from the repository's root after `make build`:
#   Benchmarks/sweep-throughput.sh [ROUNDS]
# Each round times the sweep, then the sequential runs, in fresh folders; the ratio of each
# round is printed, then the median ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release/ganlab
SWEEP=Benchmarks/sweeps/throughput.yaml
ROUNDS=${1:-2}
SCRATCH=$(mktemp -d /tmp/ganlab-throughput.XXXXXX)
trap 'rm -rf "$SCRATCH"' EXIT
now() { date +%s.%N; }
ratios=()
echo "machine: $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$ROUNDS"); do
  t0=$(now)
  "$BIN" sweep "$SWEEP" --out "$SCRATCH/sweep-$round" > "$SCRATCH/sweep-$round.log" 2>&1
  t1=$(now)
  for experiment in spiral eight-gaussians; do
    for seed in 1 2 3 4; do
      "$BIN" run "$experiment" --seed "$seed" --set train.threads=2 --set output.frameEvery=0 \
        --out "$SCRATCH/seq-$round/$experiment-$seed" --no-render > /dev/null 2>&1
    done
  done
  t2=$(now)
  calc() { awk "BEGIN { print $1 }"; }
  sweep=$(calc "$t1 - $t0"); seq=$(calc "$t2 - $t1"); ratio=$(calc "$seq / $sweep")
  ratios+=("$ratio")
  printf 'round %d: 8 runs  sweep (%s jobs × 1 thread) %.1f s = %.0f runs/h   sequential (2 threads) %.1f s = %.0f runs/h   ratio %.2f×\n' \
    "$round" "$(nproc)" "$sweep" "$(calc "8 * 3600 / $sweep")" "$seq" "$(calc "8 * 3600 / $seq")" "$ratio"
done
median=$(printf '%s\n' "${ratios[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')
printf 'median ratio over %d rounds: %.2f×; load average after: %s\n' "$ROUNDS" "$median" "$(cut -d' ' -f1-3 /proc/loadavg)"
