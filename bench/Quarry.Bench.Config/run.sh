#!/usr/bin/env bash
# config import at scale, on SQLite and on a throwaway PostgreSQL (the same cluster script as ./test.sh).
# The CLI measured is the one users install (scripts/install-cli.sh: Release, ReadyToRun), in a temp folder.
# Usage: bench/Quarry.Bench.Config/run.sh [sizes, default 1000,10000]
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes="${1:-1000,10000}"
cli_dir="$(mktemp -d)"
trap 'rm -rf "$cli_dir"' EXIT
scripts/install-cli.sh --dir "$cli_dir" --no-link
dotnet build -c Release bench/Quarry.Bench.Config --nologo -v q
bench=bench/Quarry.Bench.Config/bin/Release/net10.0/Quarry.Bench.Config.dll
dotnet "$bench" --sizes "$sizes" --cli "$cli_dir/quarry.dll"
source scripts/test-postgres.sh
start_test_postgres
trap 'stop_test_postgres; rm -rf "$cli_dir"' EXIT  # start_test_postgres set its own trap; keep both clean-ups
dotnet "$bench" --sizes "$sizes" --cli "$cli_dir/quarry.dll" --postgres "$QUARRY_TEST_POSTGRES"
