#!/usr/bin/env bash
# Starts, stops and checks a throwaway PostgreSQL for the concurrent-etl demo's --target postgres
# and its integration tests.
#
#   scripts/postgres.sh start    install Debian's postgresql packages if missing, create a
#                                cluster (once) and start it on 127.0.0.1:5433 and a Unix socket
#   scripts/postgres.sh stop     stop the cluster this script started
#   scripts/postgres.sh status   say whether it answers; exit 0 if it does
#
# The cluster listens on loopback and a Unix socket only; trust authentication for local users
# (the user `rehearse`, database `rehearse`): it holds nothing but the demo's tables. initdb
# refuses to run as root, so the server runs as the `postgres` system user the package creates,
# in a data directory that user owns.
#
# The demo's default URL: postgres://rehearse@127.0.0.1:5433/rehearse
#
# Environment (all optional):
#   PGDEMO_HOME   state dir, owned by postgres: data, log  [/var/tmp/rehearse-postgres]
#   PGDEMO_PORT   TCP port on 127.0.0.1                    [5433]
#   PGDEMO_TIMEOUT  seconds to wait for it to answer on start  [60]
set -euo pipefail
# shellcheck source=scripts/lib/wait.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/wait.sh"

STATE="${PGDEMO_HOME:-/var/tmp/rehearse-postgres}"
DATA="$STATE/data"
LOG="$STATE/postgres.log"
PORT="${PGDEMO_PORT:-5433}"
SOCKETS="$STATE/sockets"
TIMEOUT="${PGDEMO_TIMEOUT:-60}"

say() { printf 'postgres.sh: %s\n' "$*" >&2; }

as_postgres() {
    if [[ "$(id -un)" == postgres ]]; then
        "$@"
    elif [[ "$(id -u)" == 0 ]]; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u postgres -- "$@"
        else
            su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
        fi
    else
        sudo -u postgres -- "$@"
    fi
}

bindir() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        [[ -x "$dir/pg_ctl" ]] && printf '%s\n' "$dir"
    done | sort -V | tail -n 1
}

install() {
    if [[ -n "$(bindir)" ]] && getent passwd postgres >/dev/null; then
        return 0
    fi
    say "installing Debian's postgresql packages (once)"
    local sudo=""
    [[ "$(id -u)" == 0 ]] || sudo=sudo
    $sudo apt-get update -qq
    # The package's own cluster is not used: ours lives in $STATE.
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
}

server_alive() {
    as_postgres "$(bindir)/pg_ctl" --pgdata="$DATA" status >/dev/null 2>&1
}

ready() {
    "$(bindir)/pg_isready" -q -h 127.0.0.1 -p "$PORT" -t 2 >/dev/null 2>&1
}

create_cluster() {
    [[ -f "$DATA/PG_VERSION" ]] && return 0
    local sudo=""
    [[ "$(id -u)" == 0 ]] || sudo=sudo
    $sudo mkdir -p "$STATE"
    $sudo chown postgres: "$STATE"
    $sudo chmod 700 "$STATE"
    say "creating a cluster in $DATA"
    as_postgres "$(bindir)/initdb" --pgdata="$DATA" --username=postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >>"$LOG.init" 2>&1 || {
        say "initdb failed; see $LOG.init"
        exit 1
    }
    as_postgres mkdir -p "$SOCKETS"
    # Loopback and the Unix socket only; nothing listens on other interfaces.
    as_postgres tee -a "$DATA/postgresql.conf" >/dev/null <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$SOCKETS'
max_connections = 40
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 128MB
CONF
    as_postgres tee "$DATA/pg_hba.conf" >/dev/null <<HBA
local all all trust
host all all 127.0.0.1/32 trust
HBA
}

start() {
    install
    if ready; then
        say "already running on 127.0.0.1:$PORT"
        return 0
    fi
    create_cluster
    say "starting PostgreSQL on 127.0.0.1:$PORT (log: $LOG)"
    # pg_ctl waits for the postmaster to say it is ready; then wait for what the demo uses, an
    # answer on the loopback port.
    as_postgres "$(bindir)/pg_ctl" --pgdata="$DATA" --log="$LOG" --wait --timeout="$TIMEOUT" start >/dev/null || {
        say "PostgreSQL did not start; the end of $LOG:"
        tail -n 20 "$LOG" >&2
        exit 1
    }
    wait_until_ready PostgreSQL "$TIMEOUT" "$LOG" ready server_alive || exit 1
    # The demo's role and database, once.
    local psql=("$(bindir)/psql" -h "$SOCKETS" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA)
    if [[ "$(as_postgres "${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = 'rehearse'")" != 1 ]]; then
        as_postgres "${psql[@]}" -c "CREATE ROLE rehearse LOGIN"
    fi
    if [[ "$(as_postgres "${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'rehearse'")" != 1 ]]; then
        as_postgres "${psql[@]}" -c "CREATE DATABASE rehearse OWNER rehearse"
    fi
    say "running on 127.0.0.1:$PORT: postgres://rehearse@127.0.0.1:$PORT/rehearse"
}

stop() {
    if [[ -z "$(bindir)" || ! -f "$DATA/postmaster.pid" ]]; then
        say "not running"
        return 0
    fi
    as_postgres "$(bindir)/pg_ctl" --pgdata="$DATA" --mode=fast --wait stop >/dev/null 2>&1 || true
    say "stopped"
}

status() {
    if [[ -n "$(bindir)" ]] && ready; then
        say "running on 127.0.0.1:$PORT: postgres://rehearse@127.0.0.1:$PORT/rehearse"
        return 0
    fi
    say "not running; start it with scripts/postgres.sh start"
    return 1
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status) status ;;
*)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
