# Sourced by test.sh: installs MariaDB when missing, starts a throwaway server on a free loopback port in a
# temporary folder, exports QUARRY_TEST_MARIADB for the tests, and stops/removes it with stop_test_mariadb.
# Needs free_port from test-postgres.sh.

ensure_mariadb_installed() {
    if ! command -v mariadb-install-db >/dev/null 2>&1 || [ ! -x /usr/sbin/mariadbd ]; then
        echo "test.sh: MariaDB is missing; installing it with apt-get" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server >/dev/null
        # Debian's package may start a server as a service; the tests use their own throwaway one.
        command -v service >/dev/null 2>&1 && service mariadb stop >/dev/null 2>&1 || true
    fi
}

start_test_mariadb() {
    ensure_mariadb_installed
    MARIADB_TEST_DIR=$(mktemp -d /tmp/quarry-mariadb.XXXXXX)
    local as=() owner=()
    if [ "$(id -u)" = "0" ]; then
        # mariadbd refuses to run as root; the package's 'mysql' user owns the throwaway folder instead.
        chown mysql:mysql "$MARIADB_TEST_DIR"
        as=(runuser -u mysql --)
        owner=(--user=mysql)
    fi
    MARIADB_AS=("${as[@]}")
    "${as[@]}" mariadb-install-db --no-defaults "${owner[@]}" --datadir="$MARIADB_TEST_DIR/data" \
        --auth-root-authentication-method=normal --skip-test-db >"$MARIADB_TEST_DIR/install.log" 2>&1 \
        || { echo "test.sh: mariadb-install-db failed; see $MARIADB_TEST_DIR/install.log" >&2; return 1; }
    local port attempt socket="$MARIADB_TEST_DIR/mariadb.sock"
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        "${as[@]}" /usr/sbin/mariadbd --no-defaults --datadir="$MARIADB_TEST_DIR/data" --port="$port" \
            --bind-address=127.0.0.1 --socket="$socket" --pid-file="$MARIADB_TEST_DIR/mariadb.pid" \
            --skip-name-resolve --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --max-connections=400 \
            --character-set-server=utf8mb4 --collation-server=utf8mb4_bin \
            --log-error="$MARIADB_TEST_DIR/server.log" >/dev/null 2>&1 &
        MARIADB_TEST_PID=$!
        local waited
        for waited in $(seq 1 150); do
            if [ -S "$socket" ] && mariadb --no-defaults -S "$socket" -u root -e "SELECT 1" >/dev/null 2>&1; then break; fi
            kill -0 "$MARIADB_TEST_PID" 2>/dev/null || break
            sleep 0.2
        done
        kill -0 "$MARIADB_TEST_PID" 2>/dev/null && [ -S "$socket" ] && break
        [ "$attempt" = 5 ] && { echo "test.sh: MariaDB did not start; see $MARIADB_TEST_DIR/server.log" >&2; return 1; }
    done
    # The tests connect over TCP as an administrator with a password (root@localhost answers only on the socket).
    mariadb --no-defaults -S "$socket" -u root -e "
        CREATE USER 'quarry_admin'@'127.0.0.1' IDENTIFIED BY 'quarry-admin';
        GRANT ALL PRIVILEGES ON *.* TO 'quarry_admin'@'127.0.0.1' WITH GRANT OPTION;"
    export QUARRY_TEST_MARIADB="Server=127.0.0.1;Port=$port;User ID=quarry_admin;Password=quarry-admin;Maximum Pool Size=40;Allow User Variables=true"
    echo "test.sh: MariaDB $(/usr/sbin/mariadbd --version | awk '{print $3}') on 127.0.0.1:$port" >&2
}

stop_test_mariadb() {
    if [ -n "${MARIADB_TEST_PID:-}" ] && kill -0 "$MARIADB_TEST_PID" 2>/dev/null; then
        kill "$MARIADB_TEST_PID" 2>/dev/null
        wait "$MARIADB_TEST_PID" 2>/dev/null || true
    fi
    if [ -n "${MARIADB_TEST_DIR:-}" ] && [ -d "$MARIADB_TEST_DIR" ]; then rm -rf "$MARIADB_TEST_DIR"; fi
    return 0
}
