#!/usr/bin/env bash
# Multi-schema bench: starts a throwaway PostgreSQL (as test.sh does), then runs the bench in Release.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/test-postgres.sh
start_test_postgres
dotnet run -c Release --project bench/Quarry.Bench.MultiSchema
