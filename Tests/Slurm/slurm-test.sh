#!/usr/bin/env bash
# `make slurm-test`: ganlab against a real single-node Slurm cluster (docs/SLURM.md), in stages:
#   1. smoke test   the cluster itself: a throttled job array and a dependent job (smoke-test.sh)
#   2. sweep stage  `ganlab sweep NAME --slurm` on a small sweep; skipped while the binary's
#                   `sweep --help` does not list --slurm
# Each stage starts the node and stops it again on exit. Needs root (the daemons run as root).
# GANLAB_BIN: the binary to test (default .build/release/ganlab, which `make build` writes).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=${GANLAB_BIN:-$repo/.build/release/ganlab}
node=$here/node.sh

# MARK: - stage 2: sweep

# Runs a small sweep through Slurm with `ganlab sweep NAME --slurm` and checks its results.
# What the cluster gives this stage (docs/SLURM.md):
#   - start it with "$node" start and stop it with `trap '"$node" stop' EXIT`, as smoke-test.sh does;
#   - clients (sbatch, squeue, sacct, and so ganlab) find it through SLURM_CONF:
#     eval "$("$node" env)";
#   - jobs run as root on this machine with the submitter's environment, in the folder sbatch
#     ran in; their stdout goes to slurm-%A_%a.out in that folder unless --output says otherwise;
#   - two CPUs at most run at once (one task a CPU); finished jobs are in `sacct -c`.
sweep_stage() {
  if [ ! -x "$bin" ]; then
    echo "sweep stage skipped: $bin does not exist (make build writes it)"
    return 0
  fi
  if ! "$bin" sweep --help 2>/dev/null | grep -q -- '--slurm'; then
    echo "sweep stage skipped: '$bin sweep --help' does not list --slurm"
    return 0
  fi
  echo "FAIL sweep stage: '$bin sweep' offers --slurm, but sweep_stage in $here/slurm-test.sh does not run it yet"
  return 1
}

# MARK: - stages

t0=$SECONDS
"$node" install
echo "== slurm test 1/2: smoke test"
"$here/smoke-test.sh"
echo "== slurm test 2/2: sweep stage"
sweep_stage
echo "slurm test: done in $((SECONDS - t0)) s"
