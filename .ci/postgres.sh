#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on loopback (Debian's `postgresql` package, a fresh cluster in
# a temporary folder, trust authentication on 127.0.0.1 only) for the relay's acceptance suite, and
# prints its address. A server already started by an earlier call is reused.
set -euo pipefail
port=${PROXI_PG_PORT:-54329}
dir=${PROXI_PG_DIR:-/tmp/proxi-pg}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}
if ! as_postgres "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
  rm -rf "$dir"
  mkdir -p "$dir"
  chown postgres "$dir" 2>/dev/null || sudo chown postgres "$dir"
  as_postgres "$bin/initdb" -D "$dir" -A trust -U postgres >/dev/null
  as_postgres "$bin/pg_ctl" -D "$dir" -o "-c listen_addresses=127.0.0.1 -p $port -k $dir" -l "$dir/server.log" -w start >/dev/null
fi
echo "postgres://postgres@127.0.0.1:$port/postgres"
