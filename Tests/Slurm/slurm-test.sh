#!/usr/bin/env bash
# `make slurm-test`: ganlab against a real single-node Slurm cluster (docs/SLURM.md), in stages:
#   1. smoke test   the cluster itself: a throttled job array and a dependent job (smoke-test.sh)
#   2. sweep stage  `ganlab sweep NAME --slurm` on a small sweep against a local run of the
#                   same sweep (sweep-stage.sh)
# Each stage starts the node and stops it again on exit. Needs root (the daemons run as root).
# GANLAB_BIN: the binary to test (default .build/release/ganlab, which `make build` writes).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=${GANLAB_BIN:-$repo/.build/release/ganlab}
node=$here/node.sh

# MARK: - stage 2: sweep

# `ganlab sweep NAME --slurm` on a small sweep, checked against a local sweep (sweep-stage.sh).
sweep_stage() {
  if [ ! -x "$bin" ]; then
    echo "FAIL sweep stage: $bin does not exist (make build writes it)"
    return 1
  fi
  GANLAB_BIN=$bin "$here/sweep-stage.sh"
}

# MARK: - stages

t0=$SECONDS
"$node" install
echo "== slurm test 1/2: smoke test"
"$here/smoke-test.sh"
echo "== slurm test 2/2: sweep stage"
sweep_stage
echo "slurm test: done in $((SECONDS - t0)) s"
