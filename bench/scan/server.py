"""A real `quarry serve` for the scan benchmark: started on a fresh data folder (SQLite store), driven over HTTP
exactly as a client would, its memory sampled from /proc while a scan runs."""
import json
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime

from checks import CHECKS

# How often the status of a running operation is asked (QUARRY_BENCH_POLL); each GET costs the server a few ms of CPU.
POLL_SECONDS = float(os.environ.get("QUARRY_BENCH_POLL", "0.05"))

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


_built = None


def build_cli():
    """This clone's CLI in Release, built once per run."""
    global _built
    if _built:
        return _built
    subprocess.run(["dotnet", "build", os.path.join(ROOT, "src", "Quarry.Cli"), "-c", "Release", "--nologo", "-v", "q"],
                   check=True, stdout=subprocess.DEVNULL)
    _built = os.path.join(ROOT, "src", "Quarry.Cli", "bin", "Release", "net10.0", "quarry")
    return _built


class Quarry:
    def __init__(self, cli=None):
        self.cli = cli or build_cli()
        self.data = tempfile.mkdtemp(prefix="quarry-bench-scan-")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.token = "qry_bench-" + secrets.token_hex(12)
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(self.data, "serve.log"), "w")
        env = dict(os.environ, QUARRY_ADMIN_TOKEN=self.token)
        self.process = subprocess.Popen([self.cli, "serve", "--port", str(self.port), "--data", os.path.join(self.data, "store")],
                                        env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(self.url + "/api/status", timeout=10)
                break
            except (urllib.error.URLError, OSError):  # refused, reset or timed out while it starts
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"quarry serve did not start; see {self.log.name}")
                time.sleep(0.2)

    def close(self):
        self.process.terminate()
        self.process.wait(30)
        self.log.close()
        # Where each scan's time went, as the server logged it (ScanRunner's "timings" line).
        with open(self.log.name) as log:
            for line in log:
                if " timings: " in line:
                    print("    server: " + line.strip()[line.find("Scan "):], flush=True)
        shutil.rmtree(self.data, ignore_errors=True)

    def call(self, method, path, body=None):
        request = urllib.request.Request(self.url + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                         headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=600) as response:
                text = response.read().decode()
                return response.status, json.loads(text) if text else None
        except urllib.error.HTTPError as e:
            text = e.read().decode()
            return e.code, json.loads(text) if text.startswith("{") else text

    def post(self, path, body):
        status, answer = self.call("POST", path, body)
        if status >= 300:
            raise SystemExit(f"POST {path} -> {status}: {answer}")
        return answer

    def create_checks(self, checks):
        """Quality checks through POST /api/quality-checks/bulk, up to 5,000 a request (the server takes at most 10,000)."""
        for start in range(0, len(checks), 5000):
            self.post("/api/quality-checks/bulk", checks[start:start + 5000])

    def rss_mb(self):
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def cpu_seconds(self):
        """The server's CPU time so far (user + system): what a run costs Quarry itself, whatever else loads the machine."""
        with open(f"/proc/{self.process.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def run(self, type_, datastore_id, sample_memory=False):
        """Starts an operation and polls it to the end; returns (seconds, operation, memory samples in MB)."""
        samples, done = [], threading.Event()

        def sample():
            while not done.is_set():
                samples.append(self.rss_mb())
                done.wait(0.1)

        sampler = threading.Thread(target=sample) if sample_memory else None
        if sampler:
            sampler.start()
        start, cpu = time.monotonic(), self.cpu_seconds()
        status, operation = self.call("POST", "/api/operations/run", {"type": type_, "datastore_id": datastore_id})
        if status >= 300:
            done.set()
            return None, operation, samples
        while operation["state"] != "finished":
            time.sleep(POLL_SECONDS)
            _, operation = self.call("GET", f"/api/operations/{operation['id']}")
        seconds = time.monotonic() - start
        self.last_cpu_seconds = self.cpu_seconds() - cpu
        done.set()
        if sampler:
            sampler.join()
        if operation["result"] != "success":
            raise SystemExit(f"{type_} {operation['id']} ended {operation['result']}: {operation['message']}")
        return seconds, operation, samples

    def datastore(self, name, connection, schema, database=None):
        connection_id = self.post("/api/connections", connection)["id"]
        body = {"name": name, "connection_id": connection_id, "schema": schema}
        if database:
            body["database"] = database
        datastore_id = self.post("/api/datastores", body)["id"]
        self.run("sync", datastore_id)
        return datastore_id


def postgres_connection(npgsql, name):
    keys = {k.lower(): v for k, v in (p.split("=", 1) for p in npgsql.split(";") if "=" in p)}
    return {"name": name, "type": "postgresql", "host": keys["host"], "port": int(keys["port"]),
            "username": keys.get("username", "postgres"), "password": "unused", "database": keys.get("database", "postgres")}


def server_seconds(operation):
    parse = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))  # noqa: E731
    return (parse(operation["end_time"]) - parse(operation["start_time"])).total_seconds()


def scan_table(npgsql, cli, repeat, expected_failing):
    """(a): the 20 checks on bench.orders, scanned `repeat` times through the API of a real server."""
    quarry = Quarry(cli)
    try:
        datastore_id = quarry.datastore("bench-orders", postgres_connection(npgsql, "bench-pg"), "bench")
        quarry.create_checks([{"datastore_id": datastore_id, "container_name": "orders", "rule": rule,
                               "fields": [field] if field else [], "properties": properties} for rule, field, properties, _, _ in CHECKS])
        idle = quarry.rss_mb()
        seconds, rss, in_server, cpu = [], [], [], []
        for _ in range(repeat):
            took, operation, samples = quarry.run("scan", datastore_id, sample_memory=True)
            if took is None:
                return {"skipped": f"this build cannot scan: {operation}"}
            seconds.append(took)
            in_server.append(server_seconds(operation))
            cpu.append(quarry.last_cpu_seconds)
            rss.append(samples)
        flat = [s for run in rss for s in run]
        figures = {"seconds": seconds, "server_seconds": in_server, "server_cpu_seconds": cpu,
                   "rss_mb": f"idle {idle:.0f} MB before; during scans min {min(flat):.0f}, max {max(flat):.0f} MB ({len(flat)} samples)",
                   "rss_samples": rss}
        figures["failing_match"] = compare_failing(quarry, datastore_id, expected_failing)
        return figures
    finally:
        quarry.close()


def compare_failing(quarry, datastore_id, expected):
    """Quarry's failing-row count per check next to the hand-written one; None when the anomalies API is missing."""
    status, page = quarry.call("GET", f"/api/anomalies?datastore={datastore_id}&size=1000")
    if status != 200:
        return None
    found = sorted(a.get("anomalous_records_count") or 0 for a in page.get("items", []))
    wanted = sorted(n for n in expected if n > 0)
    return {"quarry": found, "hand_written": wanted, "equal": found == wanted}
