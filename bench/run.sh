#!/usr/bin/env bash
# Runs Quarry's benchmarks on SQLite and on a throwaway PostgreSQL (started and removed like test.sh does).
# Usage: bench/run.sh [benchmark args], e.g. bench/run.sh datastores --count 10000 --clients 8
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/test-postgres.sh
start_test_postgres
export QUARRY_BENCH_POSTGRES="$QUARRY_TEST_POSTGRES"
dotnet build bench/Quarry.Bench -c Release --nologo -v q >/dev/null
dotnet bench/Quarry.Bench/bin/Release/net10.0/Quarry.Bench.dll "$@"
