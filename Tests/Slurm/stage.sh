# shellcheck shell=bash
# shellcheck disable=SC2154  # stage and prefix are set by the script that sources this file
# Shared by the stages of `make slurm-test` (smoke-test.sh, sweep-stage.sh); source it after
# setting `stage` (the name in PASS/FAIL lines) and `prefix` (the temporary folder's name).
# Gives: $here, $node, $work (a fresh temporary folder, removed on success), fail MESSAGE, and
# use_node, which starts the node unless one is running and exports SLURM_CONF. A trap stops a
# node the stage started on every exit, failure and Ctrl-C included.

here=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
node=$here/node.sh
work=$(mktemp -d "${TMPDIR:-/tmp}/$prefix.XXXXXX")
started_node=0

fail() {
  echo "FAIL $stage: $* (files kept in $work)"
  exit 1
}

finish() {
  local status=$?
  trap - EXIT INT TERM
  if [ $started_node -eq 1 ]; then
    "$node" stop || status=1
  fi
  [ $status -ne 0 ] || rm -rf "$work"
  exit $status
}
trap finish EXIT
trap 'echo "FAIL $stage: interrupted"; exit 130' INT TERM

use_node() {
  if "$node" status >/dev/null 2>&1; then
    echo "$stage: using the running node"
  else
    started_node=1
    "$node" start || fail "the node did not start"
  fi
  eval "$("$node" env)"
}
