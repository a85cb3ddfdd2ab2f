-- The scan benchmark's table: bench.orders, :rows rows × 12 columns, generated from the row number alone so every
-- run holds the same data. Five of the 20 checks in checks.py fail on 1% of rows each, on different rows
-- (row number mod 100 = 11, 23, 37, 53, 71): status, amount, created_at, sku and qty_text.
-- Usage: psql -v rows=10000000 -f generate.sql
\set ON_ERROR_STOP on
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;
CREATE TABLE bench.orders (
    id bigint NOT NULL,
    customer_id bigint,
    email text,
    country text,
    status text,
    channel text,
    amount numeric(12,2),
    quantity integer,
    discount numeric(5,2),
    created_at timestamptz,
    sku text,
    qty_text text
);
INSERT INTO bench.orders
SELECT i,
       1 + (i * 7919) % 1000000,
       'user' || (i % 500000) || '@example.com',
       (ARRAY['US','GB','DE','FR','ES','IT','NL','SE','PL','PT'])[1 + i % 10],
       CASE WHEN i % 100 = 11 THEN 'unknown' ELSE (ARRAY['new','paid','shipped','cancelled'])[1 + i % 4] END,
       (ARRAY['web','store','phone'])[1 + i % 3],
       CASE WHEN i % 100 = 23 THEN -((i % 500) + 1) ELSE ((i * 37) % 100000) / 10.0 END,
       1 + i % 100,
       (i % 5001) / 100.0,
       CASE WHEN i % 100 = 37 THEN now() + interval '30 days'
            ELSE timestamptz '2020-01-01 00:00:00+00' + (i % 157680000) * interval '1 second' END,
       CASE WHEN i % 100 = 53 THEN 'abc-' ELSE chr(65 + (i % 26)::int) || chr(65 + (i / 26 % 26)::int) || chr(65 + (i / 676 % 26)::int) || '-' END
           || lpad((i % 100000)::text, 5, '0'),
       CASE WHEN i % 100 = 71 THEN 'n/a' ELSE (i % 1000)::text END
FROM generate_series(1::bigint, :rows::bigint) AS i;
ALTER TABLE bench.orders ADD PRIMARY KEY (id);
VACUUM ANALYZE bench.orders;
