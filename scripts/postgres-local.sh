#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: installs Debian's `postgresql` when it is
# missing (root only), creates a cluster in a new temporary directory, starts it on a free
# loopback port (as the `postgres` user when run as root) and prints its administrator URL on
# stdout, e.g. postgres://postgres@127.0.0.1:41234/postgres. Everything else goes to stderr.
#
#   scripts/postgres-local.sh start        start one; prints the URL
#   scripts/postgres-local.sh stop URL     stop the one at URL and delete its directory
#
# Trust authentication on 127.0.0.1 only, fsync off: a cluster for tests, never for data.
set -euo pipefail

say() { echo "postgres-local: $*" >&2; }

find_bin() {
    local candidate
    for candidate in /usr/lib/postgresql/*/bin; do
        [[ -x "$candidate/initdb" && -x "$candidate/pg_ctl" ]] && { echo "$candidate"; return 0; }
    done
    return 1
}

as_owner() {
    if [[ $(id -u) == 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start() {
    local bin
    if ! bin=$(find_bin); then
        if [[ $(id -u) != 0 ]]; then
            say "PostgreSQL is not installed and this is not root: install Debian's postgresql"
            exit 1
        fi
        say "installing Debian's postgresql"
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
        bin=$(find_bin) || { say "postgresql installed but initdb was not found"; exit 1; }
    fi
    local dir port
    dir=$(mktemp -d /tmp/blueprint-postgres.XXXXXX)
    chmod 755 "$dir"
    if [[ $(id -u) == 0 ]]; then chown postgres: "$dir"; fi
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; say "initdb failed"; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
        start >&2 || { cat "$dir/server.log" >&2; say "the server did not start"; exit 1; }
    echo "$dir" >"$dir/data/blueprint-dir"
    say "cluster in $dir, port $port"
    echo "postgres://postgres@127.0.0.1:$port/postgres"
}

stop() {
    local url=$1 port dir bin
    port=$(sed -E 's#.*:([0-9]+)/.*#\1#' <<<"$url")
    bin=$(find_bin) || exit 0
    for dir in /tmp/blueprint-postgres.*; do
        [[ -f "$dir/data/postmaster.pid" ]] || continue
        if [[ $(sed -n 4p "$dir/data/postmaster.pid") == "$port" ]]; then
            as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >&2 || true
            rm -rf "$dir"
            say "stopped the cluster on port $port"
            return 0
        fi
    done
    say "no cluster of this script listens on port $port"
}

case "${1:-start}" in
    start) start ;;
    stop) stop "${2:?stop needs the URL that start printed}" ;;
    *) say "usage: $0 start | stop URL"; exit 2 ;;
esac
