"""psql from the benchmark: one statement, or a timed session of labelled statements."""
import re
import subprocess


def libpq(npgsql):
    """psql's connection string from the Npgsql one that run.sh exports."""
    parts = dict(p.split("=", 1) for p in npgsql.split(";") if "=" in p)
    keys = {k.lower(): v for k, v in parts.items()}
    return f"host={keys['host']} port={keys['port']} user={keys.get('username', 'postgres')} dbname={keys.get('database', 'postgres')}"


def psql(conninfo, sql, *extra):
    done = subprocess.run(["psql", conninfo, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", *extra],
                          input=sql, text=True, capture_output=True)
    if done.returncode != 0:
        raise SystemExit(f"psql failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def timed_session(conninfo, statements):
    """Runs labelled statements in one psql session with \\timing; returns {label: [(ms, rows)]} in order."""
    script = ["\\timing on"]
    for label, sql in statements:
        script += [f"\\echo @@{label}", sql + ";"]
    out = psql(conninfo, "\n".join(script) + "\n")
    results, label, rows = {}, None, []
    for line in out.splitlines():
        if line.startswith("@@"):
            label, rows = line[2:], []
        elif m := re.match(r"^Time: ([0-9.]+) ms", line):
            results.setdefault(label, []).append((float(m.group(1)), rows))
        elif line.strip():
            rows.append(line)
    return results
