#!/usr/bin/env bash
# npm run dev:services [-- stop]: what `docker compose up` gives, without Docker, on Debian/Ubuntu.
#   PostgreSQL  the local cluster (pg_ctlcluster); checks that PostGIS is installed for it
#   Redis       a redis-server of its own (noeviction, append-only file, data in .dev-services/)
#   SMTP        scripts/mail-catcher.mjs: SMTP on 1025, inbox at http://localhost:8025
# Whatever already answers on its port is left alone and used. `stop` stops only what this script
# started (Redis and the catcher); PostgreSQL is a system service and keeps running.
# Ports: PGPORT (5432), REDIS_PORT (6379), MAIL_CATCHER_SMTP_PORT (1025), MAIL_CATCHER_HTTP_PORT (8025).
set -euo pipefail
cd "$(dirname "$0")/.."

PGPORT="${PGPORT:-5432}"
REDIS_PORT="${REDIS_PORT:-6379}"
SMTP_PORT="${MAIL_CATCHER_SMTP_PORT:-1025}"
HTTP_PORT="${MAIL_CATCHER_HTTP_PORT:-8025}"
STATE="${DEV_SERVICES_DIR:-$PWD/.dev-services}"
mkdir -p "$STATE"

say() { printf 'dev:services: %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { for _ in $(seq 1 50); do port_open "$1" && return 0; sleep 0.1; done; return 1; }

stop_pidfile() { # name pidfile
  if [ -f "$2" ] && kill -0 "$(cat "$2")" 2>/dev/null; then
    kill "$(cat "$2")" && say "stopped $1 (pid $(cat "$2"))"
  else
    say "$1 was not started by this script"
  fi
  rm -f "$2"
}

if [ "${1:-}" = "stop" ]; then
  stop_pidfile Redis "$STATE/redis.pid"
  stop_pidfile "mail catcher" "$STATE/mail-catcher.pid"
  say "PostgreSQL keeps running (stop it with: sudo pg_ctlcluster <version> main stop)"
  exit 0
fi

# ---- PostgreSQL ------------------------------------------------------------------------------
if pg_isready -q -h 127.0.0.1 -p "$PGPORT" 2>/dev/null; then
  say "PostgreSQL already answers on 127.0.0.1:$PGPORT"
elif command -v pg_lsclusters >/dev/null && [ -n "$(pg_lsclusters -h 2>/dev/null | awk -v p="$PGPORT" '$3 == p')" ]; then
  read -r version cluster _ < <(pg_lsclusters -h | awk -v p="$PGPORT" '$3 == p')
  say "starting PostgreSQL $version/$cluster on port $PGPORT"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start
  wait_port "$PGPORT" || { say "PostgreSQL did not come up; see /var/log/postgresql/"; exit 1; }
else
  say "no PostgreSQL cluster on port $PGPORT. Install one with PostGIS, then run this again:"
  say "  sudo apt-get install postgresql-15 postgresql-15-postgis-3"
  exit 1
fi
version="$(pg_lsclusters -h 2>/dev/null | awk -v p="$PGPORT" '$3 == p { print $1 }' || true)"
if [ -n "$version" ] && [ ! -f "/usr/share/postgresql/$version/extension/postgis.control" ]; then
  say "PostGIS is not installed for PostgreSQL $version: sudo apt-get install postgresql-$version-postgis-3"
fi

# ---- Redis -----------------------------------------------------------------------------------
if port_open "$REDIS_PORT"; then
  say "Redis (or something) already answers on 127.0.0.1:$REDIS_PORT"
elif command -v redis-server >/dev/null; then
  # BullMQ needs noeviction (evicted job keys = lost jobs); the append-only file keeps queued jobs.
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --maxmemory-policy noeviction \
    --appendonly yes --save "" --dir "$STATE" --pidfile "$STATE/redis.pid" --logfile "$STATE/redis.log"
  wait_port "$REDIS_PORT" || { say "Redis did not come up; see $STATE/redis.log"; exit 1; }
  say "started Redis on 127.0.0.1:$REDIS_PORT (data and log in $STATE)"
else
  say "redis-server is not installed: sudo apt-get install redis-server"
  exit 1
fi

# ---- SMTP catcher ----------------------------------------------------------------------------
if port_open "$SMTP_PORT"; then
  say "an SMTP server already answers on 127.0.0.1:$SMTP_PORT"
else
  [ -d node_modules/smtp-server ] || { say "run npm ci first (the mail catcher uses smtp-server and mailparser)"; exit 1; }
  MAIL_CATCHER_SMTP_PORT="$SMTP_PORT" MAIL_CATCHER_HTTP_PORT="$HTTP_PORT" \
    nohup node scripts/mail-catcher.mjs >>"$STATE/mail-catcher.log" 2>&1 &
  echo $! >"$STATE/mail-catcher.pid"
  wait_port "$SMTP_PORT" || { say "the mail catcher did not come up; see $STATE/mail-catcher.log"; exit 1; }
  say "started the mail catcher: SMTP on 127.0.0.1:$SMTP_PORT, inbox at http://localhost:$HTTP_PORT"
fi

cat <<EOF

Use these in .env (DATABASE_URL's role and database: README, "Running without Docker"):
  DATABASE_URL=postgres://kindshift:change-me@127.0.0.1:$PGPORT/kindshift
  REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
  SMTP_URL=smtp://127.0.0.1:$SMTP_PORT
Stop Redis and the mail catcher again with: npm run dev:services -- stop
EOF
