#!/usr/bin/env bash
# config import at scale, on SQLite and on a throwaway PostgreSQL (the same cluster script as ./test.sh).
# Usage: bench/Quarry.Bench.Config/run.sh [sizes, default 1000,10000]
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes="${1:-1000,10000}"
dotnet build -c Release src/Quarry.Cli --nologo -v q
dotnet build -c Release bench/Quarry.Bench.Config --nologo -v q
bench=bench/Quarry.Bench.Config/bin/Release/net10.0/Quarry.Bench.Config.dll
dotnet "$bench" --sizes "$sizes"
source scripts/test-postgres.sh
start_test_postgres
dotnet "$bench" --sizes "$sizes" --postgres "$QUARRY_TEST_POSTGRES"
