#!/usr/bin/env bash
# The scan benchmark (bench/README.md, "Scan"): starts a throwaway PostgreSQL (fsync off, like test.sh) and runs
# bench/scan/bench.py at low priority. Arguments go to bench.py, e.g.:
#   bench/scan/run.sh                    # everything: 10M-row table (a)(b)(c)(d) and 1,000 containers x 5 checks
#   bench/scan/run.sh table --no-scan    # (b)(c)(d) only, without building or starting Quarry
#   bench/scan/run.sh many --containers 200
# Run it nice'd on a shared machine (nice -n 10 bench/scan/run.sh): PostgreSQL inherits the priority.
# With QUARRY_BENCH_PGDATA=/some/folder the cluster is kept there between runs, so the 10M rows load once.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/test-postgres.sh
if [ -n "${QUARRY_BENCH_PGDATA:-}" ]; then
    ensure_postgres_installed
    bin=$(pg_bin)
    as_pg=()
    [ "$(id -u)" = "0" ] && as_pg=(runuser -u postgres --)
    if [ ! -d "$QUARRY_BENCH_PGDATA/data" ]; then
        mkdir -p "$QUARRY_BENCH_PGDATA"
        [ "$(id -u)" = "0" ] && chown postgres:postgres "$QUARRY_BENCH_PGDATA"
        "${as_pg[@]}" "$bin/initdb" -D "$QUARRY_BENCH_PGDATA/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    port=$(free_port)
    "${as_pg[@]}" "$bin/pg_ctl" -D "$QUARRY_BENCH_PGDATA/data" -l "$QUARRY_BENCH_PGDATA/server.log" -w \
        -o "-p $port -k $QUARRY_BENCH_PGDATA -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
    trap '"${as_pg[@]}" "$bin/pg_ctl" -D "$QUARRY_BENCH_PGDATA/data" -m fast -w stop >/dev/null' EXIT
    export QUARRY_BENCH_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Password=unused;Database=postgres"
else
    start_test_postgres
    export QUARRY_BENCH_POSTGRES="$QUARRY_TEST_POSTGRES;Database=postgres"
fi
echo "PostgreSQL $("$(pg_bin)/postgres" --version | awk '{print $3}'), 2 cores: $(nproc); started $(date -u +%H:%M) UTC" >&2
python3 bench/scan/bench.py "$@"
