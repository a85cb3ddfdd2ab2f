#!/usr/bin/env bash
# The sync benchmark (see bench/README.md; run from anywhere: bench/Quarry.Bench.Sync/run.sh): starts a throwaway PostgreSQL, runs bench/Quarry.Bench.Sync in Release.
# Arguments go to the bench: [sqlite|postgresql] --tables N --columns N
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/test-postgres.sh
start_test_postgres
export QUARRY_BENCH_POSTGRES="$QUARRY_TEST_POSTGRES"
dotnet run -c Release --project bench/Quarry.Bench.Sync -- "$@"
