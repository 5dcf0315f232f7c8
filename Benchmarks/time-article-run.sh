#!/usr/bin/env bash
# Times the full spiral-article run (60,000 steps of 3×512 networks, a 600-frame trace, the stills
# and the timelapse frames) in a release build, and prints the wall time with the machine's load
# before and after, so a time is never quoted without the conditions it was measured under.
#
# Usage: Benchmarks/time-article-run.sh [experiment] [extra `ganlab run` arguments...]
# Run from the repository root. The run goes to output/bench/<experiment>.
set -euo pipefail
experiment="${1:-spiral-article}"
shift || true
bin=".build/release/ganlab"
make -s build >/dev/null  # the Makefile decides GANLAB_AVX512, as for make bench
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s.%N)
"$bin" run "$experiment" --out "output/bench/$experiment" --force "$@"
end=$(date +%s.%N)
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v s="$start" -v e="$end" 'BEGIN { t = e - s; printf "wall time: %.0f s (%d min %02d s)\n", t, int(t / 60), int(t) % 60 }'
