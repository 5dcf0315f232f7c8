#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for ganlab's Slurm tests (docs/SLURM.md).
#
#   Tests/Slurm/node.sh install   installs slurmctld, slurmd, slurm-client and munge when missing
#   Tests/Slurm/node.sh start     starts munged (unless one already answers), slurmctld and slurmd,
#                                 and waits until the node is idle
#   Tests/Slurm/node.sh stop      cancels the cluster's jobs and stops the daemons `start` started;
#                                 safe to repeat
#   Tests/Slurm/node.sh status    the daemons, the node and the queue; exit 0 when the cluster
#                                 runs, 3 when it does not
#   Tests/Slurm/node.sh env       the line that points Slurm's clients at this cluster:
#                                 eval "$(Tests/Slurm/node.sh env)"
#
# Everything lives in $GANLAB_SLURM_DIR (default /tmp/ganlab-slurm): slurm.conf (from
# slurm.conf.in beside this script), state/, spool/, log/ (the daemons' logs, jobcomp.txt) and
# pids/ (the processes this script started; `stop` touches nothing else). `start` empties state/,
# spool/ and log/ first, so no run sees another run's jobs.
# Other settings: GANLAB_SLURM_PORT (slurmctld's port, default 6817; slurmd takes the next one),
# GANLAB_SLURM_TIMEOUT (seconds to wait for the idle node, default 60).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=${GANLAB_SLURM_DIR:-/tmp/ganlab-slurm}
case $dir in /*) ;; *) dir=$PWD/$dir ;; esac
conf=$dir/slurm.conf
ctld_port=${GANLAB_SLURM_PORT:-6817}
wait_seconds=${GANLAB_SLURM_TIMEOUT:-60}
partition=ganlab
packages=(slurmctld slurmd slurm-client munge)
munge_key=/etc/munge/munge.key
munge_socket=/run/munge/munge.socket.2
munge_pidfile=/run/munge/munged.pid
node=$(hostname -s)
export PATH=$PATH:/usr/sbin:/sbin
export SLURM_CONF=$conf

say() { echo "slurm node: $*"; }
die() { echo "slurm node: error: $*" >&2; exit 1; }
is_root() { [ "$(id -u)" -eq 0 ]; }

# MARK: - install

missing() {
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

cmd_install() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    for c in slurmctld slurmd sbatch munged; do
      command -v "$c" >/dev/null 2>&1 \
        || die "$c is not installed; install Slurm and MUNGE with this system's package manager."
    done
    return 0
  fi
  local need
  mapfile -t need < <(missing "${packages[@]}")
  [ ${#need[@]} -eq 0 ] && return 0
  if is_root; then
    say "installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}"
  else
    echo "slurm node: error: missing Debian packages: ${need[*]}. Run this, then retry:" >&2
    echo "  sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
}

# MARK: - processes

# Whether pid $1 runs: it exists and is not a zombie (a killed daemon stays a zombie until
# init reaps it, which can take seconds).
alive() {
  local state
  state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

# The recorded pid of NAME (munged, slurmctld, slurmd), printed only while that process runs.
pid_of() {
  local file=$dir/pids/$1 pid
  [ -f "$file" ] || return 1
  pid=$(cat "$file")
  [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$1" ] && alive "$pid" || return 1
  echo "$pid"
}

munge_answers() { munge -n -S "$munge_socket" >/dev/null 2>&1; }

# Waits up to $2 seconds for pid $1 to exit; fails if it still runs.
wait_exit() {
  local pid=$1 ticks=$(($2 * 5))
  while alive "$pid"; do
    [ $ticks -gt 0 ] || return 1
    ticks=$((ticks - 1))
    sleep 0.2
  done
}

# Stops the recorded NAME: SIGTERM, then SIGKILL after 10 s.
end_process() {
  local name=$1 pid
  pid=$(pid_of "$name") || { rm -f "$dir/pids/$name"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_exit "$pid" 10; then
    say "$name (pid $pid) ignored SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_exit "$pid" 5 || say "warning: $name (pid $pid) is still running"
  fi
  rm -f "$dir/pids/$name"
}

# Job step daemons of this cluster's slurmd (they hold its log file open), which outlive a
# killed slurmd, and the process groups of the jobs under them (proctrack/pgid).
stray_steps() {
  local p
  for p in $(pgrep -x slurmstepd 2>/dev/null || true); do
    if find "/proc/$p/fd" -lname "$dir/log/slurmd.log" 2>/dev/null | grep -q .; then
      echo "$p"
    fi
  done
  return 0
}

end_stray_steps() {
  local steps p child signal
  steps=$(stray_steps)
  [ -n "$steps" ] || return 0
  say "ending the job steps left by slurmd: pids ${steps//$'\n'/ }"
  for signal in TERM KILL; do
    for p in $steps; do
      for child in $(pgrep -P "$p" 2>/dev/null || true); do
        kill -"$signal" -- "-$child" 2>/dev/null || true
      done
      kill -"$signal" "$p" 2>/dev/null || true
    done
    [ $signal = KILL ] || sleep 1
  done
}

# MARK: - start

write_config() {
  local cpus memory
  cpus=$(nproc)
  # Slurm drains a node whose measured memory is below RealMemory: claim 90 % of it.
  memory=$(awk '/^MemTotal:/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
  sed -e "s|@DIR@|$dir|g" -e "s|@NODE@|$node|g" -e "s|@CPUS@|$cpus|g" \
    -e "s|@MEMORY@|$memory|g" -e "s|@CTLD_PORT@|$ctld_port|g" \
    -e "s|@SLURMD_PORT@|$((ctld_port + 1))|g" "$here/slurm.conf.in" >"$conf"
}

start_munge() {
  if munge_answers; then
    say "munged already answers on $munge_socket; using it"
    return 0
  fi
  if [ ! -f "$munge_key" ]; then
    say "creating the munge key $munge_key"
    install -d -o munge -g munge -m 0700 "$(dirname "$munge_key")"
    if command -v mungekey >/dev/null 2>&1; then
      mungekey --create --keyfile="$munge_key"
    else
      dd if=/dev/urandom of="$munge_key" bs=1024 count=1 status=none
    fi
    chown munge:munge "$munge_key"
    chmod 0400 "$munge_key"
  fi
  install -d -o munge -g munge -m 0755 "$(dirname "$munge_socket")"
  # munged forks into the background and writes its pid file once it listens.
  runuser -u munge -- munged --socket="$munge_socket" --pid-file="$munge_pidfile" \
    || die "munged did not start; see /var/log/munge/munged.log"
  local ticks=50
  until munge_answers; do
    [ $ticks -gt 0 ] || die "munged does not answer on $munge_socket; see /var/log/munge/munged.log"
    ticks=$((ticks - 1))
    sleep 0.2
  done
  cp "$munge_pidfile" "$dir/pids/munged"
}

show_logs() {
  local name
  scontrol show node "$node" 2>/dev/null | grep -E 'State=|Reason=' >&2 || true
  for name in slurmctld slurmd; do
    echo "--- last lines of $dir/log/$name.log ---" >&2
    if [ -s "$dir/log/$name.log" ]; then
      tail -n 15 "$dir/log/$name.log" >&2
    else
      tail -n 15 "$dir/log/$name.stderr" >&2 2>/dev/null || true
    fi
  done
}

# Waits until sinfo reports the node usable (idle, or running jobs); fails when slurmctld
# refuses the node (the reason is in `scontrol show node`) or a daemon exits.
wait_usable() {
  local deadline=$((SECONDS + wait_seconds)) state="" name
  while :; do
    state=$(sinfo -h -n "$node" -o %T 2>/dev/null || true)
    case $state in
      idle | mixed | allocated)
        say "node $node is $state ($(nproc) CPUs; SLURM_CONF=$conf)"
        return 0
        ;;
      inval* | drain*)
        echo "slurm node: error: slurmctld set node $node to '$state'" >&2
        return 1
        ;;
    esac
    for name in slurmctld slurmd; do
      pid_of "$name" >/dev/null || { echo "slurm node: error: $name exited" >&2; return 1; }
    done
    if [ $SECONDS -ge $deadline ]; then
      echo "slurm node: error: node $node is '${state:-unknown}', not idle, after $wait_seconds s" >&2
      return 1
    fi
    sleep 1
  done
}

cmd_start() {
  is_root || die "start needs root: slurmctld and slurmd run as root, munged as user munge."
  cmd_install
  if pid_of slurmctld >/dev/null && pid_of slurmd >/dev/null; then
    say "already running in $dir"
    wait_usable || { show_logs; exit 1; }
    return 0
  fi
  # Part of a cluster started here is gone (a daemon died or was killed): stop the rest, and
  # its job steps, before starting afresh.
  if [ -n "$(ls -A "$dir/pids" 2>/dev/null)" ]; then
    cmd_stop
  fi
  local name pid
  for name in slurmctld slurmd; do
    for pid in $(pgrep -x "$name" || true); do
      ! alive "$pid" || die "a $name that this script did not start is running (pid $pid); stop it first."
    done
  done
  rm -f "$dir/pids/"*

  rm -rf "$dir/state" "$dir/spool" "$dir/log"
  mkdir -p "$dir/state" "$dir/spool" "$dir/log" "$dir/pids"
  write_config
  start_munge
  # Foreground daemons (-D), detached with setsid and started from $dir: their pids are known
  # here, a Ctrl-C in the calling terminal leaves them to `stop`, and they hold no other folder.
  (cd "$dir" && exec setsid slurmctld -D -i -f "$conf" </dev/null >"$dir/log/slurmctld.stderr" 2>&1) &
  echo $! >"$dir/pids/slurmctld"
  (cd "$dir" && exec setsid slurmd -D -f "$conf" </dev/null >"$dir/log/slurmd.stderr" 2>&1) &
  echo $! >"$dir/pids/slurmd"
  if ! wait_usable; then
    show_logs
    cmd_stop >&2
    exit 1
  fi
}

# MARK: - stop

cmd_stop() {
  local ctld slurmd_pid deadline
  if [ ! -d "$dir/pids" ] || [ -z "$(ls -A "$dir/pids" 2>/dev/null)" ]; then
    end_stray_steps
    say "not running ($dir)"
    return 0
  fi
  ctld=$(pid_of slurmctld || true)
  slurmd_pid=$(pid_of slurmd || true)
  if [ -n "$ctld" ]; then
    # Cancel the cluster's jobs while slurmd can still end them, then shut both daemons down.
    if [ -n "$slurmd_pid" ] && [ -n "$(squeue -h -p "$partition" -o %i 2>/dev/null)" ]; then
      say "cancelling the jobs in partition $partition"
      timeout 10 scancel --partition="$partition" 2>/dev/null || true
      deadline=$((SECONDS + 15))
      while [ -n "$(squeue -h -p "$partition" -o %i 2>/dev/null)" ] && [ $SECONDS -lt $deadline ]; do
        sleep 1
      done
    fi
    timeout 10 scontrol shutdown >/dev/null 2>&1 || true
    wait_exit "$ctld" 10 || true
  fi
  end_process slurmd
  end_process slurmctld
  end_stray_steps
  end_process munged
  rm -f "$dir/pids/"*
  say "stopped ($dir)"
}

# MARK: - status

cmd_status() {
  local name pid running=0 jobs
  for name in munged slurmctld slurmd; do
    if pid=$(pid_of "$name"); then
      echo "$name running (pid $pid)"
      [ "$name" = munged ] || running=$((running + 1))
    elif [ "$name" = munged ] && munge_answers; then
      echo "munged running (not started by this script)"
    else
      echo "$name not running"
    fi
  done
  if [ $running -gt 0 ] && pid_of slurmctld >/dev/null; then
    sinfo -N -h -o "node %N: %T, CPUs (allocated/idle/other/total) %C" 2>/dev/null || true
    jobs=$(squeue -h -o %i 2>/dev/null | wc -l)
    echo "queue: $jobs job(s) pending or running"
  fi
  echo "SLURM_CONF=$conf"
  [ $running -eq 2 ] && return 0
  [ $running -eq 0 ] && return 3
  return 1
}

case ${1:-} in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) echo "export SLURM_CONF=$conf" ;;
  *)
    echo "usage: $0 install|start|stop|status|env   (docs/SLURM.md)" >&2
    exit 2
    ;;
esac
