#!/usr/bin/env bash
# The connector sync benchmark (see bench/README.md; run from anywhere: bench/Quarry.Bench.Connectors/run.sh): starts a
# throwaway MariaDB, runs bench/Quarry.Bench.Connectors in Release. Arguments go to the bench: --tables N --files N --columns N
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/test-postgres.sh
source scripts/test-mariadb.sh
trap stop_test_mariadb EXIT
start_test_mariadb
export QUARRY_BENCH_MARIADB="$QUARRY_TEST_MARIADB"
dotnet run -c Release --project bench/Quarry.Bench.Connectors -- "$@"
