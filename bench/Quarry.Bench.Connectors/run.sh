#!/usr/bin/env bash
# The connector benchmarks (see bench/README.md; run from anywhere: bench/Quarry.Bench.Connectors/run.sh): starts a
# throwaway PostgreSQL and MariaDB, runs bench/Quarry.Bench.Connectors in Release. Arguments go to the bench:
# --only postgresql|mysql|files|scan (repeatable), --tables N --files N --columns N --rows N --repeat N --parquet-folder DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/test-postgres.sh
source scripts/test-mariadb.sh
start_test_postgres
start_test_mariadb
trap 'stop_test_mariadb; stop_test_postgres' EXIT
export QUARRY_BENCH_MARIADB="$QUARRY_TEST_MARIADB"
export QUARRY_BENCH_POSTGRES="$QUARRY_TEST_POSTGRES;Database=postgres"
dotnet run -c Release --project bench/Quarry.Bench.Connectors -- "$@"
