#!/usr/bin/env bash
# The whole test suite, on SQLite and on real throwaway PostgreSQL and MariaDB servers, in one command: ./test.sh
# Extra arguments go to 'dotnet test' (for example: ./test.sh --filter FullyQualifiedName~Access).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/test-postgres.sh
source scripts/test-mariadb.sh

# The web UI's browser tests drive Debian's Chromium through Playwright; never a downloaded browser.
if [ ! -x /usr/bin/chromium ]; then
    echo "test.sh: Chromium is missing; installing Debian's package" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

# The public Qualytics CLI's own code is run against Quarry (QualyticsCliCodeTests) with its real dependencies, from Debian.
if ! /usr/bin/python3 -c 'import requests, rich, jwt, yaml' 2>/dev/null; then
    echo "test.sh: Python packages for the Qualytics CLI are missing; installing Debian's" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-requests python3-rich python3-jwt python3-yaml >/dev/null
fi

start_test_postgres
trap 'stop_test_mariadb; stop_test_postgres' EXIT
start_test_mariadb

log=$(mktemp /tmp/quarry-test-log.XXXXXX)
status=0
dotnet test Quarry.slnx --nologo -v q --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" || status=$?

# One plain closing line that any CI reader understands, summed over every test assembly.
passed=$({ grep -E '^\s+Passed: +[0-9]+' "$log" || true; } | awk '{s+=$2} END {print s+0}')
failed=$({ grep -E '^\s+Failed: +[0-9]+' "$log" || true; } | awk '{s+=$2} END {print s+0}')
skipped=$({ grep -E '^\s+Skipped: +[0-9]+' "$log" || true; } | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
    echo "test.sh: no test ran" >&2
    exit 1
fi
exit "$status"
