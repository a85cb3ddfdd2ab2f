#!/usr/bin/env python3
"""The scan benchmark (bench/README.md, "Scan"). Run it through bench/scan/run.sh, which starts PostgreSQL.

  one table:  bench.orders, 10,000,000 rows x 12 columns, the 20 checks of checks.py, measured as
              (a) Quarry's scan through the API, (b) one query per check, (c) one hand-written statement for all
              20, (d) a bare count(*); with the server's memory sampled during (a).
  many:       1,000 containers x 5 checks in one scan, on SQLite and on PostgreSQL, beside the same checks as one
              hand-written statement per container.
"""
import argparse
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import CHECKS  # noqa: E402
import server  # noqa: E402
import many  # noqa: E402
from pg import libpq, psql, timed_session  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def ensure_table(conninfo, rows, force):
    exists = psql(conninfo, "SELECT to_regclass('bench.orders') IS NOT NULL").strip() == "t"
    have = psql(conninfo, "SELECT count(*) FROM bench.orders") if exists else "-1"
    if not force and int(have.strip()) == rows:
        print(f"bench.orders already holds {rows:,} rows; reusing it")
        return
    print(f"loading bench.orders: {rows:,} rows x 12 columns ...", flush=True)
    start = time.monotonic()
    psql(conninfo, open(os.path.join(HERE, "generate.sql")).read(), "-v", f"rows={rows}")
    size = psql(conninfo, "SELECT pg_size_pretty(pg_total_relation_size('bench.orders'))").strip()
    print(f"loaded in {time.monotonic() - start:.1f} s ({size})", flush=True)


def queries(repeat):
    table = "bench.orders"
    single = "SELECT " + ",\n  ".join(f"count(*) FILTER (WHERE {c[3]})" for c in CHECKS) + f"\nFROM {table}"
    statements = [("warm", f"SELECT count(*) FROM {table}")]
    for r in range(repeat):
        statements.append(("d", f"SELECT count(*) FROM {table}"))
        statements.append(("c", single))
        statements += [(f"b{i}", f"SELECT count(*) FROM {table} WHERE {c[3]}") for i, c in enumerate(CHECKS)]
    return statements, single


def measure_sql(conninfo, repeat):
    statements, single = queries(repeat)
    results = timed_session(conninfo, statements)
    d = [ms for ms, _ in results["d"]]
    c = [ms for ms, _ in results["c"]]
    b = [sum(results[f"b{i}"][r][0] for i in range(len(CHECKS))) for r in range(repeat)]
    counts_c = [int(x) for x in results["c"][0][1][0].split("|")]
    counts_b = [int(results[f"b{i}"][0][1][0]) for i in range(len(CHECKS))]
    if counts_b != counts_c:
        sys.exit(f"(b) and (c) disagree: {counts_b} vs {counts_c}")
    return {"d": d, "c": c, "b": b, "failing": counts_c, "single_statement": single}


def fmt(values):
    return f"median {statistics.median(values) / 1000:.2f} s (min {min(values) / 1000:.2f}, runs {len(values)})"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("part", choices=["table", "many", "all"], nargs="?", default="all")
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reload", action="store_true", help="load bench.orders again even if it holds --rows rows")
    parser.add_argument("--no-scan", action="store_true", help="measure (b)(c)(d) only, without a Quarry server")
    parser.add_argument("--containers", type=int, default=1000)
    parser.add_argument("--container-rows", type=int, default=1000)
    parser.add_argument("--quarry", default=None, help="the quarry CLI to serve with (default: build this clone's, Release)")
    parser.add_argument("--json", default=None, help="also write the figures to this file")
    args = parser.parse_args()
    npgsql = os.environ["QUARRY_BENCH_POSTGRES"]
    conninfo = libpq(npgsql)
    figures = {"load_average_start": open("/proc/loadavg").read().split()[:3]}
    print(f"load average at start: {' '.join(figures['load_average_start'])}")

    if args.part in ("table", "all"):
        ensure_table(conninfo, args.rows, args.reload)
        sql = measure_sql(conninfo, args.repeat)
        figures["table"] = sql
        print(f"(d) SELECT count(*):             {fmt(sql['d'])}")
        print(f"(c) one statement, 20 checks:    {fmt(sql['c'])}  = {statistics.median(sql['c']) / statistics.median(sql['d']):.1f}x (d)")
        print(f"(b) one query per check (20):    {fmt(sql['b'])}  = {statistics.median(sql['b']) / statistics.median(sql['c']):.2f}x (c)")
        print("failing rows per check:", ", ".join(f"{c[0]}({c[1] or 'expr'})={n:,}" for c, n in zip(CHECKS, sql["failing"])))
        if not args.no_scan:
            a = server.scan_table(npgsql, args.quarry, args.repeat, sql["failing"])
            figures["table"]["a"] = a
            if a.get("seconds"):
                ms = [s * 1000 for s in a["seconds"]]
                print(f"(a) Quarry scan through the API: {fmt(ms)}  = {statistics.median(ms) / statistics.median(sql['c']):.2f}x (c), "
                      f"{statistics.median(sql['b']) / statistics.median(ms):.2f}x faster than (b)")
                print(f"    server RSS during the scan: {a['rss_mb']}; server CPU per scan: {', '.join(f'{c:.2f} s' for c in a['server_cpu_seconds'])}")
                # The machine is shared: (c) again right after (a), so a change of load between them shows.
                after = [ms for ms, _ in timed_session(conninfo, [("c", sql["single_statement"])] * args.repeat)["c"]]
                figures["table"]["c_after"] = after
                both = sql["c"] + after
                print(f"(c) again after (a):             {fmt(after)}; (a) = {statistics.median(ms) / statistics.median(both):.2f}x the median of all (c) runs")
                match = a.get("failing_match")
                print("    failing rows, Quarry vs hand-written: " + ("not compared (no anomalies API in this build)" if match is None
                      else "equal" if match["equal"] else f"DIFFERENT: Quarry {match['quarry']}, hand-written {match['hand_written']}"))
            else:
                print(f"(a) not measured: {a.get('skipped')}")

    if args.part in ("many", "all"):
        figures["many"] = many.run(npgsql, conninfo, args.quarry, args.containers, args.container_rows, not args.no_scan)

    figures["load_average_end"] = open("/proc/loadavg").read().split()[:3]
    print(f"load average at end: {' '.join(figures['load_average_end'])}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f, indent=2)


if __name__ == "__main__":
    main()
