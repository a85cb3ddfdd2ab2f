-- Quarry store, version 8 (SQLite): a computed join's fields may be chosen as Qualytics does, with a select clause
-- naming the sides' fields by prefix (left_id, right_total AS total); select_json holds it resolved.
ALTER TABLE computed_containers ADD COLUMN select_clause TEXT NULL;
ALTER TABLE computed_containers ADD COLUMN left_prefix TEXT NULL;
ALTER TABLE computed_containers ADD COLUMN right_prefix TEXT NULL;
ALTER TABLE computed_containers ADD COLUMN select_json TEXT NULL;
