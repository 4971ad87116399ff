#!/usr/bin/env bash
# Makes sure the PostgreSQL and Redis that the integration tests use are running on this machine
# (127.0.0.1:5432 and 127.0.0.1:6379), starting them - or installing them from Debian's packages -
# when they are missing. Tests can point elsewhere with TEST_POSTGRES_URL and TEST_REDIS_URL.
# Also installs the Chromium the dashboard's browser tests drive (/usr/bin/chromium, or
# CHROMIUM_PATH), and poppler-utils, whose pdftotext and pdftoppm the PDF tests read documents with.
set -euo pipefail

pg_ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
redis_ready() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ -z "${TEST_POSTGRES_URL:-}" ] && ! pg_ready; then
  if ! command -v pg_ctlcluster >/dev/null; then
    echo "Installing PostgreSQL from Debian's packages..."
    as_root apt-get install -y -q postgresql >/dev/null
  fi
  echo "Starting PostgreSQL..."
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
  for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
  pg_ready || { echo "PostgreSQL did not start on 127.0.0.1:5432" >&2; exit 1; }
fi

if [ -z "${TEST_REDIS_URL:-}" ] && ! redis_ready; then
  if ! command -v redis-server >/dev/null; then
    echo "Installing Redis from Debian's packages..."
    as_root apt-get install -y -q redis-server >/dev/null
  fi
  echo "Starting Redis..."
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" \
    --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis_ready && break; sleep 1; done
  redis_ready || { echo "Redis did not start on 127.0.0.1:6379" >&2; exit 1; }
fi

if [ -z "${CHROMIUM_PATH:-}" ] && [ ! -x /usr/bin/chromium ]; then
  echo "Installing Chromium from Debian's packages (for the browser tests)..."
  # A fresh machine may have no package lists yet: refresh them once if the install needs it.
  install_chromium() { as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }
  install_chromium || { as_root apt-get update -q >/dev/null && install_chromium; }
  [ -x /usr/bin/chromium ] || { echo "Chromium did not install to /usr/bin/chromium" >&2; exit 1; }
fi

if ! command -v pdftoppm >/dev/null || ! command -v pdftotext >/dev/null; then
  echo "Installing poppler-utils from Debian's packages (for the PDF tests)..."
  install_poppler() { as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q poppler-utils >/dev/null; }
  install_poppler || { as_root apt-get update -q >/dev/null && install_poppler; }
  command -v pdftoppm >/dev/null || { echo "poppler-utils did not install pdftoppm" >&2; exit 1; }
fi
