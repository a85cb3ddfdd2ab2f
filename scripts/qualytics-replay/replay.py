"""Replays the public Qualytics CLI's API calls (qualytics/api/*.py, unchanged) against a running Quarry.

Usage: python3 replay.py QUALYTICS_CLI_CHECKOUT QUARRY_URL TOKEN SCRATCH_SQLITE_FILE
Needs only `requests`; the CLI's other dependencies are stood in for (see stubs/). Exits non-zero on the first
answer that differs from what the CLI relies on."""
import base64, json, sqlite3, sys, time, types, importlib
CLI = sys.argv[1]
import os
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "stubs"))  # stand-ins for rich and typer: only print and secho are used
pkg = types.ModuleType("qualytics"); pkg.__path__ = [CLI + "/qualytics"]; sys.modules["qualytics"] = pkg
svc = types.ModuleType("qualytics.services"); svc.__path__ = [CLI + "/qualytics/services"]; sys.modules["qualytics.services"] = svc
api = types.ModuleType("qualytics.api"); api.__path__ = [CLI + "/qualytics/api"]; sys.modules["qualytics.api"] = api
m = {n: importlib.import_module("qualytics.api." + n) for n in ["client", "compatibility", "connections", "datastores", "operations", "containers", "quality_checks", "tags"]}
url, token, source = sys.argv[2], sys.argv[3], sys.argv[4]
ok = lambda what: print("ok  ", what)

# What PyJWT's decode(verify_signature=False) needs: three segments, JSON header and payload, a base64url signature.
def b64(s): return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
h, p, sig = token.split("."); header, claims = json.loads(b64(h)), json.loads(b64(p)); b64(sig)
assert "exp" not in claims or claims["exp"] > time.time(); ok(f"token decodes as a JWT: header {header}, claims {sorted(claims)}")

c = m["client"].QualyticsClient(url + "/api", token)
issues = m["compatibility"].find_incompatible_operations(c.get("openapi.json").json())
print(f"doctor: {len(m['compatibility'].REQUIRED_API_OPERATIONS)} required operations, {len(issues)} missing"); [print("     ", i) for i in issues]

db = sqlite3.connect(source); db.executescript("DROP TABLE IF EXISTS orders; CREATE TABLE orders (id INTEGER PRIMARY KEY, amount REAL, email TEXT); INSERT INTO orders VALUES (1, 10, 'a@x'), (2, NULL, NULL);"); db.commit()
conn = m["connections"].create_connection(c, {"name": "shop-file", "type": "sqlite", "path": source}); ok(f"create_connection → {conn['id']}")
assert m["connections"].test_connection(c, conn["id"])["connected"] is True; ok("test_connection → connected")
assert m["connections"].test_connection(c, conn["id"], {"path": source + ".missing"})["connected"] is False; ok("test_connection with an overriding path → not connected")
assert any(x["id"] == conn["id"] for x in m["connections"].list_all_connections(c, name="shop-file")); ok("list_all_connections(name=)")
assert m["datastores"].validate_connection(c, {"connection_id": conn["id"], "schema": "main"})["connected"]; ok("validate_connection (unsaved datastore)")
ds = m["datastores"].create_datastore(c, {"name": "shop", "connection_id": conn["id"], "schema": "main", "tags": ["finance"]}); ok(f"create_datastore → {ds['id']}")
assert m["datastores"].verify_connection(c, ds["id"])["connected"]; ok("verify_connection → connected")
assert [d["name"] for d in m["datastores"].list_all_datastores(c, datastore_type="sqlite")] == ["shop"]; ok("list_all_datastores(datastore_type=)")
op = m["operations"].run_operation(c, {"type": "sync", "datastore_id": ds["id"]})
while (op := m["operations"].get_operation(c, op["id"]))["end_time"] is None: time.sleep(0.5)
assert op["result"] == "success" and op["message"] is None; ok(f"run_operation sync → success, message None (details: {op['details']})")
assert m["operations"].abort_operation(c, op["id"])["result"] == "success"; ok("abort_operation on a finished operation → 200 with it")
assert [o["id"] for o in m["operations"].list_all_operations(c, datastore=ds["id"], operation_type="sync", finished=True)] == [op["id"]]; ok("list_all_operations(finished=, operation_type=)")
orders = [x for x in m["containers"].list_containers_listing(c, ds["id"]) if x["name"] == "orders"][0]; ok(f"list_containers_listing → orders {orders['id']}")
assert m["containers"].get_container(c, orders["id"])["name"] == "orders"; ok("get_container")
assert any(x["name"] == "orders" for x in m["containers"].list_all_containers(c, datastore=ds["id"])); ok("list_all_containers(datastore=)")
table = {"container_type": "computed_table", "datastore_id": ds["id"], "name": "big", "query": "select id, amount from orders where amount > 5"}
v = m["containers"].validate_container(c, table); assert v["success"], v; ok(f"validate_container → {v['message']}")
big = m["containers"].create_container(c, table); ok(f"create_container → {big['id']}")
m["containers"].update_container(c, big["id"], {"description": "large"}); ok("update_container")
m["containers"].delete_container(c, big["id"]); ok("delete_container")
chk = m["quality_checks"].create_quality_check(c, {"container_id": orders["id"], "rule": "notNull", "description": "set", "fields": ["amount"], "coverage": None, "filter": None, "properties": {}, "tags": ["pii"], "additional_metadata": {"_qualytics_check_uid": "orders__notnull__amount"}, "status": "Active"})
assert chk["rule_type"] == "notNull" and chk["fields"][0]["name"] == "amount" and chk["global_tags"] == [{"name": "pii"}]; ok(f"create_quality_check → {chk['id']} in the Qualytics shape")
from qualytics.services.quality_checks import strip_for_export  # the CLI's own export reader
print("      strip_for_export:", json.dumps(strip_for_export(m["quality_checks"].get_quality_check(c, chk["id"]))))
tpl = m["quality_checks"].create_quality_check_template(c, {"rule": "notNull", "fields": ["email"]}); ok(f"create_quality_check_template → {tpl['id']}")
chk2 = m["quality_checks"].create_quality_check(c, {"container_id": orders["id"], "rule": "notNull", "fields": ["email"]})
m["quality_checks"].update_quality_check(c, chk["id"], {"description": "still set", "fields": ["amount"], "properties": {}, "tags": ["pii"], "additional_metadata": {"owner": "ops"}}); ok("update_quality_check")
assert len(m["quality_checks"].list_all_quality_checks(c, ds["id"], tags=["pii"], containers=[orders["id"]])) == 1; ok("list_all_quality_checks(tags=, containers=)")
m["quality_checks"].delete_quality_check(c, chk["id"]); ok("delete_quality_check (archive=true, status=Discarded by default)")
assert m["quality_checks"].get_quality_check(c, chk["id"])["status"] == "Archived"; ok("the check is Archived")
m["quality_checks"].bulk_delete_quality_checks(c, [{"id": chk2["id"], "archive": False}]); ok("bulk_delete_quality_checks")
assert {t["name"] for t in m["tags"].list_all_tags(c)} >= {"finance", "pii"}; ok("list_all_tags")
m["tags"].create_tag(c, {"name": "gold", "color": "#d4af37"}); assert m["tags"].get_tag(c, "gold")["color"] == "#d4af37"; ok("create_tag, get_tag")
m["tags"].delete_tag(c, "gold"); ok("delete_tag")
try: c.get("datastores", params={"datastore_typo": "x"}); print("FAIL unknown parameter accepted")
except m["client"].QualyticsAPIError as e: ok(f"an unknown filter is refused: HTTP {e.status_code}: {e.message[:110]}")

# Exports and materialize, as the CLI's `operations export|materialize` and `checks export-templates` send them.
results = source + ".results.db"; sqlite3.connect(results).execute("PRAGMA user_version = 1").connection.close()
rconn = m["connections"].create_connection(c, {"name": "results-file", "type": "sqlite", "path": results})
rds = m["datastores"].create_datastore(c, {"name": "results", "connection_id": rconn["id"], "schema": "main", "enrichment_only": True})
m["datastores"].connect_enrichment(c, ds["id"], rds["id"]); ok(f"connect_enrichment → results {rds['id']}")
draft = m["quality_checks"].create_quality_check(c, {"container_id": orders["id"], "rule": "notNull", "fields": ["id"], "status": "Draft"})
assert draft["status"] == "Draft"; ok("create_quality_check(status=Draft) → Draft")
def finish(payload):
    op = m["operations"].run_operation(c, payload)
    while (op := m["operations"].get_operation(c, op["id"]))["end_time"] is None: time.sleep(0.5)
    assert op["result"] == "success", op; return op
finish({"datastore_id": ds["id"], "type": "export", "asset_type": "checks", "container_ids": None, "container_tags": None, "include_deleted": False})
rows = sqlite3.connect(results).execute("SELECT id, status FROM _shop_export_checks ORDER BY id").fetchall(); ok(f"export checks → _shop_export_checks {rows}")
m["containers"].create_container(c, table)
op = finish({"datastore_id": ds["id"], "type": "materialize", "container_names": None, "container_tags": None, "max_records_per_partition": None})
rows = sqlite3.connect(results).execute("SELECT id, amount FROM _shop_mat_big").fetchall(); ok(f"materialize → _shop_mat_big {rows} ({op['details']})")
r = c.post(f"export/check-templates?enrich_datastore_id={rds['id']}"); assert r.status_code == 204, r.text
ok(f"export/check-templates → 204, _results_export_check_templates holds {sqlite3.connect(results).execute('SELECT count(*) FROM _results_export_check_templates').fetchone()[0]}")
print("all replayed")
