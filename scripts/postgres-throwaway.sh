#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1 (for the PostgreSQL store's benchmarks and for
# trying serve with store: postgres), with Debian's postgresql binaries; prints the JDBC URL.
#   scripts/postgres-throwaway.sh start [PORT]   # default port 55432; data in /tmp/autoscaler-pg-PORT
#   scripts/postgres-throwaway.sh stop  [PORT]
# The tests need none of this: they start and remove a cluster of their own.
set -euo pipefail
cmd="${1:-start}"; port="${2:-55432}"; dir="/tmp/autoscaler-pg-$port"
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "install PostgreSQL first: apt-get install postgresql" >&2; exit 1; }
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$cmd" in
  start)
    if [ ! -d "$dir/data" ]; then
      mkdir -p "$dir"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
      as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C >/dev/null
    fi
    as_owner "$bin/pg_ctl" -D "$dir/data" -o "-p $port -h 127.0.0.1 -k $dir -c max_connections=200" -l "$dir/log" -w start >/dev/null
    echo "jdbc:postgresql://127.0.0.1:$port/postgres (user postgres, no password)"
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null && rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop [PORT]" >&2; exit 2 ;;
esac
