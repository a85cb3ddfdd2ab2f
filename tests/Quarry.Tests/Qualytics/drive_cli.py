"""Drives the public Qualytics CLI's own API layer (qualytics/api/*.py and config.is_token_valid in
qualytics-cli/qualytics.zip, unchanged) against a running Quarry, with the CLI's real dependencies (requests, rich, PyJWT, PyYAML).

Usage: python3 drive_cli.py CLI_FOLDER QUARRY_URL TOKEN SCRATCH_SQLITE_FILE
Prints one line per step and, last, one JSON document of what the steps got back; exits non-zero on the first answer
that differs from what the CLI relies on."""
import json
import os
import sqlite3
import sys
import time

cli, url, token, source = sys.argv[1:5]
sys.path.insert(0, os.path.join(cli, "qualytics.zip"))  # Python imports the package from the zip as it stands

from qualytics import config  # noqa: E402  (the CLI's token check: PyJWT and rich)
from qualytics.api import anomalies, client, compatibility, connections, containers, datastores, operations, quality_checks, tags  # noqa: E402

got = {}


def step(name, value=None):
    print("ok  ", name)
    if value is not None:
        got[name] = value


def finish(c, payload):
    op = operations.run_operation(c, payload)
    deadline = time.monotonic() + 120
    while (op := operations.get_operation(c, op["id"]))["end_time"] is None:
        assert time.monotonic() < deadline, f"operation {op['id']} did not finish: {op}"
        time.sleep(0.2)
    assert op["result"] == "success", op
    return op


# The CLI refuses a token before any request unless PyJWT decodes it and its exp is in the future.
assert config.is_token_valid(token) == token, "the CLI's is_token_valid refused Quarry's token"
step("is_token_valid")
c = client.QualyticsClient(url + "/api", token)

missing = compatibility.find_incompatible_operations(c.get("openapi.json").json())
step("doctor", {"required": len(compatibility.REQUIRED_API_OPERATIONS), "missing": missing})

db = sqlite3.connect(source)
db.executescript("""
    DROP TABLE IF EXISTS orders; DROP TABLE IF EXISTS customers;
    CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, amount REAL, status TEXT);
    INSERT INTO orders VALUES (1, 1, 10, 'new'), (2, 2, NULL, 'paid'), (3, 9, 30, 'paid'), (4, 1, 40, 'lost');
    CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, country TEXT);
    INSERT INTO customers VALUES (1, 'Ann', 'FR'), (2, 'Bob', NULL);
""")
db.commit()

# Connections
conn = connections.create_connection(c, {"name": "cli-shop", "type": "sqlite", "path": source})
assert connections.test_connection(c, conn["id"])["connected"] is True
assert connections.test_connection(c, conn["id"], {"path": source + ".missing"})["connected"] is False
assert [x["id"] for x in connections.list_all_connections(c, name="cli-shop")] == [conn["id"]]
connections.update_connection(c, conn["id"], {"name": "cli-shop", "type": "sqlite", "path": source, "parameters": {"note": "from the CLI"}})
step("connections", {"id": conn["id"], "read_back": connections.get_connection_api(c, conn["id"])["name"]})

# Datastores
ds = datastores.create_datastore(c, {"name": "cli-shop", "connection_id": conn["id"], "schema": "main", "tags": ["cli"]})
assert datastores.validate_connection(c, {"connection_id": conn["id"], "schema": "main"})["connected"] is True
assert datastores.verify_connection(c, ds["id"])["connected"] is True
assert [d["id"] for d in datastores.list_all_datastores(c, datastore_type="sqlite", name="cli-shop")] == [ds["id"]]
datastores.update_datastore(c, ds["id"], {"description": "driven by the Qualytics CLI"})
step("datastores", {"id": ds["id"], "description": datastores.get_datastore(c, ds["id"])["description"]})

# Operations: sync
sync = finish(c, {"type": "sync", "datastore_id": ds["id"]})
assert operations.abort_operation(c, sync["id"])["result"] == "success"
listed = operations.list_all_operations(c, datastore=ds["id"], operation_type="sync", finished=True)
step("sync", {"id": sync["id"], "message": sync["message"], "listed": [o["id"] for o in listed]})

# Containers, and a computed join as `qualytics containers create --type computed_join` sends it
listing = {x["name"]: x["id"] for x in containers.list_containers_listing(c, ds["id"])}
assert containers.get_container(c, listing["orders"])["name"] == "orders"
join_payload = {
    "container_type": "computed_join", "name": "order_customers",
    "left_container_id": listing["orders"], "right_container_id": listing["customers"],
    "left_join_field_name": "customer_id", "right_join_field_name": "id",
    "select_clause": "ord_id, ord_status, cus_country AS country", "join_type": "left",
    "left_prefix": "ord", "right_prefix": "cus",
}
# No datastore_id: the CLI sends none for a join, which belongs to its left container's datastore.
valid = containers.validate_container(c, join_payload)
assert valid["success"] is True, valid
join = containers.create_container(c, join_payload)
step("containers", {"listing": sorted(listing), "join_fields": join["fields"], "validated_fields": valid["fields"]})

# Checks
country = quality_checks.create_quality_check(c, {"container_id": join["id"], "rule": "notNull", "fields": ["country"], "tags": ["cli"],
                                                  "additional_metadata": {"owner": "cli"}, "status": "Active"})
amount = quality_checks.create_quality_check(c, {"container_id": listing["orders"], "rule": "notNull", "fields": ["amount"]})
quality_checks.update_quality_check(c, amount["id"], {"description": "every order has an amount", "fields": ["amount"], "properties": {}})
checks = quality_checks.list_all_quality_checks(c, ds["id"], tags=["cli"])
step("checks", {"tagged": [x["id"] for x in checks], "country_check": country["id"], "amount_check": amount["id"], "rule_type": country["rule_type"],
                "fields": [f["name"] for f in country["fields"]], "description": quality_checks.get_quality_check(c, amount["id"])["description"]})

# Operations: scan, then the anomalies it found
scan = finish(c, {"type": "scan", "datastore_id": ds["id"]})
found = anomalies.list_all_anomalies(c, datastore=ds["id"], status=["Active"])
by_check = {a["check_id"]: a for a in found}
joined = by_check[country["id"]]
anomalies.update_anomaly(c, joined["id"], {"status": "Acknowledged", "description": "customers 9 and Bob have no country"})
acknowledged = anomalies.get_anomaly(c, joined["id"])
other = by_check[amount["id"]]
anomalies.delete_anomaly(c, other["id"], archive=True, status="Resolved")
archived = anomalies.list_all_anomalies(c, datastore=ds["id"], archived="only")
step("anomalies", {"scan": scan["id"], "found": sorted(a["id"] for a in found), "acknowledged": acknowledged["status"],
                   "description": acknowledged["description"], "archived": [(a["id"], a["status"]) for a in archived]})

# Tags, and a filter Quarry does not know
assert {t["name"] for t in tags.list_all_tags(c)} >= {"cli"}
try:
    c.get("datastores", params={"datastore_typo": "x"})
    raise AssertionError("an unknown filter was accepted")
except client.QualyticsAPIError as e:
    step("unknown filter", {"status": e.status_code})

containers.delete_container(c, join["id"])
step("delete_container")
print(json.dumps(got))
