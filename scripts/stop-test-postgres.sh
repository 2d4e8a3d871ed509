#!/usr/bin/env bash
# Stops a server started by start-test-postgres.sh. Usage: stop-test-postgres.sh DIR
set -uo pipefail
dir="$1"
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
run=()
[ "$(id -u)" -eq 0 ] && run=(runuser -u postgres --)
"${run[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
