#!/usr/bin/env bash
# The whole test suite, on SQLite and on a real throwaway PostgreSQL, in one command: ./test.sh
# Extra arguments go to 'dotnet test' (for example: ./test.sh --filter Access).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/test-postgres.sh
start_test_postgres
dotnet test Quarry.slnx --nologo -v q --logger "console;verbosity=normal" "$@"
