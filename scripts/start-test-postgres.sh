#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for tests: DIR holds its data, it listens on 127.0.0.1:PORT,
# user "postgres" with no password (trust on loopback only). Prints nothing on success.
# PostgreSQL refuses to run as root, so as root the server runs as the 'postgres' system user.
# Usage: start-test-postgres.sh DIR PORT    |    stop: pg_ctl -D DIR stop (same user)
set -euo pipefail
dir="$1"; port="$2"
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "start-test-postgres: PostgreSQL server binaries not found (scripts/install-test-deps.sh installs them)" >&2; exit 3; }
run=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  mkdir -p "$dir"; chown postgres "$dir"; chmod 700 "$dir"
  run=(runuser -u postgres --)
fi
"${run[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync >/dev/null
"${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
