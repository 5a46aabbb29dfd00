-- deltawatch capture: what it owns in the target database (schema "deltawatch"). Idempotent.
--   ddl_audit          one row per DDL object touched; in the capture publication, so logical decoding carries DDL
--   heartbeat          one row updated by Debezium's heartbeat action query; in the publication, so a quiet
--                      database still lets the slot advance
--   object_table       which table an index belongs to, remembered because sql_drop runs after the catalog row
--                      is gone (not in the publication)
--   catalog_fingerprint  the polling mode's last seen catalog state, so changes made while capture was down
--                      are still reported at the next start (not in the publication)
CREATE SCHEMA IF NOT EXISTS deltawatch;

CREATE TABLE IF NOT EXISTS deltawatch.ddl_audit (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    event           text        NOT NULL,
    command_tag     text        NOT NULL,
    object_type     text,
    object_identity text,
    schema_name     text,
    table_name      text,
    definition_hash text,
    error           text,
    role_name       text        NOT NULL DEFAULT current_user
);

CREATE TABLE IF NOT EXISTS deltawatch.heartbeat (
    id      integer PRIMARY KEY,
    beat_at timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS deltawatch.object_table (
    object_identity text PRIMARY KEY,
    table_name      text NOT NULL
);

CREATE TABLE IF NOT EXISTS deltawatch.catalog_fingerprint (
    object_identity text PRIMARY KEY,
    object_type     text NOT NULL,
    schema_name     text,
    table_name      text,
    definition_hash text
);

-- Remember the table of every existing index, so a later DROP INDEX can name it.
INSERT INTO deltawatch.object_table (object_identity, table_name)
SELECT (pg_identify_object('pg_class'::regclass, i.indexrelid, 0)).identity, format('%I.%I', n.nspname, t.relname)
  FROM pg_index i
  JOIN pg_class t ON t.oid = i.indrelid
  JOIN pg_namespace n ON n.oid = t.relnamespace
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
ON CONFLICT (object_identity) DO UPDATE SET table_name = EXCLUDED.table_name;
