#!/usr/bin/env bash
# Starts, stops and checks a LocalStack for the recursion-guard demo and its integration tests.
#
#   scripts/localstack.sh start    install into a venv if missing, start in the background on
#                                  127.0.0.1:4566, wait until /_localstack/health answers
#   scripts/localstack.sh stop     stop the LocalStack this script started
#   scripts/localstack.sh status   say whether it answers; exit 0 if it does
#
# Without Docker (this machine, CI) LocalStack runs on the host from PyPI; Lambda functions do
# not run there, which is why the demo polls SQS itself the way an event-source mapping would.
# With Docker you can run the image instead:
#   docker run --rm -p 127.0.0.1:4566:4566 localstack/localstack:4.14.0
#
# Environment (all optional):
#   LOCALSTACK_HOME     state dir: venv, data, log, pid  [~/.cache/rehearse/localstack]
#   PYTHON              interpreter for the venv; must be Python 3.11  [python3.11, else python3]
#   LOCALSTACK_TIMEOUT  seconds to wait for health on start  [120]
set -euo pipefail
# shellcheck source=scripts/lib/wait.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/wait.sh"

STATE="${LOCALSTACK_HOME:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/rehearse/localstack}"
VENV="$STATE/venv"
LOG="$STATE/localstack.log"
PIDFILE="$STATE/localstack.pid"
HEALTH_URL="http://127.0.0.1:4566/_localstack/health"
TIMEOUT="${LOCALSTACK_TIMEOUT:-120}"

# localstack-core 4.13.1 is the newest that imports on Python 3.11; the pins keep its
# dependencies at versions it works with.
PACKAGES=("localstack-core[runtime]==4.13.1" "cbor2<6" "pyopenssl<26" "cryptography<47" "service_identity")

say() { printf 'localstack.sh: %s\n' "$*" >&2; }

healthy() {
    curl --silent --fail --max-time 2 "$HEALTH_URL" >/dev/null 2>&1
}

our_pid() {
    # The pid we started, if that process is still alive and still LocalStack (a stale pid
    # file must never make us signal some other process that got the same pid).
    [[ -f "$PIDFILE" ]] || return 1
    local pid
    pid="$(cat "$PIDFILE")"
    [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'localstack.runtime.main' || return 1
    printf '%s\n' "$pid"
}

pick_python() {
    if [[ -n "${PYTHON:-}" ]]; then
        printf '%s\n' "$PYTHON"
    elif command -v python3.11 >/dev/null 2>&1; then
        printf 'python3.11\n'
    else
        printf 'python3\n'
    fi
}

install() {
    if [[ -x "$VENV/bin/python" ]] && "$VENV/bin/python" -c 'import localstack.runtime.main' 2>/dev/null; then
        return 0
    fi
    local python
    python="$(pick_python)"
    local version
    version="$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
    if [[ "$version" != "3.11" ]]; then
        say "warning: $python is Python $version; localstack-core 4.13.1 is known to work on 3.11"
    fi
    say "installing localstack-core into $VENV (about a minute, once)"
    mkdir -p "$STATE"
    "$python" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${PACKAGES[@]}" >>"$LOG" 2>&1 || {
        say "pip install failed; the end of $LOG:"
        tail -n 20 "$LOG" >&2
        exit 1
    }
}

# The pid wait_healthy watches.
STARTED_PID=""
started_alive() { kill -0 "$STARTED_PID" 2>/dev/null; }

wait_healthy() {
    STARTED_PID="$1"
    wait_until_ready LocalStack "$TIMEOUT" "$LOG" healthy started_alive || {
        started_alive || rm -f "$PIDFILE"
        exit 1
    }
}

start() {
    if healthy; then
        say "already running on 127.0.0.1:4566"
        return 0
    fi
    local pid
    if pid="$(our_pid)"; then
        say "started earlier (pid $pid), waiting for it to answer"
        wait_healthy "$pid"
        say "running on 127.0.0.1:4566"
        return 0
    fi
    install
    mkdir -p "$STATE/fs"
    say "starting LocalStack on 127.0.0.1:4566 (log: $LOG)"
    # setsid: its own session, so it outlives this script and is stopped by pid, not by group.
    GATEWAY_SERVER=hypercorn \
        GATEWAY_LISTEN=127.0.0.1:4566 \
        DNS_ADDRESS=0 \
        SKIP_SSL_CERT_DOWNLOAD=1 \
        DISABLE_EVENTS=1 \
        SQS_ENDPOINT_STRATEGY=path \
        LOCALSTACK_HOST=localhost:4566 \
        FILESYSTEM_ROOT="$STATE/fs" \
        setsid "$VENV/bin/python" -m localstack.runtime.main >>"$LOG" 2>&1 </dev/null &
    pid=$!
    printf '%s\n' "$pid" >"$PIDFILE"
    local started=$SECONDS
    wait_healthy "$pid"
    say "running on 127.0.0.1:4566 (pid $pid, ready after $((SECONDS - started))s)"
}

stop() {
    local pid
    if ! pid="$(our_pid)"; then
        rm -f "$PIDFILE"
        if healthy; then
            say "a LocalStack answers on 4566 but this script did not start it; leaving it alone"
        else
            say "not running"
        fi
        return 0
    fi
    kill -TERM "$pid"
    for _ in $(seq 1 40); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
        say "pid $pid did not stop within 20s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$PIDFILE"
    say "stopped"
}

status() {
    if healthy; then
        local pid
        pid="$(our_pid || true)"
        say "running on 127.0.0.1:4566${pid:+ (pid $pid)}"
        return 0
    fi
    say "not running; start it with scripts/localstack.sh start"
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
