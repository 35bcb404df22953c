# Sourced by .ci/run: a throwaway PostgreSQL cluster for the sync tests.
# Installs PostgreSQL from the system's packages when it is missing, starts a cluster in a
# temporary folder on a free loopback port (as the postgres user when run as root: initdb
# refuses root), exports TEMPO_TEST_POSTGRES_URL, and stops and removes it on exit.
# Any failure fails CI (set -e in the caller).

_pg_bin() {
    local found
    found=$(command -v initdb 2>/dev/null || true)
    if [ -n "$found" ]; then
        dirname "$(readlink -f "$found")"
        return 0
    fi
    for dir in /usr/lib/postgresql/*/bin; do
        if [ -x "$dir/initdb" ]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

start_postgres() {
    local bin port
    if ! bin=$(_pg_bin); then
        echo ".ci/run: installing PostgreSQL from the system's packages" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null
        apt-get install -y -qq postgresql >/dev/null
        bin=$(_pg_bin)
    fi
    PG_ROOT=$(mktemp -d /tmp/tempo-ci-pg.XXXXXX)
    PG_AS=()
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
        chown postgres "$PG_ROOT"
        PG_AS=(runuser -u postgres --)
    fi
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    PG_BIN=$bin
    "${PG_AS[@]}" "$bin/initdb" -D "$PG_ROOT/data" -A trust -U tempo >/dev/null
    "${PG_AS[@]}" "$bin/pg_ctl" -D "$PG_ROOT/data" -l "$PG_ROOT/log" -w \
        -o "-p $port -k $PG_ROOT -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
    trap stop_postgres EXIT
    export TEMPO_TEST_POSTGRES_URL="postgresql://tempo@127.0.0.1:$port/postgres"
    echo ".ci/run: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
}

stop_postgres() {
    "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_ROOT/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_ROOT"
}
