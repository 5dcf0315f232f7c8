#!/usr/bin/env bash
# Installs the Debian packages ganlab builds against (with --with-ffmpeg also ffmpeg for videos,
# with --with-chromium also Chromium, which the report page's tests run headless).
# As root it runs apt-get; otherwise it prints the exact command and fails, changing nothing.
set -euo pipefail

required=(libcairo2-dev libopenblas-dev pkg-config)
optional=()
[ "${1:-}" = "--with-ffmpeg" ] && optional=(ffmpeg)
# The report page's tests open it in headless Chromium (`make test`).
[ "${1:-}" = "--with-chromium" ] && required+=(chromium)

missing() {
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

if ! command -v swift >/dev/null 2>&1; then
  echo "error: swift is not on PATH. Install Swift 6.3 (https://www.swift.org/install/linux/) and retry." >&2
  exit 1
fi
if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "note: not a Debian system; make sure cairo, OpenBLAS and pkg-config are installed (macOS: brew install cairo openblas pkg-config)."
  exit 0
fi

need=($(missing "${required[@]}"))
want=($(missing "${optional[@]+"${optional[@]}"}"))

if [ ${#need[@]} -gt 0 ] || [ ${#want[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "installing: ${need[*]-} ${want[*]-}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    if [ ${#need[@]} -gt 0 ]; then
      apt-get install -y -qq --no-install-recommends "${need[@]}"
    fi
    if [ ${#want[@]} -gt 0 ]; then
      apt-get install -y -qq --no-install-recommends "${want[@]}" \
        || echo "warning: could not install ${want[*]}: frames will be written but no video encoded."
    fi
  elif [ ${#need[@]} -gt 0 ]; then
    echo "error: missing Debian packages: ${need[*]}. Run this, then retry:" >&2
    echo "  sudo apt-get install -y ${need[*]}${want[*]:+ ${want[*]}}" >&2
    exit 1
  else
    echo "note: ${want[*]} is not installed, so no video will be encoded. To get videos:"
    echo "  sudo apt-get install -y ${want[*]}"
  fi
fi
