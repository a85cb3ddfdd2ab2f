# Sourced by test.sh: installs PostgreSQL when missing, starts a throwaway cluster on a free
# loopback port, exports QUARRY_TEST_POSTGRES for the tests, and stops/removes it on exit.

pg_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
    command -v initdb >/dev/null 2>&1 && dirname "$(command -v initdb)"
}

ensure_postgres_installed() {
    if [ -z "$(pg_bin)" ]; then
        echo "test.sh: PostgreSQL is missing; installing it with apt-get" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
        # Debian's package starts a cluster as a service; the tests use their own throwaway one.
        command -v pg_ctlcluster >/dev/null 2>&1 && pg_ctlcluster --force "$(ls /etc/postgresql | sort -V | tail -n 1)" main stop >/dev/null 2>&1 || true
    fi
}

free_port() {
    # A random start makes two suites starting at once unlikely to pick the same port;
    # start_test_postgres retries on another port if the bind loses a race anyway.
    local port tries
    for tries in $(seq 1 200); do
        port=$(( 20000 + RANDOM % 40000 ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
    done
    echo "test.sh: found no free port" >&2; return 1
}

start_test_postgres() {
    ensure_postgres_installed
    local bin port as_pg
    bin=$(pg_bin)
    PG_TEST_DIR=$(mktemp -d /tmp/quarry-pg.XXXXXX)
    PG_TEST_BIN=$bin
    trap stop_test_postgres EXIT
    as_pg=()
    if [ "$(id -u)" = "0" ]; then
        chown postgres:postgres "$PG_TEST_DIR"
        as_pg=(runuser -u postgres --)
    fi
    PG_AS=("${as_pg[@]}")
    "${as_pg[@]}" "$bin/initdb" -D "$PG_TEST_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    # Trust for everyone except members of quarry_password_login: tests that need a real password
    # check (wrong password → 28P01) create their login roles in that group.
    "${as_pg[@]}" sed -i '0,/^host/s//host    all             +quarry_password_login 127.0.0.1\/32 scram-sha-256\nhost/' "$PG_TEST_DIR/data/pg_hba.conf"
    local attempt
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        if "${as_pg[@]}" "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/server.log" -w \
            -o "-p $port -k $PG_TEST_DIR -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null; then
            break
        fi
        [ "$attempt" = 5 ] && { echo "test.sh: PostgreSQL did not start; see $PG_TEST_DIR/server.log" >&2; return 1; }
    done
    export QUARRY_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Password=unused;Pooling=true;Maximum Pool Size=40"
    echo "test.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
}

stop_test_postgres() {
    if [ -n "${PG_TEST_DIR:-}" ] && [ -d "$PG_TEST_DIR" ]; then
        [ -f "$PG_TEST_DIR/data/postmaster.pid" ] && "${PG_AS[@]}" "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate -w stop >/dev/null 2>&1
        rm -rf "$PG_TEST_DIR"
    fi
    return 0
}
