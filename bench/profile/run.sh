#!/usr/bin/env bash
# The profile benchmark (bench/README.md, "Profile"): a throwaway PostgreSQL and a Quarry server built in Release.
#   bench/profile/run.sh            1,000,000 rows × 20 columns: Quarry's profile vs one query per statistic vs count(*);
#                                   then 1,000 small SQLite tables in one profile
#   bench/profile/run.sh --large    also 10,000,000 rows: a 100,000-row sample profile vs the full profile
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/test-postgres.sh
start_test_postgres
PGPORT=$(sed -E 's/.*Port=([0-9]+).*/\1/' <<<"$QUARRY_TEST_POSTGRES")
export PGHOST=127.0.0.1 PGPORT PGUSER=postgres
large=${1:-}
work=$(mktemp -d /tmp/quarry-bench-profile.XXXXXX)
server=""

dotnet build src/Quarry.Cli -c Release --nologo -v q -o "$work/cli" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
port=$(free_port)
export QUARRY_ADMIN_TOKEN="bench-admin-token-$(date +%s)"
# The profile logs each of its statements' time at Debug: printed after (a), to see where a profile spends it.
env Logging__LogLevel__Quarry.Server.Operations.Profile=Debug dotnet "$work/cli/quarry.dll" serve --port "$port" --data "$work/data" >"$work/server.log" 2>&1 &
server=$!
trap 'kill ${server:-0} 2>/dev/null || true; stop_test_postgres; rm -rf "$work"' EXIT
api="http://127.0.0.1:$port/api"
until curl -sf "$api/status" >/dev/null; do sleep 0.2; done
call() { curl -sf -X "$1" -H "Authorization: Bearer $QUARRY_ADMIN_TOKEN" -H 'Content-Type: application/json' "$api$2" ${3:+-d "$3"}; }
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }
wait_for() { # operation id → prints its final JSON
    local o
    while o=$(call GET "/operations/$1"); [ "$(jq -r .state <<<"$o")" != finished ]; do sleep 0.1; done
    echo "$o"
}
sql() { psql -X -q -d bench -At -c "$1"; }
timed_sql() { local s; s=$(now); sql "$1" >/dev/null; since "$s"; }

echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
psql -X -q -c "CREATE DATABASE bench" >/dev/null
table() { # name rows
    echo "creating $1 ($2 rows × 20 columns)…" >&2
    sql "CREATE TABLE $1 AS SELECT
        i::bigint AS id, (i % 1000)::integer AS store_id, (i % 97)::smallint AS shelf, (random() * 1000000)::integer AS visits,
        (i % 7)::integer AS weekday, round((random() * 500)::numeric, 2) AS amount, round((random() * 20)::numeric, 3) AS weight,
        (i % 5000)::numeric(10,2) AS price, random() * 100 AS score, (i % 13) * 1.5::double precision AS rate,
        (ARRAY['new','paid','shipped','cancelled'])[1 + i % 4] AS status, (ARRAY['DE','FR','NL','US','GB','IT'])[1 + i % 6] AS country,
        'SKU-' || (i % 20000) AS sku, CASE WHEN i % 10 = 0 THEN NULL ELSE 'tier-' || (i % 3) END AS tier,
        'user' || i || '@example.com' AS email, md5(i::text) AS token,
        TIMESTAMPTZ '2024-01-01' + i * interval '17 seconds' AS created_at, TIMESTAMP '2024-06-01' + (i % 100000) * interval '1 minute' AS updated_at,
        DATE '2020-01-01' + (i % 1500) AS ship_date, (i % 3 = 0) AS flagged
      FROM generate_series(1, $2) i"
    sql "ANALYZE $1"
}

profile() { # datastore id, extra JSON → prints "seconds (end to end) | server seconds | message"
    local s o
    s=$(now)
    o=$(call POST /operations/run "{\"type\":\"profile\",\"datastore_id\":$1$2}")
    o=$(wait_for "$(jq -r .id <<<"$o")")
    printf '%.2f s end to end (server %.2f s): %s\n' "$(since "$s")" \
        "$(echo "$(date -d "$(jq -r .end_time <<<"$o")" +%s.%N) - $(date -d "$(jq -r .start_time <<<"$o")" +%s.%N)" | bc)" "$(jq -r '.details // .message' <<<"$o")"
}

naive() { # table → seconds for one query per statistic per column
    local t=$1 total=0 col type q
    while IFS='|' read -r col type; do
        q=("SELECT count(*) - count($col) FROM $t" "SELECT count(DISTINCT $col) FROM $t"
           "SELECT $col, count(*) FROM $t GROUP BY $col ORDER BY 2 DESC LIMIT 10")
        case $type in
            boolean) ;;
            integer|smallint|bigint|numeric|"double precision")
                q+=("SELECT min($col) FROM $t" "SELECT max($col) FROM $t" "SELECT avg($col) FROM $t" "SELECT stddev_samp($col) FROM $t"
                    "SELECT percentile_disc(ARRAY[0.25,0.5,0.75]) WITHIN GROUP (ORDER BY $col) FROM $t") ;;
            text) q+=("SELECT min($col) FROM $t" "SELECT max($col) FROM $t" "SELECT min(length($col)), max(length($col)), avg(length($col)) FROM $t") ;;
            *) q+=("SELECT min($col) FROM $t" "SELECT max($col) FROM $t") ;;
        esac
        for one in "${q[@]}"; do total=$(echo "$total + $(timed_sql "$one")" | bc); done
    done < <(sql "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '$t' ORDER BY ordinal_position" \
             | sed -E 's/timestamp with(out)? time zone/timestamp/')
    echo "$total"
}

connection=$(call POST /connections "{\"name\":\"bench\",\"type\":\"postgresql\",\"host\":\"127.0.0.1\",\"port\":$PGPORT,\"username\":\"postgres\",\"password\":\"unused\",\"database\":\"bench\"}" | jq .id)
datastore=$(call POST /datastores "{\"name\":\"bench\",\"connection_id\":$connection,\"database\":\"bench\",\"schema\":\"public\"}" | jq .id)

table t1m 1000000
wait_for "$(call POST /operations/run "{\"type\":\"sync\",\"datastore_id\":$datastore}" | jq .id)" >/dev/null
sql "SELECT count(*) FROM t1m" >/dev/null   # warm the cache, as the other measures find it
d=$(timed_sql "SELECT count(*) FROM t1m")
echo "(d) SELECT count(*) on 1,000,000 rows: ${d} s"
a=$(profile "$datastore" ',"container_names":["t1m"]')
echo "(a) Quarry profile of 1,000,000 × 20: $a"
grep -E 'Profile statement|Profile [0-9]+: read' "$work/server.log" | sed -E 's/^ +//; s/( rows):.*/\1/' | sed 's/^/    /'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
b=$(naive t1m)
echo "(b) one query per statistic per column: ${b} s"
a_s=$(awk '{print $1}' <<<"$a")
echo "ratios: (a)/(d) = $(echo "scale=1; $a_s / $d" | bc)×; (b)/(a) = $(echo "scale=1; $b / $a_s" | bc)×"

if [ "$large" = "--large" ]; then
    table t10m 10000000
    wait_for "$(call POST /operations/run "{\"type\":\"sync\",\"datastore_id\":$datastore}" | jq .id)" >/dev/null
    sample=$(profile "$datastore" ',"container_names":["t10m"],"max_records_analyzed_per_partition":100000')
    echo "10,000,000 rows, 100,000-row sample: $sample"
    full=$(profile "$datastore" ',"container_names":["t10m"]')
    echo "10,000,000 rows, full: $full"
    echo "full / sample = $(echo "scale=1; $(awk '{print $1}' <<<"$full") / $(awk '{print $1}' <<<"$sample")" | bc)×"
    t10=$(call GET "/containers?datastore=$datastore&name=t10m" | jq '.items[0].id')
    echo "checks inferred for t10m by kind (the sample's and the full profile's are kept as one set of drafts):"
    call GET "/quality-checks?container=$t10&size=1000" | jq -r '[.items[].rule] | group_by(.) | map("\(.[0]) \(length)") | join(", ")'
fi

echo "creating 1,000 SQLite tables…" >&2
{
    echo "BEGIN;"
    for i in $(seq 1 1000); do
        echo "CREATE TABLE t$i (id INTEGER PRIMARY KEY, code TEXT NOT NULL, amount REAL, day DATE, note TEXT);"
        echo "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) INSERT INTO t$i SELECT i, 'C' || (i % 4), i * 1.5, date('2024-01-01', '+' || i || ' days'), CASE WHEN i % 3 = 0 THEN 'x' END FROM n;"
    done
    echo "COMMIT;"
} | sqlite3 "$work/many.db"
lite=$(call POST /connections "{\"name\":\"many\",\"type\":\"sqlite\",\"path\":\"$work/many.db\"}" | jq .id)
many=$(call POST /datastores "{\"name\":\"many\",\"connection_id\":$lite,\"schema\":\"main\"}" | jq .id)
wait_for "$(call POST /operations/run "{\"type\":\"sync\",\"datastore_id\":$many}" | jq .id)" >/dev/null
echo "1,000 SQLite tables × 5 columns × 50 rows: $(profile "$many" '')"
grep -E 'Profile [0-9]+: read' "$work/server.log" | tail -1 | sed -E 's/^ +/    /'
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
