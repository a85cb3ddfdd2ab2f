"""Many small containers in one scan: N tables x 5 checks, on PostgreSQL (schema bench_many) and on a SQLite file,
scanned by Quarry through the API beside the floor, the same 5 checks as one hand-written statement per table."""
import os
import re
import sqlite3
import subprocess
import tempfile
import time

import server
from pg import psql, timed_session

PATTERN = r"^[A-Z]{2}[0-9]{3}$"
STATUSES = ["new", "paid", "shipped"]
# (rule, field, properties, failing-row condition); the expectedValues check fails on 1% of each table's rows.
CHECKS = [
    ("notNull", "id", {}, "id IS NULL"),
    ("between", "amount", {"min": 0, "max": 1000}, "amount NOT BETWEEN 0 AND 1000"),
    ("expectedValues", "status", {"list": STATUSES}, "status NOT IN ('new', 'paid', 'shipped')"),
    ("matchesPattern", "code", {"pattern": PATTERN}, None),
    ("maxLength", "code", {"value": 5}, "length(code) > 5"),
]
PATTERN_FAILS = {"postgresql": f"code !~ '{PATTERN}'", "sqlite": f"NOT (code REGEXP '{PATTERN}')"}

def table(i):
    return f"t{i:04d}"


def condition(check, engine):
    return check[3] if check[3] else PATTERN_FAILS[engine]


def floor_sql(name, engine, qualify):
    return "SELECT " + ", ".join(f"count(*) FILTER (WHERE {condition(c, engine)})" if engine == "postgresql"
                                 else f"sum(CASE WHEN {condition(c, engine)} THEN 1 ELSE 0 END)" for c in CHECKS) + f" FROM {qualify}{name}"


def load_postgres(conninfo, containers, rows):
    have = psql(conninfo, f"SELECT count(*) FROM pg_tables WHERE schemaname = 'bench_many'").strip()
    if have == str(containers):
        return
    script = ["DROP SCHEMA IF EXISTS bench_many CASCADE;", "CREATE SCHEMA bench_many;"]
    for i in range(1, containers + 1):
        script.append(f"CREATE TABLE bench_many.{table(i)} AS SELECT i AS id, ((i * 37) % 1000)::numeric(10,2) AS amount, "
                      f"CASE WHEN i % 100 = 7 THEN 'lost' ELSE (ARRAY['new','paid','shipped'])[1 + i % 3] END AS status, "
                      f"chr(65 + i % 26) || chr(65 + (i / 26) % 26) || lpad((i % 1000)::text, 3, '0') AS code "
                      f"FROM generate_series(1, {rows}) AS i;")
    script.append("ANALYZE;")
    psql(conninfo, "\n".join(script))


def load_sqlite(path, containers, rows):
    db = sqlite3.connect(path)
    for i in range(1, containers + 1):
        db.execute(f"CREATE TABLE {table(i)} (id INTEGER, amount REAL, status TEXT, code TEXT)")
        db.execute(f"""INSERT INTO {table(i)} WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows})
            SELECT i, (i * 37) % 1000, CASE WHEN i % 100 = 7 THEN 'lost' ELSE (CASE i % 3 WHEN 0 THEN 'new' WHEN 1 THEN 'paid' ELSE 'shipped' END) END,
                   char(65 + i % 26) || char(65 + (i / 26) % 26) || substr('000' || (i % 1000), -3) FROM n""")
    db.commit()
    db.close()


def floor_postgres(conninfo, containers):
    results = timed_session(conninfo, [(table(i), floor_sql(table(i), "postgresql", "bench_many.")) for i in range(1, containers + 1)])
    return sum(runs[0][0] for runs in results.values()) / 1000


def floor_sqlite(path, containers):
    db = sqlite3.connect(path)
    db.create_function("regexp", 2, lambda pattern, value: value is not None and re.search(pattern, value) is not None, deterministic=True)
    start = time.monotonic()
    for i in range(1, containers + 1):
        db.execute(floor_sql(table(i), "sqlite", "")).fetchall()
    took = time.monotonic() - start
    db.close()
    return took


def scan(cli, name, connection, schema, containers):
    quarry = server.Quarry(cli)
    try:
        datastore_id = quarry.datastore(name, connection, schema)
        start = time.monotonic()
        quarry.create_checks([{"datastore_id": datastore_id, "container_name": table(i), "rule": rule, "fields": [field], "properties": properties}
                              for i in range(1, containers + 1) for rule, field, properties, _ in CHECKS])
        created = time.monotonic() - start
        took, operation, samples = quarry.run("scan", datastore_id, sample_memory=True)
        if took is None:
            return {"skipped": f"this build cannot scan: {operation}", "create_checks_seconds": created}
        return {"seconds": took, "server_seconds": server.server_seconds(operation), "server_cpu_seconds": quarry.last_cpu_seconds, "create_checks_seconds": created,
                "rss_mb": f"min {min(samples):.0f}, max {max(samples):.0f} MB"}
    finally:
        quarry.close()


def run(npgsql, conninfo, cli, containers, rows, with_scan):
    figures = {}
    print(f"many containers: {containers} tables x {rows} rows x 5 checks", flush=True)
    load_postgres(conninfo, containers, rows)
    folder = tempfile.mkdtemp(prefix="quarry-bench-many-")
    path = os.path.join(folder, "many.db")
    load_sqlite(path, containers, rows)
    figures["postgresql_floor_seconds"] = floor_postgres(conninfo, containers)
    figures["sqlite_floor_seconds"] = floor_sqlite(path, containers)
    print(f"  floor, one statement per table: PostgreSQL {figures['postgresql_floor_seconds']:.3f} s, SQLite {figures['sqlite_floor_seconds']:.3f} s")
    if with_scan:
        pg = scan(cli, "bench-many-pg", server.postgres_connection(npgsql, "bench-many-pg"), "bench_many", containers)
        lite = scan(cli, "bench-many-sqlite", {"name": "bench-many-sqlite", "type": "sqlite", "path": path}, "main", containers)
        figures["postgresql_scan"], figures["sqlite_scan"] = pg, lite
        for engine, result in (("PostgreSQL", pg), ("SQLite", lite)):
            if "seconds" in result:
                print(f"  Quarry scan on {engine}: {result['seconds']:.2f} s through the API (server {result['server_seconds']:.2f} s, "
                      f"server CPU {result['server_cpu_seconds']:.2f} s), "
                      f"RSS {result['rss_mb']}; creating the {containers * 5} checks took {result['create_checks_seconds']:.1f} s")
            else:
                print(f"  Quarry scan on {engine}: not measured: {result['skipped']}")
    subprocess.run(["rm", "-rf", folder])
    return figures
