-- Quarry store, version 9 (SQLite): a computed join may filter and group its rows as Qualytics does, with a where
-- clause and a group by clause (SQL for the source, naming the join's fields by prefix or the sides' fields).
ALTER TABLE computed_containers ADD COLUMN where_clause TEXT NULL;
ALTER TABLE computed_containers ADD COLUMN group_by_clause TEXT NULL;
