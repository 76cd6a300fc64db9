# Shared by scripts/localstack.sh and scripts/postgres.sh (sourced, not run): wait until a
# service we just started answers, and give up with its log if it dies or takes too long.
#
#   wait_until_ready NAME TIMEOUT_S LOG READY_CMD ALIVE_CMD
#
# READY_CMD and ALIVE_CMD are names of shell functions (or commands) in the caller: READY_CMD
# succeeds once the service answers; ALIVE_CMD fails once the process we started has exited,
# so a crash at startup is reported at once instead of after the whole timeout. Returns 1
# (after printing why and the end of LOG) when the service is not ready.

wait_until_ready() {
    local name="$1" timeout="$2" log="$3" ready_cmd="$4" alive_cmd="$5"
    local half_seconds=0
    until "$ready_cmd"; do
        if ! "$alive_cmd"; then
            printf '%s: %s exited during startup; the end of %s:\n' "${0##*/}" "$name" "$log" >&2
            tail -n 30 "$log" >&2 2>/dev/null || true
            return 1
        fi
        if ((half_seconds >= timeout * 2)); then
            printf '%s: %s did not answer within %ss; see %s\n' "${0##*/}" "$name" "$timeout" "$log" >&2
            return 1
        fi
        sleep 0.5
        half_seconds=$((half_seconds + 1))
    done
}
