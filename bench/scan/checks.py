"""The 20 checks of the scan benchmark on bench.orders: each as Quarry checks it (rule, fields, properties; sent
to the API for measure (a)) and as the hand-written PostgreSQL condition a failing row meets (measures (b) and (c)).
The two must say the same thing: the harness compares Quarry's failing-row counts with the hand-written ones."""

COUNTRIES = ["US", "GB", "DE", "FR", "ES", "IT", "NL", "SE", "PL", "PT"]
STATUSES = ["new", "paid", "shipped", "cancelled"]
CHANNELS = ["web", "store", "phone"]
EMAIL = r"^[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]{2,}$"
SKU = r"^[A-Z]{3}-[0-9]{5}$"
INTEGRAL = r"^\s*[+-]?[0-9]+\s*$"
EXPRESSION = "discount <= quantity * 100"


def _list(values):
    return "(" + ", ".join("'" + v + "'" for v in values) + ")"


# (rule, field, properties, failing-row condition, fails on ~1% of rows)
CHECKS = [
    ("notNull", "id", {}, "id IS NULL", False),
    ("notNull", "customer_id", {}, "customer_id IS NULL", False),
    ("notNull", "email", {}, "email IS NULL", False),
    ("notNull", "country", {}, "country IS NULL", False),
    ("notNull", "status", {}, "status IS NULL", False),
    ("notNull", "created_at", {}, "created_at IS NULL", False),
    ("between", "amount", {"min": 0, "max": 10000}, "amount NOT BETWEEN 0 AND 10000", True),
    ("between", "quantity", {"min": 1, "max": 100}, "quantity NOT BETWEEN 1 AND 100", False),
    ("between", "discount", {"min": 0, "max": 50}, "discount NOT BETWEEN 0 AND 50", False),
    ("between", "customer_id", {"min": 1, "max": 1000000}, "customer_id NOT BETWEEN 1 AND 1000000", False),
    ("expectedValues", "country", {"list": COUNTRIES}, "country NOT IN " + _list(COUNTRIES), False),
    ("expectedValues", "status", {"list": STATUSES}, "status NOT IN " + _list(STATUSES), True),
    ("expectedValues", "channel", {"list": CHANNELS}, "channel NOT IN " + _list(CHANNELS), False),
    ("matchesPattern", "email", {"pattern": EMAIL}, f"email !~ '{EMAIL}'", False),
    ("matchesPattern", "sku", {"pattern": SKU}, f"sku !~ '{SKU}'", True),
    ("maxLength", "email", {"value": 64}, "length(email) > 64", False),
    ("maxLength", "sku", {"value": 9}, "length(sku) > 9", False),
    ("notFuture", "created_at", {}, "created_at > now()", True),
    ("isType", "qty_text", {"field_type": "integral"}, f"qty_text !~ '{INTEGRAL}'", True),
    ("satisfiesExpression", None, {"expression": EXPRESSION}, f"NOT ({EXPRESSION})", False),
]

assert len(CHECKS) == 20 and sum(1 for c in CHECKS if c[4]) == 5
_counts = {}
for rule, *_ in CHECKS:
    _counts[rule] = _counts.get(rule, 0) + 1
assert _counts == {"notNull": 6, "between": 4, "expectedValues": 3, "matchesPattern": 2, "maxLength": 2,
                   "notFuture": 1, "isType": 1, "satisfiesExpression": 1}, _counts
