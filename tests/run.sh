#!/usr/bin/env bash
# Sets up everything the tests need on a fresh machine, then runs ruff, mypy and pytest.
# Idempotent: a second run only runs the checks. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_VERSION="${PG_VERSION:-15}"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

step() { printf '\n== %s\n' "$*"; }

step "system packages (pg_cron for Postgres $PG_VERSION)"
if ! dpkg -s "postgresql-$PG_VERSION-cron" >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "postgresql-$PG_VERSION-cron" >/dev/null
fi

step "Postgres configured for pg_cron and running"
conf="/etc/postgresql/$PG_VERSION/main/conf.d/sync-ai-models.conf"
wanted="shared_preload_libraries = 'pg_cron'
cron.database_name = 'sync_ai_models_cron'"
restart=no
if [ "$(cat "$conf" 2>/dev/null)" != "$wanted" ]; then
  printf '%s\n' "$wanted" | $SUDO tee "$conf" >/dev/null
  restart=yes
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432; then restart=yes; fi
if [ "$restart" = yes ]; then
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main restart
fi
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
pg_isready -h 127.0.0.1 -p 5432

step "virtualenv and packages"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[server,test]'

step "ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

step "mypy"
.venv/bin/mypy

step "pytest"
.venv/bin/pytest "$@"
