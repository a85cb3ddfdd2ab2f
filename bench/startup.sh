#!/usr/bin/env bash
# How long a short `quarry` command takes from the shell: .NET starting, the CLI parsing its arguments, one HTTP
# round trip to a local server and printing the answer. Installs the CLI the way the README does
# (scripts/install-cli.sh, ReadyToRun) into a temporary folder, starts a server on a free port with a fresh
# data folder and 50 datastores, then times each command with hyperfine (apt-get install -y hyperfine) or,
# without it, a plain loop of 20 runs.
#
#   bench/startup.sh                       # build and install the CLI from this clone, then measure
#   bench/startup.sh --cli PATH/quarry     # measure an installed CLI instead (e.g. an older build, to compare)
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/quarry-startup.XXXXXX)
cli=""
while [ $# -gt 0 ]; do
  case "$1" in
    --cli) cli="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "startup.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if [ -z "$cli" ]; then
  scripts/install-cli.sh --dir "$work/cli" --no-link >/dev/null
  cli="$work/cli/quarry"
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export QUARRY_ADMIN_TOKEN="qry_startup-bench-$RANDOM$RANDOM"
"$cli" serve --port "$port" --data "$work/data" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
export QUARRY_URL="http://127.0.0.1:$port" QUARRY_TOKEN="$QUARRY_ADMIN_TOKEN"
for _ in $(seq 1 100); do curl -sf "$QUARRY_URL/api/status" >/dev/null && break; sleep 0.1; done
# Set up over HTTP, so an older CLI without 'connections create' can be measured too.
api() { curl -sf -X POST "$QUARRY_URL$1" -H "Authorization: Bearer $QUARRY_TOKEN" -H 'Content-Type: application/json' -d "$2" >/dev/null; }
api /api/connections "{\"name\":\"bench-db\",\"type\":\"sqlite\",\"path\":\"$work/data/quarry.db\"}"
for i in $(seq 1 50); do api /api/datastores "{\"name\":\"bench-$i\",\"connection_name\":\"bench-db\",\"schema\":\"main\"}"; done

commands=("--version" "datastores list" "datastores list --format json" "datastores get 7" "connections list")
echo "CLI: $cli ($("$cli" --version)); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
if command -v hyperfine >/dev/null; then
  args=()
  for c in "${commands[@]}"; do args+=("$cli $c"); done
  hyperfine --warmup 3 --runs 20 --style basic -N "${args[@]}"
else
  for c in "${commands[@]}"; do
    start=$(date +%s%N)
    for _ in $(seq 1 20); do $cli $c >/dev/null; done
    echo "$c: $(( ($(date +%s%N) - start) / 20000000 )) ms per run (mean of 20)"
  done
fi
# Server time for the same list, for comparison: the rest of a command's time is the CLI.
curl -s -o /dev/null -w "server: GET /api/datastores answered in %{time_total} s\n" -H "Authorization: Bearer $QUARRY_TOKEN" "$QUARRY_URL/api/datastores?page=1&size=1000"
