#!/usr/bin/env bash
# Throw-away PostgreSQL 15 server for the tests.
#   postgres.sh start DIR   -> prints postgres://helpdesk:helpdesk@127.0.0.1:PORT/postgres once it accepts connections
#   postgres.sh stop DIR    -> stops it (fast) and waits
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd=$1
dir=$2
bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
data="$dir/data"
log="$dir/postgres.log"

# initdb/postgres refuse to run as root, so as root everything runs as the Debian "postgres" user.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    data="$dir/data" log="$dir/postgres.log" sock="$dir/sock"
    mkdir -p "$sock"
    if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$dir"; fi
    chmod 700 "$sock"
    as_pg test -w "$dir" || { echo "postgres.sh: $dir (or a parent) is not writable by the server user" >&2; exit 1; }
    # run from DIR: postgres' tools complain if they cannot access the current directory
    cd "$dir"

    # Free port: let the kernel pick one, then release it for postgres.
    port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")

    # The bootstrap superuser is helpdesk itself (password from a file: no quoting, not in ps).
    pwfile="$dir/pwfile"
    echo helpdesk > "$pwfile"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$pwfile"; fi
    as_pg "$bin/initdb" -D "$data" -U helpdesk --pwfile="$pwfile" -E UTF8 --locale=C \
      --auth-local=trust --auth-host=scram-sha-256 --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; echo "postgres.sh: initdb failed" >&2; exit 1; }
    rm -f "$pwfile"

    cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$sock'
max_connections = 200
# durability is pointless for a throw-away test server
fsync = off
synchronous_commit = off
full_page_writes = off
CONF

    if ! as_pg "$bin/pg_ctl" start -D "$data" -l "$log" -w -t 30 >&2; then
      echo "postgres.sh: server did not come up (waited up to 30 s); log follows" >&2
      cat "$log" >&2 || true
      exit 1
    fi
    # pg_ctl -w trusts postmaster.pid; confirm TCP really answers before handing out the URL.
    as_pg "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 10 \
      || { echo "postgres.sh: not accepting TCP connections on 127.0.0.1:$port" >&2; cat "$log" >&2; exit 1; }
    echo "postgres://helpdesk:helpdesk@127.0.0.1:$port/postgres"
    ;;
  stop)
    # Nothing to stop if start never got that far (keeps EXIT traps quiet).
    [ -f "$data/postmaster.pid" ] || exit 0
    cd "$dir"
    as_pg "$bin/pg_ctl" stop -D "$data" -m fast -w -t 60 >&2
    ;;
  *) usage ;;
esac
