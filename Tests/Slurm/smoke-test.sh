#!/usr/bin/env bash
# Smoke test of the single-node Slurm cluster (docs/SLURM.md). Submits a job array of four tasks,
# at most two at a time (--array=0-3%2), each recording its id, start and end time and sleeping
# 3 s, and a job that depends on the whole array (afterany). Then checks, from the files the jobs
# wrote and from the job completion records:
#   - tasks 0, 1, 2 and 3 each ran once;
#   - never more than two tasks ran at once, and two did (the tasks share the node, one CPU each);
#   - the dependent job started after the last task ended;
#   - `sacct -c` lists every task and the dependent job as COMPLETED.
# Starts the node with node.sh and stops it on exit, failure and Ctrl-C included; a node that was
# already running is used and left running. Prints one PASS or FAIL line; exits 1 on failure.
# GANLAB_SLURM_SMOKE_TIMEOUT: seconds to wait for the jobs (default 120).
set -euo pipefail

# shellcheck disable=SC2034  # read by stage.sh
stage="slurm smoke test"
# shellcheck disable=SC2034
prefix=ganlab-slurm-smoke
# shellcheck source=Tests/Slurm/stage.sh
source "$(dirname "${BASH_SOURCE[0]}")/stage.sh"
wait_seconds=${GANLAB_SLURM_SMOKE_TIMEOUT:-120}

# MARK: - node

use_node
t0=$SECONDS

# MARK: - jobs

cat >"$work/task.sh" <<'EOF'
#!/bin/bash
# One array task: writes "id start end" (seconds since the epoch) to $1/task-ID when it ends.
start=$(date +%s.%N)
sleep 3
echo "$SLURM_ARRAY_TASK_ID $start $(date +%s.%N)" >"$1/task-$SLURM_ARRAY_TASK_ID"
EOF
chmod +x "$work/task.sh"

cd "$work"
array=$(sbatch --parsable --array=0-3%2 --job-name=ganlab-smoke \
  --output="$work/slurm-%A_%a.out" "$work/task.sh" "$work") || fail "sbatch refused the array"
array=${array%%;*}
after=$(sbatch --parsable --dependency=afterany:"$array" --job-name=ganlab-smoke-after \
  --output="$work/after.out" --wrap "date +%s.%N >'$work/after'") || fail "sbatch refused the dependent job"
after=${after%%;*}
echo "smoke test: array job $array (tasks 0-3, two at a time), dependent job $after"

# Waits until neither job is pending or running; fails early if a daemon dies.
deadline=$((SECONDS + wait_seconds))
errors=0
while :; do
  if queued=$(squeue -h --jobs="$array,$after" -o %i 2>/dev/null); then
    errors=0
    [ -n "$queued" ] || break
  else
    errors=$((errors + 1))
    [ $errors -lt 5 ] || fail "squeue failed five times in a row"
  fi
  if ! status=$("$node" status 2>&1); then
    fail "a daemon stopped while the jobs ran: ${status//$'\n'/; }"
  fi
  [ $SECONDS -lt $deadline ] || fail "jobs still queued after $wait_seconds s: ${queued//$'\n'/ }"
  sleep 1
done

# MARK: - checks

for id in 0 1 2 3; do
  [ -s "$work/task-$id" ] || fail "task $id wrote no file"
  read -r got _ <"$work/task-$id"
  [ "$got" = "$id" ] || fail "task-$id holds SLURM_ARRAY_TASK_ID $got"
done
tasks=("$work"/task-*)
[ ${#tasks[@]} -eq 4 ] || fail "${#tasks[@]} task files, not 4: ${tasks[*]##*/}"

# The most tasks running at one moment: for each task's start, the tasks whose [start, end) holds it.
read -r most last_end < <(cat "$work"/task-* | awk '
  { s[NR] = $2; e[NR] = $3; if ($3 > last) last = $3 }
  END {
    for (i = 1; i <= NR; i++) { n = 0; for (j = 1; j <= NR; j++) if (s[j] <= s[i] && s[i] < e[j]) n++; if (n > most) most = n }
    printf "%d %.3f\n", most, last
  }')
[ "$most" -le 2 ] || fail "$most tasks ran at once; the array allows 2"
[ "$most" -eq 2 ] || fail "the tasks ran one at a time; two should share the node"

[ -s "$work/after" ] || fail "the dependent job wrote no file"
after_start=$(cat "$work/after")
gap=$(awk -v a="$after_start" -v l="$last_end" 'BEGIN { printf "%.2f", a - l }')
awk -v g="$gap" 'BEGIN { exit !(g > 0) }' || fail "the dependent job started ${gap#-} s before the last task ended"

# The completion records: the jobcomp file names each task's own job id (ArrayJobId is the array),
# and `sacct -c` must list all five as COMPLETED. Records can trail the queue by a moment.
jobcomp=$(scontrol show config | awk -F' = ' '$1 ~ /^JobCompLoc/ { print $2 }')
ids="" count=0
for _ in 1 2 3 4 5; do
  ids=$(awk -v a="$array" -v b="$after" '
    $0 ~ ("ArrayJobId=" a " ") || $1 == ("JobId=" b) { sub(/^JobId=/, "", $1); print $1 }' "$jobcomp" 2>/dev/null | sort -n | paste -sd, -)
  count=$(awk -F, '{ print NF }' <<<"$ids")
  [ "$count" -lt 5 ] || break
  sleep 1
done
[ "$count" -eq 5 ] || fail "$jobcomp holds $count of the 5 job records"
completed=$(sacct -c -j "$ids" -n -P -o JobID,State 2>/dev/null | awk -F'|' '$2 == "COMPLETED"' | wc -l)
[ "$completed" -eq 5 ] || fail "sacct -c lists $completed of the 5 jobs ($ids) as COMPLETED: $(sacct -c -j "$ids" -n -P -o JobID,State 2>/dev/null | tr '\n' ' ')"

echo "PASS slurm smoke test: array $array ran tasks 0-3, at most 2 at once; job $after started ${gap} s after the last task ended; sacct -c lists jobs $ids as COMPLETED ($((SECONDS - t0)) s)"
