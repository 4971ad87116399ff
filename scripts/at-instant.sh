#!/usr/bin/env bash
# Runs a command with the clock reading a chosen instant, then moving on as usual, through
# Debian's faketime (LD_PRELOAD): every process the command starts sees that clock (Node.js,
# the embedded PostgreSQL, Chromium); servers already running (PostgreSQL on 5432, Redis) keep
# the real one. For the suites that read the real clock; see "Any hour" in the README.
#
#   bash scripts/at-instant.sh 'TZ="Europe/London" 2027-03-28 00:30' npm test
#   bash scripts/at-instant.sh 2027-10-31T01:30:00Z npx pnpm@12.21.0 --filter @vfx/worker test
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "Usage: bash scripts/at-instant.sh <instant> <command> [arguments...]" >&2
  echo "  <instant>: anything GNU date reads, e.g. 2027-03-28T00:30:00Z or 'TZ=\"Europe/London\" 2027-03-28 00:30'" >&2
  exit 2
fi
if ! command -v faketime >/dev/null; then
  echo "faketime is not installed: sudo apt-get install -y faketime" >&2
  exit 2
fi
instant="$1"
shift
if ! utc="$(TZ=UTC date -d "$instant" '+%Y-%m-%d %H:%M:%S')"; then
  echo "\"$instant\" is not an instant GNU date can read." >&2
  exit 2
fi
london="$(TZ=Europe/London date -d "$instant" '+%a %d %b %Y %H:%M %Z')"
echo "[at-instant] ${utc} UTC (${london} in London): $*" >&2
# Turbo would replay test results cached at another clock reading: run every task again.
export TURBO_FORCE=true
# faketime reads its start time in its own zone: give it UTC; the command keeps the caller's TZ.
exec faketime "${utc} UTC" "$@"
